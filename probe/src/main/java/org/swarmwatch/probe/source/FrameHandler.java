package org.swarmwatch.probe.source;

/** Receives the frames a {@link PacketSource} reads, on the source's reading thread. */
@FunctionalInterface
public interface FrameHandler {
    /**
     * @param frame          the captured bytes; the handler may keep the array (sources hand out a fresh one per frame)
     * @param capturedLength bytes captured, {@code <= frame.length}
     * @param wireLength     the frame's length on the wire (larger when the snapshot length cut it)
     * @param timestampMicros capture time, microseconds since the epoch
     */
    void onFrame(byte[] frame, int capturedLength, int wireLength, long timestampMicros);

    /**
     * Called by live sources when no frame arrived for a while, so that flow timeouts advance on a
     * quiet link. File sources never call it.
     */
    default void onIdle(long wallClockMicros) {
    }
}
