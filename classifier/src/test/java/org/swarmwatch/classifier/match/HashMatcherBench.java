package org.swarmwatch.classifier.match;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lookups per second on one thread and resident bytes per key, for rights lists of 10 and 100
 * million random keys (10% of them 32 bytes long). Run by {@code scripts/bench-matcher.sh}; not a
 * unit test (surefire runs only {@code *Test}).
 *
 * <p>The matcher is built once per trial (100 million keys take about a minute and 6 GB while the
 * builder is alive). Each invocation looks up {@value #QUERIES} prepared queries: half of them keys
 * of the list (a 32-byte key is asked for in full or as its 20-byte truncation, half each), half
 * random hashes that are not (10% of those 32 bytes long). The queries sit in one array of 32 MB, so
 * they are read sequentially and cost little beside the matcher's own cache misses. The resident
 * bytes are printed once per trial as a line starting {@code matcher:}. {@link #lookup} calls
 * {@code find} once per query; {@link #lookupBatch} hands the same queries to {@code findAll}
 * {@value #BATCH} at a time, as a consumer would with one poll of records.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms12g", "-Xmx12g", "-XX:+UseParallelGC", "-XX:+UseTransparentHugePages"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class HashMatcherBench {
    static final int QUERIES = 1 << 20;
    /** Lookups per {@link HashMatcher#findAll} call in {@link #lookupBatch}: about one poll of records. */
    static final int BATCH = 500;
    private static final int SLOT = 32;

    @Param({"10000000", "100000000"})
    public int entries;

    /** Per cent of keys (and of missing queries) that are 32 bytes long. */
    @Param({"10"})
    public int longPercent;

    /** Per cent of queries that are keys of the list. */
    @Param({"50"})
    public int hitPercent;

    private HashMatcher matcher;
    private byte[] queries;
    private byte[] queryLengths;
    private int[] offsets;
    private int[] lengths;
    private int[] out;

    @Setup(Level.Trial)
    public void build() {
        long started = System.nanoTime();
        SplittableRandom keys = new SplittableRandom(20_261_123);
        SplittableRandom choices = new SplittableRandom(7);
        queries = new byte[QUERIES * SLOT];
        queryLengths = new byte[QUERIES];
        int hits = (int) ((long) QUERIES * hitPercent / 100);
        // every key has the same chance of being one of the hit queries: keep one in `stride`
        long stride = Math.max(1, (long) entries / hits);
        int query = 0;
        HashMatcher.Builder builder = HashMatcher.builder();
        byte[] key = new byte[SLOT];
        for (int ordinal = 0; ordinal < entries; ordinal++) {
            int length = keys.nextInt(100) < longPercent ? 32 : 20;
            keys.nextBytes(key);
            builder.add(key, 0, length, ordinal);
            if (ordinal % stride == 0 && query < hits) {
                System.arraycopy(key, 0, queries, query * SLOT, SLOT);
                queryLengths[query++] = (byte) (length == 32 && choices.nextBoolean() ? 20 : length);
            }
        }
        SplittableRandom misses = new SplittableRandom(99);
        for (; query < QUERIES; query++) {
            misses.nextBytes(key);
            System.arraycopy(key, 0, queries, query * SLOT, SLOT);
            queryLengths[query] = (byte) (misses.nextInt(100) < longPercent ? 32 : 20);
        }
        shuffle(choices);
        offsets = new int[QUERIES];
        lengths = new int[QUERIES];
        out = new int[BATCH];
        for (int q = 0; q < QUERIES; q++) {
            offsets[q] = q * SLOT;
            lengths[q] = queryLengths[q];
        }
        matcher = builder.build();
        builder = null;
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf("%nmatcher: entries=%d size=%d residentBytes=%d bytesPerHash=%.2f heapAfterGc=%d built in %.1f s, %s%n",
                entries, matcher.size(), matcher.residentBytes(), (double) matcher.residentBytes() / matcher.size(),
                heap, (System.nanoTime() - started) / 1e9, matcher);
        int found = 0;
        for (int q = 0; q < QUERIES; q++) {
            if (matcher.find(queries, q * SLOT, queryLengths[q]) != HashMatcher.NONE) {
                found++;
            }
        }
        if (found < hits) {
            throw new IllegalStateException("only " + found + " of " + hits + " hit queries found");
        }
    }

    private void shuffle(SplittableRandom random) {
        byte[] slot = new byte[SLOT];
        for (int i = QUERIES - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            System.arraycopy(queries, i * SLOT, slot, 0, SLOT);
            System.arraycopy(queries, j * SLOT, queries, i * SLOT, SLOT);
            System.arraycopy(slot, 0, queries, j * SLOT, SLOT);
            byte length = queryLengths[i];
            queryLengths[i] = queryLengths[j];
            queryLengths[j] = length;
        }
    }

    /** One operation is one lookup. */
    @Benchmark
    @OperationsPerInvocation(QUERIES)
    public int lookup() {
        int sum = 0;
        for (int q = 0; q < QUERIES; q++) {
            sum += matcher.find(queries, q * SLOT, queryLengths[q]);
        }
        return sum;
    }

    /** The same lookups through {@link HashMatcher#findAll}, {@value #BATCH} at a time. One operation is one lookup. */
    @Benchmark
    @OperationsPerInvocation(QUERIES)
    public int lookupBatch() {
        int sum = 0;
        int[] batchOffsets = new int[BATCH];
        int[] batchLengths = new int[BATCH];
        for (int first = 0; first < QUERIES; first += BATCH) {
            int count = Math.min(BATCH, QUERIES - first);
            System.arraycopy(offsets, first, batchOffsets, 0, count);
            System.arraycopy(lengths, first, batchLengths, 0, count);
            matcher.findAll(queries, batchOffsets, batchLengths, count, out);
            for (int i = 0; i < count; i++) {
                sum += out[i];
            }
        }
        return sum;
    }
}
