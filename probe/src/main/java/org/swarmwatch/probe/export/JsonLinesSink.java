package org.swarmwatch.probe.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.events.RecordCodec;

/** Writes records as JSON Lines (one JSON object per line) to a file or standard output. */
public final class JsonLinesSink implements RecordSink {
    private final OutputStream out;
    private final boolean closeUnderlying;
    private final RecordCodec codec = new RecordCodec();

    /**
     * @param closeUnderlying false for standard output, which the process owns
     */
    public JsonLinesSink(OutputStream out, boolean closeUnderlying) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.closeUnderlying = closeUnderlying;
    }

    @Override
    public void accept(ProbeRecord record) throws IOException {
        codec.writeLine(record, out);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
        if (closeUnderlying) {
            out.close();
        }
    }
}
