package org.swarmwatch.classifier.match;

/**
 * A fixed bit set that answers "how many bits are set before position p" in constant time: the
 * matcher marks the positions that hold a single 32-byte entry, and the rank of a position is the
 * index of that entry's last 12 bytes in the tail arrays.
 *
 * <p>One bit per position plus one {@code int} of cumulative count per 512 positions (8 words):
 * 1 + 32/512 = 1.0625 bits, 0.133 bytes per position. A rank reads at most 8 words of one or two
 * adjacent cache lines and the block count.
 */
final class RankedBits {
    private static final int WORDS_PER_BLOCK = 8;

    private final long[] words;
    private final int[] blockRanks;

    private RankedBits(long[] words) {
        this.words = words;
        this.blockRanks = new int[(words.length + WORDS_PER_BLOCK - 1) / WORDS_PER_BLOCK];
        int running = 0;
        for (int w = 0; w < words.length; w++) {
            if (w % WORDS_PER_BLOCK == 0) {
                blockRanks[w / WORDS_PER_BLOCK] = running;
            }
            running += Long.bitCount(words[w]);
        }
    }

    /** Freezes {@code words} (taken, not copied) trimmed to {@code positions} bits. */
    static RankedBits of(long[] words, int positions) {
        int used = (positions + 63) >>> 6;
        return new RankedBits(used == words.length ? words : java.util.Arrays.copyOf(words, used));
    }

    static void set(long[] words, int position) {
        words[position >>> 6] |= 1L << position;
    }

    /** The number of set bits at positions below {@code position}. */
    int rank(int position) {
        int word = position >>> 6;
        int rank = blockRanks[word / WORDS_PER_BLOCK];
        for (int w = word & -WORDS_PER_BLOCK; w < word; w++) {
            rank += Long.bitCount(words[w]);
        }
        return rank + Long.bitCount(words[word] & ((1L << position) - 1));
    }

    long residentBytes() {
        return HashMatcher.arrayBytes(words.length, Long.BYTES) + HashMatcher.arrayBytes(blockRanks.length, Integer.BYTES);
    }
}
