package org.swarmwatch.probe.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.probe.swarm.SwarmTable;

/**
 * Measures the swarm table's memory per entry at its worst: N endpoints and hosts (half IPv4,
 * half IPv6), each holding {@value SwarmTable#HASHES_PER_ENTRY} hashes, and the proven-kind map
 * full, comparing the live heap after a full GC before and after. Checks
 * {@link SwarmTable#BYTES_PER_ENTRY}. Run with a bounded heap, e.g.
 * {@code java -Xmx256m ... SwarmTableMemoryBench 200000}.
 */
public final class SwarmTableMemoryBench {
    public static void main(String[] args) {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        long before = usedAfterGc();
        SwarmTable table = new SwarmTable(entries, Long.MAX_VALUE / 4);
        byte[] hash = new byte[20];
        for (int i = 0; i < entries; i++) {
            boolean v6 = (i & 1) == 1;
            long hi = v6 ? 0x20010db800000000L : 0;
            long lo = v6 ? 0x1000000L + i : 0x0a000000L + i;
            for (int h = 0; h < SwarmTable.HASHES_PER_ENTRY; h++) {
                hash[0] = (byte) h;
                hash[1] = (byte) i;
                hash[2] = (byte) (i >> 8);
                hash[3] = (byte) (i >> 16);
                table.member(hi, lo, 0, hash, 0, (h & 1) == 0, 1000L * i + h); // port 0: the host entry only
            }
            if (i % 4 == 0) {
                table.provenKind(hash, HashKind.BTIH_V1);
            }
        }
        long full = usedAfterGc();
        if (table.size() != entries || table.evicted() != 0) {
            throw new IllegalStateException("expected " + entries + " entries, table holds " + table.size());
        }
        System.out.printf(Locale.ROOT, "entries=%d heap_max_mb=%d table_full_mb=%.1f bytes_per_entry=%.1f (declared %d)%n",
                entries, Runtime.getRuntime().maxMemory() >> 20, (full - before) / 1048576.0, (double) (full - before) / entries,
                SwarmTable.BYTES_PER_ENTRY);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
