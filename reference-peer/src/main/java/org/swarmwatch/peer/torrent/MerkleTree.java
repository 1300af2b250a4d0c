package org.swarmwatch.peer.torrent;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The SHA-256 merkle trees of BitTorrent v2 (BEP 52): the leaves are the hashes of a file's 16 KiB
 * blocks (the last one may be shorter), a node is the hash of its two children concatenated, and
 * leaves beyond the end of the file, up to the tree's width (a power of two), are 32 zero bytes.
 * A node above such padding alone is therefore the root of a subtree of zero leaves, not zeros:
 * {@link #padHash(int)}.
 *
 * <p>Hashes travel as concatenated 32-byte strings ({@code byte[]} of {@code 32 * n}), the form of
 * a torrent's {@code piece layers}.
 */
public final class MerkleTree {
    /** A leaf covers a block of this many bytes. */
    public static final int BLOCK = 16384;
    /** A SHA-256 hash. */
    public static final int HASH = 32;

    private MerkleTree() {
    }

    /** The smallest power of two not below {@code n} (1 for 0 and 1). */
    public static long width(long n) {
        if (n <= 1) {
            return 1;
        }
        return Long.highestOneBit(n - 1) << 1;
    }

    /** The leaf hashes of {@code length} bytes of {@code data} from {@code offset}, block by block. */
    public static byte[] leaves(byte[] data, int offset, int length) {
        MessageDigest sha256 = sha256();
        int n = (length + BLOCK - 1) / BLOCK;
        byte[] out = new byte[n * HASH];
        for (int i = 0; i < n; i++) {
            sha256.update(data, offset + i * BLOCK, Math.min(BLOCK, length - i * BLOCK));
            System.arraycopy(sha256.digest(), 0, out, i * HASH, HASH);
        }
        return out;
    }

    /** The root of a subtree of {@code leaves} zero leaves ({@code leaves} a power of two). */
    public static byte[] padHash(long leaves) {
        requirePowerOfTwo(leaves);
        MessageDigest sha256 = sha256();
        byte[] h = new byte[HASH];
        for (long w = 1; w < leaves; w <<= 1) {
            sha256.update(h);
            sha256.update(h);
            h = sha256.digest();
        }
        return h;
    }

    /**
     * The root of a tree {@code width} nodes wide (a power of two) at the level of {@code nodes}
     * (concatenated hashes, at most {@code width} of them), the missing ones being {@code pad}.
     */
    public static byte[] root(byte[] nodes, long width, byte[] pad) {
        requirePowerOfTwo(width);
        if (nodes.length % HASH != 0 || nodes.length / HASH > width || pad.length != HASH) {
            throw new IllegalArgumentException(nodes.length / HASH + " nodes for a tree " + width + " wide");
        }
        MessageDigest sha256 = sha256();
        byte[] layer = nodes;
        long w = width;
        while (w > 1) {
            int count = layer.length / HASH;
            int up = (count + 1) / 2;
            byte[] next = new byte[up * HASH];
            for (int i = 0; i < up; i++) {
                sha256.update(layer, 2 * i * HASH, HASH);
                if (2 * i + 1 < count) {
                    sha256.update(layer, (2 * i + 1) * HASH, HASH);
                } else {
                    sha256.update(pad);
                }
                System.arraycopy(sha256.digest(), 0, next, i * HASH, HASH);
            }
            pad = hashPair(sha256, pad);
            layer = up == 0 ? new byte[0] : next;
            w >>= 1;
        }
        return layer.length == 0 ? pad : Arrays.copyOf(layer, HASH);
    }

    /** The root over leaves padded with zero leaves to {@code width}. */
    public static byte[] rootOfLeaves(byte[] leaves, long width) {
        return root(leaves, width, new byte[HASH]);
    }

    private static byte[] hashPair(MessageDigest sha256, byte[] same) {
        sha256.update(same);
        sha256.update(same);
        return sha256.digest();
    }

    private static void requirePowerOfTwo(long n) {
        if (n < 1 || Long.bitCount(n) != 1) {
            throw new IllegalArgumentException(n + " is not a power of two");
        }
    }

    /** A new SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
