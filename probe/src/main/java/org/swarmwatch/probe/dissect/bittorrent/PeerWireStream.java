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
    /** Largest extension handshake (BEP 10) read; real ones are a few hundred bytes. */
    static final int MAX_EXTENSION_HANDSHAKE = 8192;
    private static final Bencode.Limits EXTENSION_LIMITS = new Bencode.Limits(4, 256, 1024);

    private final byte[] handshake = new byte[PeerWireHandshake.LENGTH];
    private int handshakeBytes;
    private PeerWireHandshake parsed;
    private final byte[] header = new byte[5];
    private int headerBytes;
    private long bodyLeft;
    private long nextSeq = -1;
    private boolean lost;

    /** Body of an extended message (BEP 10) being collected while its extension handshake is awaited. */
    private byte[] extended;
    private int extendedFill;
    private boolean extensionHandshakeSeen;
    private String extensionClient;
    private long metadataSize = -1;

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
                if (extended != null) {
                    System.arraycopy(b, off, extended, extendedFill, n);
                    extendedFill += n;
                    if (extendedFill == extended.length) {
                        extendedMessage(extended);
                        extended = null;
                    }
                }
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
            case 20 -> {
                if (!extensionHandshakeSeen && length >= 3 && length - 1 <= MAX_EXTENSION_HANDSHAKE) {
                    extended = new byte[length - 1];
                    extendedFill = 0;
                }
            }
            case 0, 1, 2, 3, 4, 5, 6, 8, 9, 13, 14, 15, 16, 17 -> {
            }
            default -> lost = true;
        }
    }

    /**
     * An extended message (BEP 10): extended id 0 is the extension handshake, a bencoded dictionary
     * whose {@code v} names the client (more precisely than the peer id) and whose
     * {@code metadata_size} is the size of the torrent's info dictionary (BEP 9).
     */
    private void extendedMessage(byte[] body) {
        if (body[0] != 0) {
            return;
        }
        extensionHandshakeSeen = true;
        if (Bencode.decode(body, 1, body.length - 1, EXTENSION_LIMITS) instanceof java.util.Map<?, ?> m) {
            if (m.get("v") instanceof byte[] v && v.length > 0 && v.length <= 64) {
                String text = new String(v, java.nio.charset.StandardCharsets.UTF_8);
                if (text.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
                    extensionClient = text;
                }
            }
            if (m.get("metadata_size") instanceof Long size && size > 0) {
                metadataSize = size;
            }
        }
    }

    /** Client name and version from the extension handshake's {@code v}, or null. */
    String extensionClient() {
        return extensionClient;
    }

    /** {@code metadata_size} from the extension handshake, or -1. */
    long metadataSize() {
        return metadataSize;
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
