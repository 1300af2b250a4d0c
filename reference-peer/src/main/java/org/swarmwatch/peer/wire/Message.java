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

    /**
     * BEP 52 (id 21): the hashes of {@code length} nodes from {@code index} on layer {@code base}
     * (0: the 16 KiB blocks' leaves) of the merkle tree whose root is {@code piecesRoot}, with the
     * uncle hashes of {@code proofLayers} layers above the base (see {@link MessageCodec#uncles}).
     */
    record HashRequest(byte[] piecesRoot, int base, int index, int length, int proofLayers) implements Message {
    }

    /** BEP 52 (id 22): the answer, the {@code length} base hashes then the uncle hashes, lowest layer first. */
    record Hashes(byte[] piecesRoot, int base, int index, int length, int proofLayers, byte[] hashes) implements Message {
        /** The request this answers. */
        public HashRequest request() {
            return new HashRequest(piecesRoot, base, index, length, proofLayers);
        }
    }

    /** BEP 52 (id 23): the request, refused. */
    record HashReject(byte[] piecesRoot, int base, int index, int length, int proofLayers) implements Message {
    }

    /** An id this peer does not know (such as the fast extension's, which it never enables): ignored. */
    record Unknown(int id, int length) implements Message {
    }
}
