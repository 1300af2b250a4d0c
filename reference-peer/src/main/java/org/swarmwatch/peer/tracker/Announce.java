package org.swarmwatch.peer.tracker;

import java.net.InetSocketAddress;
import java.util.List;

/** What goes into an HTTP tracker announce (BEP 3), and what comes back. */
public final class Announce {
    private Announce() {
    }

    /** BEP 3's {@code event}: present on the first, the completing and the last announce only. */
    public enum Event {
        NONE(null), STARTED("started"), COMPLETED("completed"), STOPPED("stopped");

        private final String wire;

        Event(String wire) {
            this.wire = wire;
        }

        /** The value of the {@code event} parameter, or null for a regular announce. */
        public String wire() {
            return wire;
        }
    }

    /**
     * @param port the port this peer listens on
     * @param left bytes still missing; 0 for a seeder
     */
    public record Request(byte[] infoHash, byte[] peerId, int port, long uploaded, long downloaded, long left, Event event,
            int numWant) {
    }

    /**
     * A tracker's answer.
     *
     * @param interval seconds until the next regular announce
     * @param peers    other peers in the swarm
     */
    public record Response(int interval, List<InetSocketAddress> peers) {
    }
}
