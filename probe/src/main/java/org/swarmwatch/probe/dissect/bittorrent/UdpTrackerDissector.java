package org.swarmwatch.probe.dissect.bittorrent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * The UDP tracker protocol (BEP 15). A client first sends a 16-byte connect request carrying the
 * protocol's magic number 0x41727101980; the tracker answers with the same transaction id and a
 * connection id. Only a flow that made this exchange is claimed, and only announces and scrapes
 * that carry the tracker's connection id are read: a random UDP datagram cannot pass both.
 *
 * <p>Announce (98 bytes and more, BEP 41 options may follow): connection id, action 1,
 * transaction id, info hash, peer id, downloaded, left, uploaded, event, IP, key, num_want, port.
 * Scrape: connection id, action 2, transaction id, then info hashes. The announce response's
 * peers (6 bytes each over IPv4, 18 over IPv6) go to the swarm table, as do the announcing
 * client's host and port (see {@link TrackerAnnounce#report}).
 */
public final class UdpTrackerDissector extends BitTorrentFamilyDissector {
    static final long PROTOCOL_ID = 0x41727101980L;
    private static final String[] EVENTS = {null, "completed", "started", "stopped"};

    public UdpTrackerDissector() {
        super(UDP);
    }

    @Override
    public DissectorSession open(FlowContext flow) {
        return new Session(flow.ipVersion());
    }

    private static final class Session implements DissectorSession {
        private int transactionId;
        private boolean connectSent;
        private long connectionId;
        private boolean connected;
        private final int ipVersion;
        /** The hash of the last announce, until its response (with the swarm's peers) is read. */
        private byte[] announced;
        private int announceTransaction;

        Session(int ipVersion) {
            this.ipVersion = ipVersion;
        }

        @Override
        public Verdict onPayload(PacketPayload p, ObservationSink observations) {
            byte[] b = p.bytes();
            int off = p.offset(), len = p.length();
            if (!connected) {
                if (p.fromInitiator() && len == 16 && u64(b, off) == PROTOCOL_ID && u32(b, off + 8) == 0) {
                    connectSent = true;
                    transactionId = (int) u32(b, off + 12);
                    return Verdict.NEED_MORE;
                }
                if (!p.fromInitiator() && connectSent && len >= 16 && u32(b, off) == 0 && (int) u32(b, off + 4) == transactionId) {
                    connectionId = u64(b, off + 8);
                    connected = true;
                    return Verdict.MINE;
                }
                return Verdict.NOT_MINE;
            }
            if (p.fromInitiator() && len >= 16 && u64(b, off) == connectionId) {
                TrackerAnnounce a = request(b, off, len);
                if (a != null) {
                    a.report("udp_tracker", observations);
                    if (!a.scrape()) {
                        announceTransaction = (int) u32(b, off + 12);
                        announced = a.infoHashes().get(0);
                    }
                }
            } else if (!p.fromInitiator() && announced != null && len >= 20 && u32(b, off) == 1
                    && (int) u32(b, off + 4) == announceTransaction) {
                // announce response: action, transaction id, interval, leechers, seeders, then the peers
                boolean ipv6 = ipVersion == 6;
                int peers = len - 20;
                if (peers % (ipv6 ? 18 : 6) == 0) {
                    observations.swarmPeers(true, announced, b, off + 20, peers, ipv6);
                }
                announced = null;
            }
            return Verdict.MINE;
        }

        private static TrackerAnnounce request(byte[] b, int off, int len) {
            long action = u32(b, off + 8);
            if (action == 1 && len >= 98) {
                long event = u32(b, off + 80);
                return new TrackerAnnounce(false, List.of(Arrays.copyOfRange(b, off + 16, off + 36)),
                        Arrays.copyOfRange(b, off + 36, off + 56), signedOrUnknown(u64(b, off + 64)), signedOrUnknown(u64(b, off + 72)),
                        event < EVENTS.length ? EVENTS[(int) event] : null, (b[off + 96] & 0xff) << 8 | (b[off + 97] & 0xff));
            }
            if (action == 2 && len >= 36 && (len - 16) % 20 == 0) {
                List<byte[]> hashes = new ArrayList<>();
                for (int at = off + 16; at + 20 <= off + len && hashes.size() < 74; at += 20) { // BEP 15: at most 74 per scrape
                    hashes.add(Arrays.copyOfRange(b, at, at + 20));
                }
                return new TrackerAnnounce(true, hashes, null, -1, -1, null, -1);
            }
            return null;
        }

        private static long signedOrUnknown(long v) {
            return v < 0 ? -1 : v;
        }
    }

    static long u32(byte[] b, int i) {
        return ((long) (b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    static long u64(byte[] b, int i) {
        return u32(b, i) << 32 | u32(b, i + 4);
    }
}
