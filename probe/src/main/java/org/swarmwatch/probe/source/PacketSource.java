package org.swarmwatch.probe.source;

/**
 * A source of raw frames: a capture file or a live interface. Reading a file and reading an
 * interface go through the same path after the source.
 *
 * <p>{@link #run} reads on the calling thread and hands every frame to the handler on that
 * thread, until the capture ends, {@link #stop} is called (from any thread), or an error stops it.
 */
public interface PacketSource extends AutoCloseable {

    /** The file path or interface name, for messages and stats records. */
    String name();

    /** The libpcap link type (DLT) of the frames; valid after construction. */
    int linkType();

    /**
     * Reads until the end of the capture or {@link #stop}. On a read error the frames read before
     * it have been handed out already; the exception says what and where.
     *
     * @return frames read
     */
    long run(FrameHandler handler) throws CaptureException;

    /** Asks {@link #run} to return soon; safe from any thread. */
    void stop();

    /** libpcap's counters, for live sources; null for files. */
    CaptureStats stats();

    @Override
    void close();
}
