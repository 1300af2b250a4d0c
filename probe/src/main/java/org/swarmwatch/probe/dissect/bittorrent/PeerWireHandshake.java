package org.swarmwatch.probe.dissect.bittorrent;

import java.util.Arrays;

/**
 * The BitTorrent peer-wire handshake (BEP 3): the byte 19, "BitTorrent protocol", 8 reserved
 * bytes, the 20-byte info hash and the sender's 20-byte peer id; 68 bytes in all.
 *
 * @param reserved the 8 reserved bytes as a big-endian long (extension bits, BEP 4)
 * @param infoHash the SHA-1 info hash (BEP 3), or a SHA-256 v2 info hash truncated to 20 bytes (BEP 52)
 * @param peerId   the sender's peer id
 */
public record PeerWireHandshake(long reserved, byte[] infoHash, byte[] peerId) {
    /** Bytes of a complete handshake. */
    public static final int LENGTH = 68;
    /** The protocol header every handshake starts with: length byte 19 and the protocol string. */
    static final byte[] HEADER = "\u0013BitTorrent protocol".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** How {@code bytes} compare with a handshake's start. */
    enum Match {
        /** Not a handshake. */
        NO,
        /** Agrees with the 20-byte header as far as it goes, but is shorter. */
        PARTIAL,
        /** The whole 20-byte header is there. */
        HEADER
    }

    static Match match(byte[] b, int off, int len) {
        int n = Math.min(len, HEADER.length);
        for (int i = 0; i < n; i++) {
            if (b[off + i] != HEADER[i]) {
                return Match.NO;
            }
        }
        return n == HEADER.length ? Match.HEADER : Match.PARTIAL;
    }

    /** Parses a complete handshake; the caller has checked the header and that 68 bytes are there. */
    static PeerWireHandshake parse(byte[] b, int off) {
        long reserved = 0;
        for (int i = 0; i < 8; i++) {
            reserved = reserved << 8 | (b[off + 20 + i] & 0xff);
        }
        return new PeerWireHandshake(reserved, Arrays.copyOfRange(b, off + 28, off + 48), Arrays.copyOfRange(b, off + 48, off + 68));
    }

    /** BEP 10: reserved byte 5, bit 0x10. */
    public boolean extensionProtocol() {
        return (reserved & 0x0000_0000_0010_0000L) != 0;
    }

    /** BEP 5: reserved byte 7, bit 0x01. */
    public boolean dht() {
        return (reserved & 0x01L) != 0;
    }

    /** BEP 6: reserved byte 7, bit 0x04. */
    public boolean fastExtension() {
        return (reserved & 0x04L) != 0;
    }

    /**
     * BEP 52: reserved byte 7, bit 0x10, "supports v2". Not set by every v2-capable client
     * (libtorrent 2.0.8 leaves it clear even in v2 swarms), so it cannot tell a v1 info hash from
     * a truncated v2 one.
     */
    public boolean v2() {
        return (reserved & 0x10L) != 0;
    }
}
