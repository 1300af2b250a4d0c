package org.swarmwatch.classifier.lists;

/**
 * Bounds on what a list file may make the classifier read and keep, so that a hostile or broken
 * file costs a rejection, never the heap.
 *
 * <p>A signed file is read whole into memory once, because pure Ed25519 (RFC 8032 section 5.1,
 * what {@code openssl pkeyutl -rawin} makes) hashes the message twice when signing and Bouncy
 * Castle's verifier wants it in one array; it is then verified, hashed and parsed from that same
 * array, so the bytes that were verified are the bytes that are loaded. {@code maxFileBytes} is
 * therefore also the transient memory a reload may take, and cannot exceed what a Java array holds.
 *
 * @param maxFileBytes largest list file accepted, in bytes (default 1 GiB: about ten million CSV
 *     rows of 100 bytes)
 * @param maxFieldChars longest field (a title, a rights holder...), in characters (default 1024)
 */
public record ListLimits(long maxFileBytes, int maxFieldChars) {
    /** Largest Java array, a little under 2 GiB. */
    public static final long MAX_FILE_BYTES_CEILING = Integer.MAX_VALUE - 64;

    public static final ListLimits DEFAULTS = new ListLimits(1L << 30, 1024);

    public ListLimits {
        if (maxFileBytes < 1 || maxFileBytes > MAX_FILE_BYTES_CEILING) {
            throw new IllegalArgumentException("maxFileBytes must be between 1 and " + MAX_FILE_BYTES_CEILING
                    + ", was " + maxFileBytes);
        }
        if (maxFieldChars < 64 || maxFieldChars > 1 << 20) {
            throw new IllegalArgumentException("maxFieldChars must be between 64 and 1048576, was " + maxFieldChars);
        }
    }
}
