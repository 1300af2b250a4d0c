package org.swarmwatch.probe.dissect.bittorrent;

/**
 * One direction of a peer-wire connection, read as a stream (BEP 3): first the 68-byte handshake,
 * then length-prefixed messages (4-byte big-endian length, 1-byte id, payload). Counts what
 * matters for evidence (PIECE messages and their bytes; BEP 52 hash messages) and keeps nothing
 * else: message bodies are skipped, so memory is fixed (about 100 bytes) whatever the flow carries.
 *
 * <p>TCP segments are placed by sequence number: retransmitted bytes are skipped; a gap (a segment
 * the capture missed) loses the message framing, and the stream stops counting rather than guess.
 * A message length no client sends, or a message id no extension defines, also stops it: the bytes
 * are not a plaintext peer-wire stream (or the framing was lost).
 */
final class PeerWireStream {
    /** Larger than any message a client sends: blocks are 16 KiB, bitfields of huge torrents some 100 KiB. */
    static final int MAX_MESSAGE = 4 << 20;

    private final byte[] handshake = new byte[PeerWireHandshake.LENGTH];
    private int handshakeBytes;
    private PeerWireHandshake parsed;
    private final byte[] header = new byte[5];
    private int headerBytes;
    private long bodyLeft;
    private long nextSeq = -1;
    private boolean lost;

    private long messages;
    private long pieces;
    private long pieceBytes;
    private long hashMessages;

    /** Feeds a TCP segment that starts at sequence number {@code seq} (unsigned 32 bits). */
    void feedSegment(long seq, byte[] b, int off, int len) {
        if (lost || len <= 0) {
            return;
        }
        if (nextSeq >= 0) {
            long delta = (seq - nextSeq) << 32 >> 32; // signed distance modulo 2^32 (RFC 1982)
            if (delta > 0) {
                lost = true; // a hole: the framing cannot be recovered from here
                return;
            }
            if (-delta >= len) {
                return; // a retransmission of bytes already read
            }
            off += (int) -delta;
            len -= (int) -delta;
            seq = nextSeq;
        }
        nextSeq = (seq + len) & 0xFFFFFFFFL;
        feed(b, off, len);
    }

    /** Feeds bytes that follow the previous ones in the stream. */
    void feed(byte[] b, int off, int len) {
        while (len > 0 && !lost) {
            if (parsed == null) {
                int n = Math.min(len, PeerWireHandshake.LENGTH - handshakeBytes);
                System.arraycopy(b, off, handshake, handshakeBytes, n);
                handshakeBytes += n;
                off += n;
                len -= n;
                if (PeerWireHandshake.match(handshake, 0, handshakeBytes) == PeerWireHandshake.Match.NO) {
                    lost = true;
                } else if (handshakeBytes == PeerWireHandshake.LENGTH) {
                    parsed = PeerWireHandshake.parse(handshake, 0);
                }
            } else if (bodyLeft > 0) {
                int n = (int) Math.min(len, bodyLeft);
                bodyLeft -= n;
                off += n;
                len -= n;
            } else {
                header[headerBytes++] = b[off++];
                len--;
                if (headerBytes == 4 && length() == 0) {
                    headerBytes = 0; // keep-alive
                    messages++;
                } else if (headerBytes == 4 && (length() < 0 || length() > MAX_MESSAGE)) {
                    lost = true;
                } else if (headerBytes == 5) {
                    message(header[4] & 0xff, length());
                    bodyLeft = length() - 1L;
                    headerBytes = 0;
                }
            }
        }
    }

    private int length() {
        return (header[0] & 0xff) << 24 | (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8 | (header[3] & 0xff);
    }

    /** A message header: BEP 3 ids 0-9, BEP 6 fast extension 13-17, BEP 10 extended 20, BEP 52 hashes 21-23. */
    private void message(int id, int length) {
        messages++;
        switch (id) {
            case 7 -> {
                if (length < 9) {
                    lost = true; // index and begin are missing: not a PIECE message
                    return;
                }
                pieces++;
                pieceBytes += length - 9;
            }
            case 21, 22, 23 -> hashMessages++;
            case 0, 1, 2, 3, 4, 5, 6, 8, 9, 13, 14, 15, 16, 17, 20 -> {
            }
            default -> lost = true;
        }
    }

    /** The transport lost data: stop reading rather than guess where the next message starts. */
    void loseFraming() {
        lost = true;
    }

    /** Bytes of the handshake seen so far, and whether they still agree with a handshake. */
    PeerWireHandshake.Match handshakeMatch() {
        return handshakeBytes == 0 ? PeerWireHandshake.Match.PARTIAL : PeerWireHandshake.match(handshake, 0, handshakeBytes);
    }

    /** The whole handshake, once its 68 bytes were read; else null. */
    PeerWireHandshake handshake() {
        return parsed;
    }

    /** True once the stream stopped making sense as peer-wire framing. */
    boolean lost() {
        return lost;
    }

    long messages() {
        return messages;
    }

    long pieces() {
        return pieces;
    }

    long pieceBytes() {
        return pieceBytes;
    }

    long hashMessages() {
        return hashMessages;
    }
}
