package org.swarmwatch.probe.export;

import java.io.IOException;
import org.swarmwatch.events.ProbeRecord;

/** Every record to two sinks (Kafka and a JSON Lines file, say), in that order. */
public final class TeeSink implements RecordSink {
    private final RecordSink first, second;

    public TeeSink(RecordSink first, RecordSink second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void accept(ProbeRecord record) throws IOException {
        first.accept(record);
        second.accept(record);
    }

    @Override
    public void flush() throws IOException {
        first.flush();
        second.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            first.close();
        } finally {
            second.close();
        }
    }
}
