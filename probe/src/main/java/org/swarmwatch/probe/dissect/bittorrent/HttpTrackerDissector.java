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
 * lacks bytes, {@code looking_up} for a scrape (see {@link TrackerAnnounce}).
 *
 * <p>The tracker's response to an announce is read too ({@link TrackerResponse}): its peer list
 * goes to the swarm table, so that encrypted connections among those peers can be attributed to
 * the swarm.
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
        /** The announced hash, while the response is awaited; null for scrapes and once read. */
        private byte[] announced;
        private StreamPrefix response;
        private boolean done;

        @Override
        public Verdict onPayload(PacketPayload p, ObservationSink observations) {
            if (announced != null) {
                if (!p.fromInitiator()) {
                    response(p, observations);
                }
                return Verdict.MINE;
            }
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
                    if (r.announce().scrape()) {
                        done = true;
                    } else {
                        announced = r.announce().infoHashes().get(0);
                    }
                    yield Verdict.MINE;
                }
            };
        }

        private void response(PacketPayload p, ObservationSink observations) {
            if (response == null) {
                response = new StreamPrefix(TrackerResponse.MAX_RESPONSE);
            }
            response.appendTcp(p.tcpSeq(), p.bytes(), p.offset(), p.length());
            TrackerResponse.Result r = TrackerResponse.parse(response.bytes(), 0, response.length());
            if (r.status() == TrackerResponse.Status.RESPONSE) {
                TrackerResponse peers = r.response();
                observations.swarmPeers(true, announced, peers.peers(), 0, peers.peers().length, false);
                observations.swarmPeers(true, announced, peers.peers6(), 0, peers.peers6().length, true);
            }
            if (r.status() != TrackerResponse.Status.INCOMPLETE || response.frozen()) {
                done = true;
                announced = null;
                response = null;
            }
        }

        @Override
        public boolean wantsMore() {
            return !done; // the response to an announce; one request per connection is what matters
        }
    }
}
