package org.swarmwatch.probe.dissect.bittorrent;

import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.StreamPrefix;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * BitTorrent HTTP tracker announces and scrapes (BEP 3, BEP 48), recognised by the request line a
 * client opens the connection with. Each info hash becomes an {@code http_tracker} observation
 * about the client: {@code offering} when it says it has everything ({@code left=0}, or
 * {@code event=completed}) or has uploaded ({@code uploaded>0}), {@code fetching} when it still
 * lacks bytes, {@code looking_up} for a scrape. The hash kind is {@code btih_v1}: a v2 client
 * announces the truncated v2 hash in the same field (BEP 52), and nothing in the request tells
 * which.
 *
 * <p>Not yet: the tracker's response (compact peer lists, for correlating encrypted flows).
 */
public final class HttpTrackerDissector extends BitTorrentFamilyDissector {

    public HttpTrackerDissector() {
        super(TCP);
    }

    @Override
    public DissectorSession open(FlowContext flow) {
        return new Session();
    }

    private static final class Session implements DissectorSession {
        @Override
        public Verdict onPayload(PacketPayload p, ObservationSink observations) {
            if (!p.fromInitiator()) {
                return Verdict.NOT_MINE; // the server spoke first, or the request was not captured
            }
            StreamPrefix prefix = p.prefix();
            TrackerAnnounce.Result r = prefix != null
                    ? TrackerAnnounce.parse(prefix.bytes(), 0, prefix.length())
                    : TrackerAnnounce.parse(p.bytes(), p.offset(), p.length());
            return switch (r.status()) {
                case NOT_TRACKER -> Verdict.NOT_MINE;
                case INCOMPLETE -> prefix != null && !prefix.frozen() ? Verdict.NEED_MORE : Verdict.NOT_MINE;
                case TRACKER -> {
                    r.announce().report("http_tracker", observations);
                    yield Verdict.MINE;
                }
            };
        }

        @Override
        public boolean wantsMore() {
            return false; // one request per connection is what matters; keep-alive reuse is rare for trackers
        }
    }
}
