package org.swarmwatch.classifier.match;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable map from BitTorrent content hashes to the ordinal of the rights-list entry that
 * names them, compact enough to hold every list at once: 100 million hashes in about 2.3 GB.
 *
 * <h2>Keys and the matching rule</h2>
 * A key is 20 bytes (a v1 SHA-1 info-hash, or a v2 SHA-256 truncated to 20 bytes, BEP 52) or
 * 32 bytes (a v2 SHA-256 info-hash). The two forms of a v2 hash must find each other, so a 20-byte
 * query matches a 20-byte key equal to it and every 32-byte key that starts with it, and a 32-byte
 * query matches a 32-byte key equal to it and the 20-byte key equal to its first 20 bytes. When a
 * query matches several keys, the key added first wins. Adding a key that is already there (same
 * length, same bytes) keeps the first ordinal and counts a {@linkplain #duplicates() duplicate}.
 * Every answer compares every byte of the key: no fingerprints, so no false positives; the
 * matcher is the evidence behind an accusation.
 *
 * <h2>Layout</h2>
 * Every distinct 20-byte prefix (a 20-byte key, or the first 20 bytes of a 32-byte key) is one
 * <em>record</em>, and the records are sorted by prefix (unsigned) in one logical array split into
 * {@code byte[]} chunks of 2<sup>24</sup> records (a Java array stops at 2<sup>31</sup> elements;
 * 100 million records of 21 bytes are 2.1 GB):
 * <pre>
 *   index:   int[2^b + 1]   first record of each bucket (the top b bits of the hash)
 *   records: [ prefix bytes d..19 | value (int, big-endian) ]  24 - d bytes each, d = min(3, b / 8)
 *   value:   0ooo...o   a 20-byte key, o = its ordinal (30 bits)
 *            01oo...o   a 32-byte key, o = its ordinal; its last 12 bytes are in the tail arrays
 *                       at index rank(position) of a bit set marking these records
 *            1ggg...g   two or more keys share this prefix: group g ({@code SharedPrefixGroup})
 * </pre>
 * The ordinal is not stored beside the hash at a separate position: a hit reads one record, and
 * the record tells the whole story for a 20-byte query. The first d bytes of a prefix are not
 * stored at all, since the bucket a record sits in already says them: 8d of the b bucket bits
 * are the dropped bytes.
 *
 * <h2>Memory per key</h2>
 * b is chosen from the key count n to minimise index bytes minus dropped bytes, with 2 to 32 records
 * per bucket, but never above 20 (the index stays within 4 MiB, so it stays in the last-level cache
 * and a lookup pays one memory miss, not two). For n = 10 million: b = 19, d = 2, a record is
 * 18 + 4 = 22 bytes; the index is 2<sup>19</sup> &times; 4 = 2 MiB, 0.21 bytes per key; the tail bit
 * set is 1.06 bits, 0.13 bytes per key; a 32-byte key adds 12 bytes of tail. With 10% of keys 32
 * bytes long: 22 + 0.21 + 0.13 + 1.2 = <b>23.5 bytes per key</b> (measured: 23.54). For n = 100
 * million: b = 20, d = 2, 22 + 0.04 + 0.13 + 1.2 = <b>23.4 bytes per key</b>, 95 records per bucket.
 * With only 20-byte keys, 22.3. The two flag bits limit ordinals to 2<sup>30</sup> - 1.
 * {@link #residentBytes()} adds up the arrays actually held.
 *
 * <h2>Lookup</h2>
 * The top b bits of the query select a bucket (one read of the index); the next 32 bits, uniformly
 * distributed in a bucket of hashes, interpolate a first guess of the position inside it; a short
 * scan from the guess, then a binary search if the guess was far (skewed input), finds the record.
 * A record compares as two big-endian longs and one int, so a miss usually costs one comparison.
 * The index read hits the cache; the record read is the one memory miss of most lookups, plus one
 * for the tail of a 32-byte query that hits a 32-byte key. Lookup is O(1) expected on hashes,
 * O(log n) at worst, and allocates nothing. {@link #findAll} reads the guessed records of 16 queries
 * before comparing any, so their misses overlap: a consumer that has a batch of hashes should use it.
 *
 * <h2>Build</h2>
 * {@link Builder} keeps what it is given in blocks (28 bytes per key, plus 12 per 32-byte key), then
 * counts keys per bucket, scatters their indexes into bucket order, sorts each bucket (insertion
 * sort; a stable merge sort for a bucket over 32, which hashes do not produce) and writes the
 * records in one pass: O(n) expected time, with the builder, a 4-byte-per-key permutation and the
 * matcher alive at once (about 6 GB at 100 million).
 *
 * <h2>Rejected</h2>
 * <ul>
 *   <li>A {@code HashMap<ByteBuffer, Integer>}: about 150 bytes per key (entry, key object, array,
 *       boxed ordinal).</li>
 *   <li>An open-addressing table of full keys: empty slots cost a whole key each, so a load factor
 *       of 0.9 already spends 2.4 bytes per key, and the index-implied bytes cannot be dropped.</li>
 *   <li>Fingerprints (a cuckoo or xor filter) in front of the keys: smaller per probe, but the keys
 *       must be kept anyway to be exact, so the filter is extra memory; the sorted array is already
 *       one miss after the index.</li>
 *   <li>One sorted array without an index, searched by interpolation alone: a key's rank in 100
 *       million uniform hashes strays by thousands of positions from its interpolated place, so the
 *       search takes several misses instead of one.</li>
 *   <li>Ordinals implied by position with a permutation beside: the same 4 bytes per key, and one
 *       more cache miss per hit.</li>
 *   <li>A finer index (b = 24 at 100 million keys, 6 records per bucket): drops 3 prefix bytes
 *       instead of 2, 23.0 bytes per key, but its 64 MiB do not stay in cache, so every lookup
 *       pays two dependent memory misses.</li>
 *   <li>Off-heap memory: Java 17 has no supported API for more than 2 GB in one segment; heap
 *       chunks need only a large enough {@code -Xmx} and are read as fast.</li>
 * </ul>
 *
 * <p>Instances are immutable and safe to share between threads once built.
 */
public final class HashMatcher {
    /** What {@link #find} returns when no key matches. */
    public static final int NONE = -1;
    /** The largest ordinal a key may carry (30 bits: the two top bits of a record's value are flags). */
    public static final int MAX_ORDINAL = (1 << 30) - 1;

    static final int SHORT_KEY = 20;
    static final int LONG_KEY = 32;
    private static final int TAIL_FLAG = 1 << 30;
    private static final int GROUP_FLAG = 1 << 31;

    private static final int CHUNK_SHIFT = 24;
    private static final int CHUNK_MASK = (1 << CHUNK_SHIFT) - 1;
    /** The index stays within 4 MiB + 4 bytes, small enough to stay in a server CPU's last-level cache. */
    private static final int MAX_BUCKET_BITS = 20;
    private static final int MAX_DROPPED_BYTES = 3;
    /** Records scanned from the interpolated guess before falling back to binary search. */
    private static final int SCAN_STEPS = 8;
    /** Lookups whose first record {@link #findAll} reads before comparing any of them. */
    private static final int BATCH = 16;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final int size;
    private final long duplicates;
    private final int bucketBits;
    private final int droppedBytes;
    private final int recordBytes;
    private final int[] index;
    private final byte[][] records;
    private final RankedBits tailRecords;
    private final long[] tailHigh;
    private final int[] tailLow;
    private final SharedPrefixGroup[] groups;

    private HashMatcher(int size, long duplicates, int bucketBits, int[] index, byte[][] records,
                        RankedBits tailRecords, long[] tailHigh, int[] tailLow, SharedPrefixGroup[] groups) {
        this.size = size;
        this.duplicates = duplicates;
        this.bucketBits = bucketBits;
        this.droppedBytes = droppedBytes(bucketBits);
        this.recordBytes = recordBytes(bucketBits);
        this.index = index;
        this.records = records;
        this.tailRecords = tailRecords;
        this.tailHigh = tailHigh;
        this.tailLow = tailLow;
        this.groups = groups;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The ordinal of the key that {@code hash} matches, or {@link #NONE}.
     *
     * @throws IllegalArgumentException if {@code hash} is neither 20 nor 32 bytes long
     */
    public int find(byte[] hash) {
        return find(hash, 0, hash.length);
    }

    /**
     * The ordinal of the key that {@code buf[off, off + len)} matches, or {@link #NONE}; allocates
     * nothing.
     *
     * @throws IllegalArgumentException if {@code len} is neither 20 nor 32
     * @throws IndexOutOfBoundsException if the range is outside {@code buf}
     */
    public int find(byte[] buf, int off, int len) {
        int guess = guess(buf, off, len);
        return guess < 0 ? NONE : resolve(buf, off, len, guess, storedHigh(guess));
    }

    /**
     * Looks up {@code count} hashes at once: {@code out[i]} gets what {@code find(buf, offsets[i],
     * lengths[i])} returns. Faster than one {@code find} after another when the matcher is much
     * larger than the CPU caches: the first record each lookup needs is read for a batch of 16
     * lookups before any of them is compared, so their cache misses overlap instead of queueing
     * behind each other's comparisons.
     *
     * @throws IllegalArgumentException if a length is neither 20 nor 32 (out is then partly written)
     * @throws IndexOutOfBoundsException if a range is outside {@code buf} or count exceeds an array
     */
    public void findAll(byte[] buf, int[] offsets, int[] lengths, int count, int[] out) {
        Objects.checkFromIndexSize(0, count, Math.min(Math.min(offsets.length, lengths.length), out.length));
        long[] guessedHigh = new long[BATCH];
        for (int start = 0; start < count; start += BATCH) {
            int end = Math.min(count, start + BATCH);
            for (int i = start; i < end; i++) {
                out[i] = guess(buf, offsets[i], lengths[i]);
            }
            // the loads that miss: independent of each other, so the memory system serves them together
            for (int i = start; i < end; i++) {
                int guess = out[i];
                guessedHigh[i - start] = guess < 0 ? 0 : storedHigh(guess);
            }
            for (int i = start; i < end; i++) {
                int guess = out[i];
                out[i] = guess < 0 ? NONE : resolve(buf, offsets[i], lengths[i], guess, guessedHigh[i - start]);
            }
        }
    }

    /**
     * Where the query's record should be: the bucket from the index, then a position inside it
     * interpolated from the 32 bits after the bucket bits (uniform in a bucket of hashes). -1 if
     * the bucket is empty.
     */
    private int guess(byte[] buf, int off, int len) {
        if (len != SHORT_KEY && len != LONG_KEY) {
            throw badLength(len);
        }
        Objects.checkFromIndexSize(off, len, buf.length);
        long first8 = (long) LONG.get(buf, off);
        int bucket = (int) (first8 >>> (64 - bucketBits));
        int from = index[bucket];
        int to = index[bucket + 1];
        if (from == to) {
            return -1;
        }
        long fraction = (first8 << bucketBits) >>> 32;
        return from + (int) ((fraction * (to - from)) >>> 32);
    }

    /** The answer for a query whose record, if any, is at or near {@code guess}, whose first 8 stored bytes are given. */
    private int resolve(byte[] buf, int off, int len, int guess, long guessedHigh) {
        long first8 = (long) LONG.get(buf, off);
        int bucket = (int) (first8 >>> (64 - bucketBits));
        int d = droppedBytes;
        long a = d == 0 ? first8 : (long) LONG.get(buf, off + d);
        long b = (long) LONG.get(buf, off + d + 8);
        int c = (int) INT.get(buf, off + 16);
        int position = search(index[bucket], index[bucket + 1], guess, guessedHigh, a, b, c);
        if (position < 0) {
            return NONE;
        }
        int value = value(position);
        if (value >= 0) {
            if ((value & TAIL_FLAG) == 0) {
                return value;
            }
            int ordinal = value & ~TAIL_FLAG;
            if (len == SHORT_KEY) {
                return ordinal;
            }
            int tail = tailRecords.rank(position);
            boolean same = tailHigh[tail] == (long) LONG.get(buf, off + SHORT_KEY)
                    && tailLow[tail] == (int) INT.get(buf, off + SHORT_KEY + 8);
            return same ? ordinal : NONE;
        }
        SharedPrefixGroup group = groups[value & ~GROUP_FLAG];
        return len == SHORT_KEY ? group.first : group.findTail(buf, off + SHORT_KEY);
    }

    /** The position in [from, to) of the record equal to (a, b, c), or -1. */
    private int search(int from, int to, int guess, long guessedHigh, long a, long b, int c) {
        int cmp = guessedHigh != a ? Long.compareUnsigned(guessedHigh, a) : compareRecord(guess, a, b, c);
        if (cmp == 0) {
            return guess;
        }
        int lo = from;
        int hi = to;
        if (cmp < 0) {
            lo = guess + 1;
            for (int steps = 0; lo < hi && steps < SCAN_STEPS; steps++, lo++) {
                cmp = compareRecord(lo, a, b, c);
                if (cmp >= 0) {
                    return cmp == 0 ? lo : -1;
                }
            }
        } else {
            hi = guess;
            for (int steps = 0; lo < hi && steps < SCAN_STEPS; steps++, hi--) {
                cmp = compareRecord(hi - 1, a, b, c);
                if (cmp <= 0) {
                    return cmp == 0 ? hi - 1 : -1;
                }
            }
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            cmp = compareRecord(mid, a, b, c);
            if (cmp == 0) {
                return mid;
            } else if (cmp < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return -1;
    }

    /**
     * Compares the stored prefix at {@code position} with the query's: a and b are its bytes from
     * d on, c its bytes 16..19. The stored prefix reads as two longs and, overlapping the second by
     * d bytes, the int just before the value; the overlap is equal whenever it is compared.
     */
    private int compareRecord(int position, long a, long b, int c) {
        byte[] chunk = records[position >>> CHUNK_SHIFT];
        int at = (position & CHUNK_MASK) * recordBytes;
        long storedA = (long) LONG.get(chunk, at);
        if (storedA != a) {
            return Long.compareUnsigned(storedA, a);
        }
        long storedB = (long) LONG.get(chunk, at + 8);
        if (storedB != b) {
            return Long.compareUnsigned(storedB, b);
        }
        return Integer.compareUnsigned((int) INT.get(chunk, at + recordBytes - 8), c);
    }

    private long storedHigh(int position) {
        return (long) LONG.get(records[position >>> CHUNK_SHIFT], (position & CHUNK_MASK) * recordBytes);
    }

    private int value(int position) {
        return (int) INT.get(records[position >>> CHUNK_SHIFT], (position & CHUNK_MASK) * recordBytes + recordBytes - 4);
    }

    /** The number of distinct keys. */
    public int size() {
        return size;
    }

    /** The number of keys added that were already there (same length, same bytes); the first ordinal was kept. */
    public long duplicates() {
        return duplicates;
    }

    /**
     * The bytes this matcher holds: every array it references, headers and alignment included
     * (compressed references, 16-byte array headers), and the shared-prefix groups.
     */
    public long residentBytes() {
        long bytes = 64 + arrayBytes(index.length, Integer.BYTES) + arrayBytes(records.length, 4);
        for (byte[] chunk : records) {
            bytes += arrayBytes(chunk.length, 1);
        }
        bytes += tailRecords.residentBytes() + arrayBytes(tailHigh.length, Long.BYTES) + arrayBytes(tailLow.length, Integer.BYTES);
        bytes += arrayBytes(groups.length, 4);
        for (SharedPrefixGroup group : groups) {
            bytes += group.residentBytes();
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "HashMatcher[size=" + size + ", duplicates=" + duplicates + ", bucketBits=" + bucketBits
                + ", recordBytes=" + recordBytes + ", tails=" + tailHigh.length + ", groups=" + groups.length
                + ", residentBytes=" + residentBytes() + "]";
    }

    static long arrayBytes(long length, int elementBytes) {
        return (16 + length * elementBytes + 7) & ~7L;
    }

    private static IllegalArgumentException badLength(int len) {
        return new IllegalArgumentException("a content hash is 20 or 32 bytes, not " + len);
    }

    /**
     * The bucket bits for n keys: between 2 and 32 records per bucket, the count that minimises
     * index bytes per key less the prefix bytes the buckets make implicit (ties go to more buckets),
     * and at most 20. 10 million keys: 19 (0.21 index bytes, 2 dropped); 100 million: 20 (0.04, 2).
     */
    static int bucketBits(int n) {
        int log2 = 31 - Integer.numberOfLeadingZeros(Math.max(n, 1));
        int best = 1;
        double bestCost = Double.MAX_VALUE;
        int most = Math.min(MAX_BUCKET_BITS, Math.max(1, log2 - 1));
        for (int bits = Math.min(most, Math.max(1, log2 - 4)); bits <= most; bits++) {
            double cost = 4.0 * (1L << bits) / Math.max(n, 1) - droppedBytes(bits);
            if (cost <= bestCost) {
                best = bits;
                bestCost = cost;
            }
        }
        return best;
    }

    private static int droppedBytes(int bucketBits) {
        return Math.min(MAX_DROPPED_BYTES, bucketBits / 8);
    }

    private static int recordBytes(int bucketBits) {
        return SHORT_KEY - droppedBytes(bucketBits) + Integer.BYTES;
    }

    /**
     * Collects keys and their ordinals, then builds a {@link HashMatcher}. Not thread-safe. The
     * builder keeps 28 bytes per key (plus 12 per 32-byte key) until it is dropped; {@link #build()}
     * does not change it, so it may be called again after more keys are added.
     */
    public static final class Builder {
        private static final int BLOCK_SHIFT = 16;
        private static final int BLOCK = 1 << BLOCK_SHIFT;
        private static final int BLOCK_MASK = BLOCK - 1;
        private static final int TAIL_BYTES = LONG_KEY - SHORT_KEY;
        /** Buckets larger than this are sorted by merge sort instead of insertion sort. */
        private static final int INSERTION_SORT_MAX = 32;

        private byte[][] prefixes = new byte[0][];
        private int[][] ordinals = new int[0][];
        /** For each key, the index of its last 12 bytes in {@code tails}, or -1 for a 20-byte key. */
        private int[][] tailIndexes = new int[0][];
        private byte[][] tails = new byte[0][];
        private int count;
        private int tailCount;

        private Builder() {
        }

        /**
         * Adds a key (copied).
         *
         * @throws IllegalArgumentException if the key is neither 20 nor 32 bytes long, or the ordinal
         *                                  is outside [0, {@link #MAX_ORDINAL}]
         */
        public Builder add(byte[] hash, int ordinal) {
            return add(hash, 0, hash.length, ordinal);
        }

        /** Adds the key {@code buf[off, off + len)} (copied); see {@link #add(byte[], int)}. */
        public Builder add(byte[] buf, int off, int len, int ordinal) {
            if (len != SHORT_KEY && len != LONG_KEY) {
                throw badLength(len);
            }
            Objects.checkFromIndexSize(off, len, buf.length);
            if (ordinal < 0 || ordinal > MAX_ORDINAL) {
                throw new IllegalArgumentException("an ordinal is between 0 and " + MAX_ORDINAL + ", not " + ordinal);
            }
            if (count == Integer.MAX_VALUE - 1) {
                throw new IllegalStateException("a matcher holds at most " + (Integer.MAX_VALUE - 1) + " keys");
            }
            int block = count >>> BLOCK_SHIFT;
            int slot = count & BLOCK_MASK;
            if (block == prefixes.length) {
                prefixes = Arrays.copyOf(prefixes, block + 1);
                ordinals = Arrays.copyOf(ordinals, block + 1);
                tailIndexes = Arrays.copyOf(tailIndexes, block + 1);
                prefixes[block] = new byte[BLOCK * SHORT_KEY];
                ordinals[block] = new int[BLOCK];
                tailIndexes[block] = new int[BLOCK];
            }
            System.arraycopy(buf, off, prefixes[block], slot * SHORT_KEY, SHORT_KEY);
            ordinals[block][slot] = ordinal;
            if (len == LONG_KEY) {
                int tailBlock = tailCount >>> BLOCK_SHIFT;
                if (tailBlock == tails.length) {
                    tails = Arrays.copyOf(tails, tailBlock + 1);
                    tails[tailBlock] = new byte[BLOCK * TAIL_BYTES];
                }
                System.arraycopy(buf, off + SHORT_KEY, tails[tailBlock], (tailCount & BLOCK_MASK) * TAIL_BYTES, TAIL_BYTES);
                tailIndexes[block][slot] = tailCount++;
            } else {
                tailIndexes[block][slot] = -1;
            }
            count++;
            return this;
        }

        public HashMatcher build() {
            int n = count;
            int bits = bucketBits(n);
            int buckets = 1 << bits;
            int[] bucketStarts = bucketStarts(n, bits);
            int[] perm = bucketOrder(n, bits, bucketStarts);
            return new Writer(n, bits).write(perm, bucketStarts, buckets);
        }

        private int bucketOf(int key, int bits) {
            return (int) ((long) LONG.get(prefixes[key >>> BLOCK_SHIFT], (key & BLOCK_MASK) * SHORT_KEY) >>> (64 - bits));
        }

        private int[] bucketStarts(int n, int bits) {
            int[] starts = new int[(1 << bits) + 1];
            for (int key = 0; key < n; key++) {
                starts[bucketOf(key, bits) + 1]++;
            }
            for (int i = 1; i < starts.length; i++) {
                starts[i] += starts[i - 1];
            }
            return starts;
        }

        /** Key indexes sorted by prefix, equal prefixes in the order added. */
        private int[] bucketOrder(int n, int bits, int[] bucketStarts) {
            int[] cursor = bucketStarts.clone();
            int[] perm = new int[n];
            for (int key = 0; key < n; key++) {
                perm[cursor[bucketOf(key, bits)]++] = key;
            }
            for (int k = 0; k < (1 << bits); k++) {
                sort(perm, bucketStarts[k], bucketStarts[k + 1]);
            }
            return perm;
        }

        private void sort(int[] perm, int from, int to) {
            if (to - from > INSERTION_SORT_MAX) {
                Integer[] boxed = new Integer[to - from];
                for (int i = from; i < to; i++) {
                    boxed[i - from] = perm[i];
                }
                Arrays.sort(boxed, (x, y) -> comparePrefixes(x, y)); // stable
                for (int i = from; i < to; i++) {
                    perm[i] = boxed[i - from];
                }
                return;
            }
            for (int i = from + 1; i < to; i++) {
                int key = perm[i];
                int j = i - 1;
                while (j >= from && comparePrefixes(perm[j], key) > 0) {
                    perm[j + 1] = perm[j];
                    j--;
                }
                perm[j + 1] = key;
            }
        }

        private int comparePrefixes(int x, int y) {
            int xAt = (x & BLOCK_MASK) * SHORT_KEY;
            int yAt = (y & BLOCK_MASK) * SHORT_KEY;
            return Arrays.compareUnsigned(prefixes[x >>> BLOCK_SHIFT], xAt, xAt + SHORT_KEY,
                    prefixes[y >>> BLOCK_SHIFT], yAt, yAt + SHORT_KEY);
        }

        private int ordinal(int key) {
            return ordinals[key >>> BLOCK_SHIFT][key & BLOCK_MASK];
        }

        private int tailIndex(int key) {
            return tailIndexes[key >>> BLOCK_SHIFT][key & BLOCK_MASK];
        }

        private long tailHigh(int key) {
            int tail = tailIndex(key);
            return (long) LONG.get(tails[tail >>> BLOCK_SHIFT], (tail & BLOCK_MASK) * TAIL_BYTES);
        }

        private int tailLow(int key) {
            int tail = tailIndex(key);
            return (int) INT.get(tails[tail >>> BLOCK_SHIFT], (tail & BLOCK_MASK) * TAIL_BYTES + 8);
        }

        /** Writes the records of one build, one run of equal prefixes at a time. */
        private final class Writer {
            private final int bits;
            private final int dropped;
            private final int recordBytes;
            private final byte[][] records;
            private final long[] tailBits;
            private long[] highs = new long[16];
            private int[] lows = new int[16];
            private int tails;
            private final List<SharedPrefixGroup> groups = new ArrayList<>();
            private int written;
            private long duplicates;

            Writer(int n, int bits) {
                this.bits = bits;
                this.dropped = droppedBytes(bits);
                this.recordBytes = HashMatcher.recordBytes(bits);
                this.records = new byte[(n + CHUNK_MASK) >>> CHUNK_SHIFT][];
                for (int c = 0; c < records.length; c++) {
                    records[c] = new byte[Math.min(1 << CHUNK_SHIFT, n - (c << CHUNK_SHIFT)) * recordBytes];
                }
                this.tailBits = new long[(n + 63) >>> 6];
            }

            HashMatcher write(int[] perm, int[] bucketStarts, int buckets) {
                int[] index = new int[buckets + 1];
                for (int k = 0; k < buckets; k++) {
                    index[k] = written;
                    int end = bucketStarts[k + 1];
                    for (int run = bucketStarts[k]; run < end; ) {
                        int runEnd = run + 1;
                        while (runEnd < end && comparePrefixes(perm[run], perm[runEnd]) == 0) {
                            runEnd++;
                        }
                        writeRecord(perm[run], runValue(perm, run, runEnd));
                        run = runEnd;
                    }
                }
                index[buckets] = written;
                return new HashMatcher(count - (int) duplicates, duplicates, bits, index, trimmedRecords(),
                        RankedBits.of(tailBits, written), Arrays.copyOf(highs, tails), Arrays.copyOf(lows, tails),
                        groups.toArray(new SharedPrefixGroup[0]));
            }

            /** The record value for the keys perm[run, runEnd), all with the same prefix, in the order added. */
            private int runValue(int[] perm, int run, int runEnd) {
                int shortKey = -1;
                int[] longKeys = new int[0];
                if (runEnd - run == 1) {
                    return single(perm[run]);
                }
                int kept = 0;
                for (int i = run; i < runEnd; i++) {
                    int key = perm[i];
                    if (tailIndex(key) < 0) {
                        if (shortKey < 0) {
                            shortKey = key;
                            kept++;
                        } else {
                            duplicates++;
                        }
                    } else if (containsTail(longKeys, key)) {
                        duplicates++;
                    } else {
                        longKeys = Arrays.copyOf(longKeys, longKeys.length + 1);
                        longKeys[longKeys.length - 1] = key;
                        kept++;
                    }
                }
                if (kept == 1) {
                    return single(perm[run]);
                }
                long[] high = new long[longKeys.length];
                int[] low = new int[longKeys.length];
                int[] answer = new int[longKeys.length];
                for (int i = 0; i < longKeys.length; i++) {
                    high[i] = tailHigh(longKeys[i]);
                    low[i] = tailLow(longKeys[i]);
                    answer[i] = ordinal(shortKey >= 0 && shortKey < longKeys[i] ? shortKey : longKeys[i]);
                }
                groups.add(new SharedPrefixGroup(ordinal(perm[run]), shortKey < 0 ? NONE : ordinal(shortKey), high, low, answer));
                return GROUP_FLAG | (groups.size() - 1);
            }

            private boolean containsTail(int[] longKeys, int key) {
                for (int other : longKeys) {
                    if (tailHigh(other) == tailHigh(key) && tailLow(other) == tailLow(key)) {
                        return true;
                    }
                }
                return false;
            }

            /** The value of a record that holds one key; a 32-byte key's tail goes to the tail arrays. */
            private int single(int key) {
                if (tailIndex(key) < 0) {
                    return ordinal(key);
                }
                if (tails == highs.length) {
                    highs = Arrays.copyOf(highs, tails * 2);
                    lows = Arrays.copyOf(lows, tails * 2);
                }
                highs[tails] = tailHigh(key);
                lows[tails] = tailLow(key);
                tails++;
                RankedBits.set(tailBits, written);
                return ordinal(key) | TAIL_FLAG;
            }

            private void writeRecord(int key, int value) {
                byte[] chunk = records[written >>> CHUNK_SHIFT];
                int at = (written & CHUNK_MASK) * recordBytes;
                System.arraycopy(prefixes[key >>> BLOCK_SHIFT], (key & BLOCK_MASK) * SHORT_KEY + dropped,
                        chunk, at, SHORT_KEY - dropped);
                INT.set(chunk, at + recordBytes - 4, value);
                written++;
            }

            /** The chunks cut to the records written (runs of equal prefixes took one record each). */
            private byte[][] trimmedRecords() {
                int chunks = (written + CHUNK_MASK) >>> CHUNK_SHIFT;
                byte[][] trimmed = Arrays.copyOf(records, chunks);
                if (chunks > 0) {
                    int last = chunks - 1;
                    int length = (written - (last << CHUNK_SHIFT)) * recordBytes;
                    if (trimmed[last].length != length) {
                        trimmed[last] = Arrays.copyOf(trimmed[last], length);
                    }
                }
                return trimmed;
            }
        }
    }
}
