package org.swarmwatch.probe.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.swarmwatch.probe.decode.DecodeCounters;
import org.swarmwatch.probe.decode.DecodeStatus;
import org.swarmwatch.probe.decode.DecodedPacket;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.decode.PacketDecoder;
import org.swarmwatch.probe.flow.FlowTable;
import org.swarmwatch.probe.flow.FlowTableConfig;

/**
 * Packets per second of decode plus flow table on one thread, with the frames already in memory
 * (no libpcap, no output): what the probe's processing thread can do. Loads up to MAX frames of a
 * capture, then runs PASSES passes over them, each shifted in time past the idle timeout so that
 * every pass creates and ends its flows afresh.
 *
 * <p>usage: DecodeFlowBench FILE [MAX_FRAMES=400000] [PASSES=8]
 */
public final class DecodeFlowBench {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int max = args.length > 1 ? Integer.parseInt(args[1]) : 400_000;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        BenchFrames loaded = BenchFrames.load(file, max);
        int linkType = loaded.linkType();
        List<byte[]> frames = loaded.frames();
        int n = loaded.size();
        long[] ts = loaded.timestamps();
        long span = loaded.span();
        long[] flowsEnded = {0};
        DecodeCounters counters = new DecodeCounters();
        PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), counters);
        FlowTable table = new FlowTable(FlowTableConfig.defaults(), (f, r) -> flowsEnded[0]++, 0);
        DecodedPacket p = new DecodedPacket();
        System.out.printf(Locale.ROOT, "loaded %,d frames of %s; %d passes (first = warm-up)%n", n, file.getFileName(), passes);
        double best = 0, sum = 0;
        for (int pass = 0; pass < passes; pass++) {
            long shift = pass * (span + Duration.ofHours(1).toNanos() / 1000);
            long start = System.nanoTime();
            long ok = 0;
            for (int i = 0; i < n; i++) {
                byte[] f = frames.get(i);
                if (decoder.decode(linkType, f, 0, f.length, f.length, ts[i] + shift, p) == DecodeStatus.OK && p.ipVersion != 0) {
                    table.update(p);
                    ok++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double pps = n / seconds;
            if (pass > 0) {
                best = Math.max(best, pps);
                sum += pps;
            }
            System.out.printf(Locale.ROOT, "pass %d: %,.0f packets/s (%,d to flows, table %,d, ended %,d)%n", pass, pps, ok, table.size(), flowsEnded[0]);
        }
        System.out.printf(Locale.ROOT, "decode+flow table, one thread: mean %,.0f packets/s, best %,.0f packets/s%n", sum / (passes - 1), best);
    }
}
