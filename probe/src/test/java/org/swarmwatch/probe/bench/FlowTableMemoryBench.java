package org.swarmwatch.probe.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import org.swarmwatch.probe.decode.DecodedPacket;
import org.swarmwatch.probe.flow.FlowTable;
import org.swarmwatch.probe.flow.FlowTableConfig;

/**
 * Measures the flow table's memory per flow: fills a table with N concurrent flows (half IPv4,
 * half IPv6, TCP and UDP, each with packets both ways) and compares the live heap after a full
 * GC before and after. Run with a bounded heap to show the bound holds, e.g.
 * {@code java -Xmx512m ... FlowTableMemoryBench 1000000} (scripts/bench.sh does).
 */
public final class FlowTableMemoryBench {
    public static void main(String[] args) {
        int flows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long before = usedAfterGc();
        FlowTable table = new FlowTable(new FlowTableConfig(Duration.ofHours(1), Duration.ofHours(2), Duration.ofSeconds(10), flows),
                (f, r) -> { }, 0);
        long empty = usedAfterGc();
        DecodedPacket p = new DecodedPacket();
        for (int i = 0; i < flows; i++) {
            for (int dir = 0; dir < 2; dir++) {
                p.reset();
                p.timestampMicros = 1_700_000_000_000_000L + i;
                boolean v6 = (i & 1) == 1;
                p.ipVersion = v6 ? 6 : 4;
                long client = v6 ? 0x20010db800000000L : 0;
                long clientLo = v6 ? 0x1000000L + i : 0x0a000000L + i;
                long server = v6 ? 0x20010db8ffff0000L : 0;
                long serverLo = v6 ? 7 : 0xc6336407L;
                p.srcHi = dir == 0 ? client : server;
                p.srcLo = dir == 0 ? clientLo : serverLo;
                p.dstHi = dir == 0 ? server : client;
                p.dstLo = dir == 0 ? serverLo : clientLo;
                p.srcPort = dir == 0 ? 40000 + (i % 20000) : 6881;
                p.dstPort = dir == 0 ? 6881 : 40000 + (i % 20000);
                p.protocol = (i % 3 == 0) ? 17 : 6;
                p.tcpFlags = p.protocol == 6 ? (dir == 0 ? 0x02 : 0x12) : 0;
                p.ipLength = 60;
                table.update(p);
            }
        }
        long full = usedAfterGc();
        if (table.size() != flows) {
            throw new IllegalStateException("expected " + flows + " flows, table holds " + table.size());
        }
        System.out.printf(Locale.ROOT, "flows=%d heap_max_mb=%d table_empty_mb=%.1f table_full_mb=%.1f bytes_per_flow=%.1f (incl. slot array %.1f)%n",
                flows, Runtime.getRuntime().maxMemory() >> 20, (empty - before) / 1048576.0, (full - before) / 1048576.0,
                (double) (full - empty) / flows, (double) (full - before) / flows);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
