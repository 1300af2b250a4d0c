package org.swarmwatch.probe.export;

import java.util.ArrayList;
import java.util.List;
import org.swarmwatch.events.ProbeRecord;

/** A sink for tests and benchmarks that keeps every record in memory. */
public final class CollectingSink implements RecordSink {
    private final List<ProbeRecord> records = new ArrayList<>();

    @Override
    public void accept(ProbeRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    public List<ProbeRecord> records() {
        return records;
    }
}
