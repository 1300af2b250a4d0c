package org.swarmwatch.peer.wire;

/**
 * The peer wire messages after the handshake (BEP 3; BEP 5's port, BEP 10's extended). Each is
 * sent as a 4-byte big-endian length, then (unless it is a keep-alive) a one-byte id and the
 * payload. {@link MessageCodec} reads and writes them.
 */
public sealed interface Message {
    record KeepAlive() implements Message {
    }

    record Choke() implements Message {
    }

    record Unchoke() implements Message {
    }

    record Interested() implements Message {
    }

    record NotInterested() implements Message {
    }

    record Have(int piece) implements Message {
    }

    /** One bit per piece, high bit of the first byte for piece 0; spare bits are zero. */
    record Bitfield(byte[] bits) implements Message {
    }

    record Request(int piece, int begin, int length) implements Message {
    }

    record Piece(int piece, int begin, byte[] block) implements Message {
    }

    record Cancel(int piece, int begin, int length) implements Message {
    }

    /** BEP 5: the sender's DHT port. Read and ignored (no DHT node here yet). */
    record Port(int port) implements Message {
    }

    /** BEP 10: {@code id} 0 is the extension handshake, others as that handshake assigned. */
    record Extended(int id, byte[] payload) implements Message {
    }

    /** An id this peer does not know (such as the fast extension's, which it never enables): ignored. */
    record Unknown(int id, int length) implements Message {
    }
}
