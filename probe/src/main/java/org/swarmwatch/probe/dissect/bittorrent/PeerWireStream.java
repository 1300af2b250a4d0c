package org.swarmwatch.probe.dissect.bittorrent;

/**
 * One direction of a peer-wire connection, read as a stream (BEP 3): first the 68-byte handshake,
 * then length-prefixed messages (4-byte big-endian length, 1-byte id, payload). Counts what
 * matters for evidence (PIECE messages and their bytes; BEP 52 hash messages; the highest piece
 * index any message names) and reads the extension handshake (BEP 10) and the metadata this side
 * sends (BEP 9), hashing it as it passes and reading its version ({@link InfoDictionary}). BEP 52
 * hash messages are checked field by field ({@link HashMessage}) before they count. Other message
 * bodies are skipped, so memory is small and fixed whatever the flow carries: about 150 bytes, plus
 * one extended message (at most {@value #MAX_EXTENDED} bytes) while it is being read, plus two
 * digests while metadata flows.
 *
 * <p>A stream made by {@link #midStream} has no handshake: its first byte is a message header
 * (the mid-stream dissector found where one starts).
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
    /** Metadata pieces are 16 KiB (BEP 9); their message adds a small dictionary. */
    static final int METADATA_PIECE = 16384;
    /** Largest extended message read whole: a metadata piece and its dictionary. */
    static final int MAX_EXTENDED = METADATA_PIECE + 512;
    /**
     * Largest info dictionary hashed (a bound on CPU, not memory: it is hashed as it passes). The
     * biggest real torrents' are a few MiB (a SHA-1 per piece: 1 TiB in 256 KiB pieces is 80 MiB,
     * which nobody makes).
     */
    static final long MAX_METADATA = 32L << 20;
    /** Piece indexes above this are not believed (16 M pieces of 16 KiB are 256 GiB). */
    static final long MAX_PIECE_INDEX = 1 << 24;

    /** The handshake's bytes while they arrive; made on the first byte (most TCP flows offered are not BitTorrent). */
    private byte[] handshake;
    private int handshakeBytes;
    private PeerWireHandshake parsed;
    private final byte[] header = new byte[5];
    private int headerBytes;
    private long bodyLeft;
    private long nextSeq = -1;
    private boolean lost;
    /** Made by {@link #midStream}: messages from the first byte, no handshake. */
    private boolean headless;

    /** Body of an extended message (BEP 10) being collected while its extension handshake is awaited. */
    private byte[] extended;
    private int extendedFill;
    private boolean extensionHandshakeSeen;
    private String extensionClient;
    private long metadataSize = -1;

    /** The message being read names a piece index in its first 4 body bytes. */
    private boolean indexed;
    private int indexBytes;
    private long index;
    private long maxPieceIndex = -1;

    /** Metadata (BEP 9) this side sent, hashed in order; -1 pieces when it stopped making sense. */
    private int metadataPieces;
    private long metadataSent;
    private long metadataTotal;
    private java.security.MessageDigest sha1, sha256;
    private InfoDictionary info;
    private byte[] metadataSha1, metadataSha256;
    private InfoDictionary.Kind metadataKind = InfoDictionary.Kind.UNKNOWN;

    /** The fixed part of a BEP 52 hash message being read ({@link HashMessage#FIXED} bytes), else null. */
    private byte[] hashFields;
    private int hashFieldsFill, hashId;
    private long hashLength;

    private long messages;
    private long pieces;
    private long pieceBytes;
    private long hashMessages;

    PeerWireStream() {
    }

    /**
     * A stream without handshake whose next message header starts at TCP sequence number
     * {@code seq}: earlier bytes fed to it are skipped as retransmissions.
     */
    static PeerWireStream midStream(long seq) {
        PeerWireStream s = new PeerWireStream();
        s.headless = true;
        s.nextSeq = seq & 0xFFFFFFFFL;
        return s;
    }

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
            if (parsed == null && !headless) {
                if (handshake == null) {
                    handshake = new byte[PeerWireHandshake.LENGTH];
                }
                int n = Math.min(len, PeerWireHandshake.LENGTH - handshakeBytes);
                System.arraycopy(b, off, handshake, handshakeBytes, n);
                handshakeBytes += n;
                off += n;
                len -= n;
                if (PeerWireHandshake.match(handshake, 0, handshakeBytes) == PeerWireHandshake.Match.NO) {
                    lost = true;
                } else if (handshakeBytes == PeerWireHandshake.LENGTH) {
                    parsed = PeerWireHandshake.parse(handshake, 0);
                    handshake = null;
                }
            } else if (bodyLeft > 0) {
                int n = (int) Math.min(len, bodyLeft);
                if (indexed) {
                    for (int i = 0; i < n && indexBytes < 4; i++) {
                        index = index << 8 | (b[off + i] & 0xff);
                        if (++indexBytes == 4) {
                            indexed = false;
                            if (index <= MAX_PIECE_INDEX) {
                                maxPieceIndex = Math.max(maxPieceIndex, index);
                            }
                        }
                    }
                }
                if (hashFields != null) {
                    int k = Math.min(n, HashMessage.FIXED - hashFieldsFill);
                    System.arraycopy(b, off, hashFields, hashFieldsFill, k);
                    hashFieldsFill += k;
                    if (hashFieldsFill == HashMessage.FIXED) {
                        if (HashMessage.parse(hashId, hashLength, hashFields, 0) != null) {
                            hashMessages++;
                        }
                        hashFields = null;
                    }
                }
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
        indexed = false;
        switch (id) {
            case 7 -> {
                if (length < 9) {
                    lost = true; // index and begin are missing: not a PIECE message
                    return;
                }
                pieces++;
                pieceBytes += length - 9;
                startIndex(length);
            }
            case HashMessage.REQUEST, HashMessage.HASHES, HashMessage.REJECT -> {
                if (!HashMessage.lengthFits(id, length)) {
                    lost = true; // BEP 52 fixes their size: this is not one
                    return;
                }
                hashFields = new byte[HashMessage.FIXED];
                hashFieldsFill = 0;
                hashId = id;
                hashLength = length;
            }
            case 20 -> {
                boolean wanted = !extensionHandshakeSeen || metadataPieces >= 0 && metadataSha1 == null;
                if (wanted && length >= 3 && length - 1 <= MAX_EXTENDED) {
                    extended = new byte[length - 1];
                    extendedFill = 0;
                }
            }
            case 5 -> {
                if (length >= 2) { // a bitfield of n bytes covers more than 8 (n - 1) pieces
                    maxPieceIndex = Math.max(maxPieceIndex, Math.min(8L * (length - 2), MAX_PIECE_INDEX));
                }
            }
            case 4, 6, 8, 13, 16, 17 -> startIndex(length);
            case 0, 1, 2, 3, 9, 14, 15 -> {
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
            metadataMessage(body);
            return;
        }
        if (extensionHandshakeSeen) {
            return;
        }
        extensionHandshakeSeen = true;
        if (Bencode.decode(body, 1, body.length - 1, EXTENSION_LIMITS) instanceof java.util.Map<?, ?> m) {
            if (m.get("v") instanceof byte[] v && v.length > 0 && v.length <= 64) {
                String text = new String(v, java.nio.charset.StandardCharsets.UTF_8);
                // a name goes into reports and pages: no control (C0 or C1) or invisible format character (bidi overrides)
                if (text.chars().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
                    extensionClient = text;
                }
            }
            if (m.get("metadata_size") instanceof Long size && size > 0) {
                metadataSize = size;
            }
        }
    }

    private void startIndex(int length) {
        if (length >= 5) {
            indexed = true;
            indexBytes = 0;
            index = 0;
        }
    }

    /**
     * A ut_metadata message (BEP 9, {@link MetadataMessage}): data pieces sent in order 0, 1, 2...
     * are hashed (SHA-1 and SHA-256) and read ({@link InfoDictionary}) as they pass; a data piece
     * out of order or of another total size stops the hashing for good. Requests and rejects, and
     * other extensions' messages (ut_pex...: no {@code msg_type}), change nothing.
     */
    private void metadataMessage(byte[] body) {
        if (metadataPieces < 0 || metadataSha1 != null) {
            return;
        }
        MetadataMessage m = MetadataMessage.parse(body, 1, body.length - 1);
        if (m == null || m.type() != MetadataMessage.DATA) {
            return;
        }
        if (m.piece() != metadataPieces || m.totalSize() > MAX_METADATA || metadataPieces > 0 && m.totalSize() != metadataTotal) {
            stopMetadata();
            return;
        }
        if (metadataPieces == 0) {
            try {
                sha1 = java.security.MessageDigest.getInstance("SHA-1");
                sha256 = java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-1 and SHA-256", e);
            }
            info = new InfoDictionary();
            metadataTotal = m.totalSize();
        }
        int n = body.length - m.dataOffset();
        sha1.update(body, m.dataOffset(), n);
        sha256.update(body, m.dataOffset(), n);
        info.feed(body, m.dataOffset(), n);
        metadataSent += n;
        metadataPieces++;
        if (metadataSent == metadataTotal) {
            metadataSha1 = sha1.digest();
            metadataSha256 = sha256.digest();
            metadataKind = info.kind();
            sha1 = sha256 = null;
            info = null;
        }
    }

    private void stopMetadata() {
        metadataPieces = -1;
        sha1 = sha256 = null;
        info = null;
    }

    /** Highest piece index a message of this side named (HAVE, REQUEST, PIECE, bitfield size...), or -1. */
    long maxPieceIndex() {
        return maxPieceIndex;
    }

    /** SHA-1 of the whole info dictionary this side sent (BEP 9), or null. */
    byte[] metadataSha1() {
        return metadataSha1;
    }

    /** SHA-256 of the whole info dictionary this side sent (BEP 9), or null. */
    byte[] metadataSha256() {
        return metadataSha256;
    }

    /** The version of the whole info dictionary this side sent; UNKNOWN if none was, or it was not well-formed. */
    InfoDictionary.Kind metadataKind() {
        return metadataKind;
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
        if (parsed != null) {
            return PeerWireHandshake.Match.HEADER;
        }
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

    /** Well-formed BEP 52 hash request, hashes and hash reject messages. */
    long hashMessages() {
        return hashMessages;
    }
}
