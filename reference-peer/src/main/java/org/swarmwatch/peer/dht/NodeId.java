package org.swarmwatch.peer.dht;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 160-bit identifier of the DHT (BEP 5): a node id, or an info hash, which live in the same
 * space. Closeness is Kademlia's XOR metric, read as an unsigned integer.
 */
public final class NodeId {
    public static final int LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The id of these 20 bytes (copied). */
    public static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a DHT id is " + LENGTH + " bytes, not " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    /** A fresh node id, chosen at random as BEP 5 asks. */
    public static NodeId random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new NodeId(b);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** How many leading bits this id shares with {@code other}: 160 for the same id. */
    public int commonPrefixLength(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return LENGTH * 8;
    }

    /** Negative if {@code a} is closer to this id than {@code b}, positive if farther, 0 if the same distance. */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff, db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
