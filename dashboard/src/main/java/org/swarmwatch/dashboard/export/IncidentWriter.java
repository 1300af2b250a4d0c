package org.swarmwatch.dashboard.export;

import java.io.IOException;
import java.util.Map;

/**
 * Writes one export file: {@link #begin} once with the number of incidents, {@link #incident}
 * for each (last seen first), then {@link #finish}, which completes the file but does not close
 * the stream; {@link #close} releases what it holds, finished or not. One instance per file, one
 * thread.
 */
interface IncidentWriter extends AutoCloseable {
    void begin(long incidents) throws IOException;

    void incident(Map<String, Object> incident) throws IOException;

    void finish() throws IOException;

    @Override
    default void close() throws IOException {
    }
}
