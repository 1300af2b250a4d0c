package org.swarmwatch.classifier.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A million generated rows: parsed in seconds, held in about a hundred bytes each. */
class LargeListTest {
    static final int ROWS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void aMillionRowsParseWithBoundedMemory() throws Exception {
        Path f = dir.resolve("big.csv");
        HexFormat hex = HexFormat.of();
        byte[] h = new byte[20];
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write(ListFormatTest.HEADER);
            for (int i = 0; i < ROWS; i++) {
                for (int b = 0; b < 20; b += 4) {
                    int x = (i + b) * 0x9E3779B1;
                    h[b] = (byte) (x >>> 24);
                    h[b + 1] = (byte) (x >>> 16);
                    h[b + 2] = (byte) (x >>> 8);
                    h[b + 3] = (byte) i;
                }
                w.write(hex.formatHex(h));
                w.write(",btih_v1,Generated title number ");
                w.write(Integer.toString(i));
                w.write(",Holder ");
                w.write(Integer.toString(i % 7));
                w.write(",big,,,incident\n");
            }
        }
        ListLoader loader = new ListLoader(TrustedKeys.none(), SignaturePolicy.OPTIONAL, ListLimits.DEFAULTS,
                Clock.systemUTC());
        System.gc();
        long heapBefore = usedHeap();
        long start = System.nanoTime();
        ListLoader.Loaded loaded = loader.load(f);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        System.gc();
        long retainedHeap = usedHeap() - heapBefore;

        RightsList list = loaded.list();
        assertEquals(ROWS, list.size());
        assertEquals("Generated title number 999999", list.title(ROWS - 1));
        assertEquals("Holder 3", list.rightsHolder(3));
        long perEntry = list.retainedBytes() / ROWS;
        System.out.printf("1M rows (%d MB file): %d s, %d bytes per entry by count, heap grew %d MB%n",
                Files.size(f) >> 20, seconds, perEntry, retainedHeap >> 20);
        assertTrue(perEntry < 100, "bytes per entry: " + perEntry);
        assertTrue(retainedHeap < 200L * ROWS, "heap held: " + retainedHeap);
        assertTrue(seconds < 30, "took " + seconds + " s");

        AtomicLong visited = new AtomicLong();
        ActiveLists.of(java.util.Map.of("big.csv", new ActiveLists.Item(list, loaded.version())))
                .forEachEntry((hash, kind, ordinal) -> visited.incrementAndGet());
        assertEquals(ROWS, visited.get());
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
