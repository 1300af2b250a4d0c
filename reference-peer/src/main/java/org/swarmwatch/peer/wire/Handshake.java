package org.swarmwatch.peer.wire;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The peer wire handshake (BEP 3): {@code 19 "BitTorrent protocol"}, 8 reserved bytes, the
 * 20-byte v1 info hash, the 20-byte peer id; 68 bytes in all.
 *
 * <p>Reserved bits used here: BEP 10's extension protocol is bit 20 from the right, that is
 * {@code reserved[5] & 0x10}; BEP 52's v2 support is {@code reserved[7] & 0x10}, set for v2-only
 * torrents, whose 20-byte info hash is the SHA-256 one truncated. Others are carried as they came
 * and otherwise ignored.
 */
public record Handshake(byte[] reserved, byte[] infoHash, byte[] peerId) {
    public static final int LENGTH = 68;
    private static final byte[] PROTOCOL = "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);

    public Handshake {
        if (reserved.length != 8 || infoHash.length != 20 || peerId.length != 20) {
            throw new IllegalArgumentException("reserved 8, info hash 20, peer id 20 bytes");
        }
    }

    /** Reserved bytes announcing only BEP 10, the extension protocol. */
    public static byte[] extensionReserved() {
        byte[] r = new byte[8];
        r[5] = 0x10;
        return r;
    }

    /** Reserved bytes announcing BEP 10 and BEP 52 (v2). */
    public static byte[] v2Reserved() {
        byte[] r = extensionReserved();
        r[7] |= 0x10;
        return r;
    }

    public boolean supportsV2() {
        return (reserved[7] & 0x10) != 0;
    }

    public boolean supportsExtensions() {
        return (reserved[5] & 0x10) != 0;
    }

    /** Whether these first bytes of a connection are the handshake's fixed start, {@code 19 "BitTorrent protocol"}. */
    public static boolean isHeader(byte[] first20) {
        return first20.length == 20 && first20[0] == 19 && Arrays.equals(first20, 1, 20, PROTOCOL, 0, 19);
    }

    public byte[] encode() {
        byte[] b = new byte[LENGTH];
        b[0] = 19;
        System.arraycopy(PROTOCOL, 0, b, 1, 19);
        System.arraycopy(reserved, 0, b, 20, 8);
        System.arraycopy(infoHash, 0, b, 28, 20);
        System.arraycopy(peerId, 0, b, 48, 20);
        return b;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(encode());
        out.flush();
    }

    /**
     * Reads a handshake; anything else (an MSE/PE handshake, which aria2 tries first, or plain
     * garbage) is a {@link ProtocolException} after at most 20 bytes, so a stranger is not waited on.
     */
    public static Handshake readFrom(DataInputStream in) throws IOException {
        byte[] head = new byte[20];
        in.readFully(head);
        if (head[0] != 19 || !Arrays.equals(head, 1, 20, PROTOCOL, 0, 19)) {
            throw new ProtocolException("not a BitTorrent handshake (an encrypted MSE/PE one, or garbage)");
        }
        byte[] reserved = new byte[8], infoHash = new byte[20], peerId = new byte[20];
        in.readFully(reserved);
        in.readFully(infoHash);
        in.readFully(peerId);
        return new Handshake(reserved, infoHash, peerId);
    }
}
