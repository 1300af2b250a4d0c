package org.swarmwatch.probe.source;

import java.sql.Timestamp;
import org.pcap4j.core.PcapHandle;

/** Hands one frame of a pcap4j raw-packet callback to a {@link FrameHandler}, with its time and wire length. */
final class LibpcapFrames {
    private LibpcapFrames() {
    }

    /** Valid only inside the handle's callback, which is when pcap4j keeps the frame's header. */
    static void deliver(PcapHandle handle, byte[] frame, FrameHandler handler) {
        Timestamp ts = handle.getTimestamp();
        long micros = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000L + ts.getNanos() / 1000;
        Integer original = handle.getOriginalLength();
        handler.onFrame(frame, frame.length, original == null ? frame.length : Math.max(original, frame.length), micros);
    }
}
