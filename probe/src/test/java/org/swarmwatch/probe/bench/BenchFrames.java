package org.swarmwatch.probe.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.swarmwatch.probe.source.CaptureException;
import org.swarmwatch.probe.source.PcapFileSource;

/** The first frames of a capture, held in memory so that a benchmark measures processing, not reading. */
record BenchFrames(int linkType, List<byte[]> frames, long[] timestamps) {
    static BenchFrames load(Path file, int max) throws CaptureException {
        List<byte[]> frames = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        int linkType;
        try (PcapFileSource source = new PcapFileSource(file)) {
            linkType = source.linkType();
            source.run((frame, cap, wire, ts) -> {
                if (frames.size() < max) {
                    frames.add(frame);
                    times.add(ts);
                } else {
                    source.stop();
                }
            });
        }
        return new BenchFrames(linkType, frames, times.stream().mapToLong(Long::longValue).toArray());
    }

    int size() {
        return frames.size();
    }

    /** Capture time covered, so that passes can be shifted past every timeout. */
    long span() {
        return Math.abs(timestamps[timestamps.length - 1] - timestamps[0]);
    }
}
