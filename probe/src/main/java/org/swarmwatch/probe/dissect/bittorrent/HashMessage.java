package org.swarmwatch.probe.dissect.bittorrent;

import java.util.Arrays;

/**
 * A BEP 52 hash message: {@code hash request} (id 21), {@code hashes} (22) or {@code hash reject}
 * (23). Each starts with a file's 32-byte {@code pieces root} and four 32-bit numbers: the base
 * layer of the file's Merkle tree the hashes are taken from (0 is the 16 KiB block layer), the
 * index of the first hash in that layer, how many hashes ({@code length}) and how many proof layers;
 * {@code hashes} appends the hashes, 32 bytes each. Only v2 (and hybrid) torrents have Merkle trees,
 * so a well-formed one shows that the connection's swarm is v2.
 *
 * <p>The pieces root names a file, not a torrent: it is never reported as a content hash.
 *
 * @param hashCount for {@code hashes}, the hashes the message carries (base layer hashes and the
 *                  uncle hashes of the proof); 0 for the others
 */
record HashMessage(int id, byte[] piecesRoot, int baseLayer, long index, long length, int proofLayers, int hashCount) {
    static final int REQUEST = 21, HASHES = 22, REJECT = 23;
    /** Bytes before the hashes: pieces root and four 32-bit fields. */
    static final int FIXED = 48;
    /** A Merkle tree of 16 KiB blocks has at most 64 layers (2^64 blocks is beyond any file). */
    static final int MAX_LAYERS = 64;
    /** BEP 52: length SHOULD NOT exceed 512; allow 16 times that before calling it malformed. */
    static final long MAX_LENGTH = 8192;

    /**
     * The message of id {@code id} and peer-wire length {@code messageLength} (id byte included)
     * whose first {@value #FIXED} body bytes are {@code b[off, off + 48)}; null if the fields break
     * BEP 52 (wrong size for the id, length 0 or absurd, an index not a multiple of a power-of-two
     * length, more layers than a tree has, fewer hashes than requested).
     */
    static HashMessage parse(int id, long messageLength, byte[] b, int off) {
        if (!lengthFits(id, messageLength)) {
            return null;
        }
        long base = UdpTrackerDissector.u32(b, off + 32);
        long index = UdpTrackerDissector.u32(b, off + 36);
        long length = UdpTrackerDissector.u32(b, off + 40);
        long proof = UdpTrackerDissector.u32(b, off + 44);
        if (base >= MAX_LAYERS || proof >= MAX_LAYERS || length == 0 || length > MAX_LENGTH) {
            return null;
        }
        // "Index MUST be a multiple of length"; length is a power of two unless the layer's end truncated it
        if (Long.bitCount(length) == 1 && index % length != 0) {
            return null;
        }
        int hashes = id == HASHES ? (int) ((messageLength - 1 - FIXED) / 32) : 0;
        if (id == HASHES && (hashes < length || hashes > length + proof)) {
            return null; // the base layer's hashes, then at most one uncle per proof layer
        }
        return new HashMessage(id, Arrays.copyOfRange(b, off, off + 32), (int) base, index, length, (int) proof, hashes);
    }

    /** Whether a message of this id may have this length at all: 49 bytes, or 49 plus whole hashes. */
    static boolean lengthFits(int id, long messageLength) {
        return switch (id) {
            case REQUEST, REJECT -> messageLength == 1 + FIXED;
            case HASHES -> messageLength >= 1 + FIXED + 32 && (messageLength - 1 - FIXED) % 32 == 0
                    && (messageLength - 1 - FIXED) / 32 <= MAX_LENGTH + MAX_LAYERS;
            default -> false;
        };
    }
}
