package org.swarmwatch.probe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.events.RecordCodec;
import org.swarmwatch.events.RecordFormatException;
import org.swarmwatch.events.StatsRecord;

/** Reads a JSON Lines output back through the real codec (so every line must be a valid record). */
record Records(List<ProbeRecord> all) {
    static Records read(Path file) throws IOException {
        RecordCodec codec = new RecordCodec();
        List<ProbeRecord> records = new ArrayList<>();
        int line = 0;
        for (String l : Files.readAllLines(file)) {
            line++;
            try {
                records.add(codec.decode(l));
            } catch (RecordFormatException e) {
                throw new AssertionError(file + " line " + line + ": " + e.getMessage() + ": " + l);
            }
        }
        return new Records(records);
    }

    List<FlowRecord> flows() {
        return all.stream().filter(r -> r instanceof FlowRecord).map(r -> (FlowRecord) r).toList();
    }

    List<StatsRecord> stats() {
        return all.stream().filter(r -> r instanceof StatsRecord).map(r -> (StatsRecord) r).toList();
    }

    /** Flows of one replayed capture: those written before each of its stats records (replay does captures in turn). */
    List<FlowRecord> flowsOf(String captureFileName) {
        List<FlowRecord> out = new ArrayList<>();
        List<FlowRecord> pending = new ArrayList<>();
        for (ProbeRecord r : all) {
            if (r instanceof FlowRecord f) {
                pending.add(f);
            } else if (r instanceof StatsRecord s) {
                if (Path.of(s.captureSource()).getFileName().toString().equals(captureFileName)) {
                    out.addAll(pending);
                }
                pending.clear();
            }
        }
        return out;
    }
}
