package org.swarmwatch.probe.export;

import java.io.IOException;
import org.swarmwatch.events.ProbeRecord;

/**
 * Where a probe's records go: a JSON Lines file or stream today, Kafka next. The one seam between
 * the packet path and the outside.
 *
 * <p>Called on the probe's processing thread only. {@link #accept} must not block for long: a
 * sink that cannot deliver (a broker away) buffers within a bound, spools, or counts a drop; it
 * never stalls the capture. An {@link IOException} means the sink is broken for good (disk full,
 * closed stdout) and stops the probe with a clear message.
 */
public interface RecordSink extends AutoCloseable {

    void accept(ProbeRecord record) throws IOException;

    /** Pushes out what is buffered (end of a file, a stats interval). */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
