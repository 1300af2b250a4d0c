package org.swarmwatch.probe.dissect.bittorrent;

import java.util.Map;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * The Mainline DHT (BEP 5): KRPC messages, each a bencoded dictionary with a transaction id
 * {@code t} and a type {@code y} of {@code q} (query), {@code r} (response) or {@code e} (error).
 * A flow is claimed on the first datagram that is one. Every query kind is recognised: BEP 5's
 * ping, find_node, get_peers and announce_peer, BEP 44's get and put, BEP 51's
 * sample_infohashes; only two say anything about content the querying node wants.
 *
 * <ul>
 *   <li>{@code announce_peer}: the node declares it is in the swarm and accepts peers on a port
 *       (its UDP port with {@code implied_port=1}, else {@code port}): a {@code dht_announce_peer}
 *       observation ({@code announcing}) about the querying node, and a swarm fact.</li>
 *   <li>{@code get_peers}: nodes also send it for targets that are not content, to fill their
 *       routing tables (BEP 5 refresh: targets near their own id; libtorrent 2.0 bootstraps with
 *       random targets, which in ../shared/bt-captures d_dht_libtorrent.pcap share 2 to 6 leading
 *       bits with the node's id, as many as a real info hash may by chance). So a lookup is only
 *       reported ({@code dht_get_peers}, {@code looking_up}, about the querying node) when the
 *       answer carries {@code values}: peers exist for the target, so it is a live swarm; and never
 *       when the target shares {@value #ROUTING_PREFIX_BITS} or more leading bits with the querying
 *       node's id (a routing lookup). The peers in {@code values} go to the swarm table.</li>
 *   <li>find_node, ping, get/put (targets derived from public keys or values, not content) and
 *       sample_infohashes (the answering node's storage, not the querier's interest) make none.</li>
 * </ul>
 * Per flow, at most {@value #MAX_PENDING} get_peers queries wait for their answer.
 */
public final class DhtDissector extends BitTorrentFamilyDissector {
    static final double CONFIDENCE_ANNOUNCE = 0.8;
    /** A lookup answered with peers: the target is a swarm, but the querier may only be looking. */
    static final double CONFIDENCE_GET_PEERS = 0.6;
    /** Leading bits a target shares with the querier's id from which it is a routing lookup. */
    static final int ROUTING_PREFIX_BITS = 16;
    static final int MAX_PENDING = 8;
    /** Peers taken from one answer's values. */
    static final int MAX_VALUES = 100;

    public DhtDissector() {
        super(UDP);
    }

    @Override
    public DissectorSession open(FlowContext flow) {
        return new Session(flow);
    }

    /** A get_peers query waiting for its answer. */
    private record Pending(byte[] transaction, byte[] target, boolean fromInitiator, String client) {
    }

    private static final class Session implements DissectorSession {
        private final FlowContext flow;
        /** Made on the first get_peers query: most UDP flows offered are not the DHT. */
        private Pending[] pending;
        private int nextSlot;
        private boolean mine;

        Session(FlowContext flow) {
            this.flow = flow;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Verdict onPayload(PacketPayload p, ObservationSink observations) {
            Map<String, Object> message = krpc(p);
            if (message == null) {
                return mine ? Verdict.MINE : Verdict.NOT_MINE;
            }
            mine = true;
            String y = text(message.get("y"));
            if ("q".equals(y)) {
                query(p, message, observations);
            } else if ("r".equals(y)) {
                response(p.fromInitiator(), (byte[]) message.get("t"), (Map<String, Object>) message.get("r"), observations);
            }
            return Verdict.MINE;
        }

        @SuppressWarnings("unchecked")
        private void query(PacketPayload p, Map<String, Object> message, ObservationSink observations) {
            String method = text(message.get("q"));
            Map<String, Object> args = (Map<String, Object>) message.get("a");
            byte[] id = hash(args.get("id"));
            byte[] infoHash = hash(args.get("info_hash"));
            if (id == null || infoHash == null) {
                return;
            }
            boolean init = p.fromInitiator();
            if ("announce_peer".equals(method)) {
                observations.observed(init, ContentHash.of(HashKind.BTIH, infoHash), "dht_announce_peer",
                        ObservationRole.ANNOUNCING, CONFIDENCE_ANNOUNCE, client(message));
                int udpPort = init ? flow.sourcePort() : flow.destinationPort();
                int port = args.get("implied_port") instanceof Long implied && implied == 1 ? udpPort
                        : args.get("port") instanceof Long given && given > 0 && given <= 0xffff ? given.intValue() : 0;
                observations.swarmMember(init, port, infoHash);
            } else if ("get_peers".equals(method) && sharedLeadingBits(id, infoHash) < ROUTING_PREFIX_BITS
                    && message.get("t") instanceof byte[] t) {
                if (pending == null) {
                    pending = new Pending[MAX_PENDING];
                }
                pending[nextSlot] = new Pending(t, infoHash, init, client(message));
                nextSlot = (nextSlot + 1) % MAX_PENDING;
            }
        }

        private void response(boolean fromInitiator, byte[] transaction, Map<String, Object> r, ObservationSink observations) {
            for (int i = 0; pending != null && i < MAX_PENDING; i++) {
                Pending q = pending[i];
                if (q == null || q.fromInitiator() == fromInitiator || !java.util.Arrays.equals(q.transaction(), transaction)) {
                    continue;
                }
                pending[i] = null;
                if (r.get("values") instanceof java.util.List<?> values && !values.isEmpty()) {
                    observations.observed(q.fromInitiator(), ContentHash.of(HashKind.BTIH, q.target()), "dht_get_peers",
                            ObservationRole.LOOKING_UP, CONFIDENCE_GET_PEERS, q.client());
                    peers(q, values, observations);
                }
                return;
            }
        }

        /** The compact peers of a get_peers answer (6 bytes each, or 18 for IPv6: BEP 32) to the swarm table. */
        private static void peers(Pending q, java.util.List<?> values, ObservationSink observations) {
            int n = 0;
            for (Object v : values) {
                if (n++ == MAX_VALUES) {
                    return;
                }
                if (v instanceof byte[] peer && (peer.length == 6 || peer.length == 18)) {
                    observations.swarmPeers(q.fromInitiator(), q.target(), peer, 0, peer.length, peer.length == 18);
                }
            }
        }
    }

    /** Leading bits two 20-byte ids have in common (the XOR metric's closeness, BEP 5). */
    static int sharedLeadingBits(byte[] a, byte[] b) {
        for (int i = 0; i < 20; i++) {
            int x = (a[i] ^ b[i]) & 0xff;
            if (x != 0) {
                return 8 * i + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return 160;
    }

    /** The datagram as a KRPC message, or null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> krpc(PacketPayload p) {
        if (p.length() < 12 || p.bytes()[p.offset()] != 'd') {
            return null;
        }
        Object v = Bencode.decode(p.bytes(), p.offset(), p.length(), Bencode.Limits.KRPC);
        if (!(v instanceof Map)) {
            return null;
        }
        Map<String, Object> m = (Map<String, Object>) v;
        String y = text(m.get("y"));
        if (!(m.get("t") instanceof byte[]) || y == null) {
            return null;
        }
        return switch (y) {
            case "q" -> m.get("q") instanceof byte[] && m.get("a") instanceof Map ? m : null;
            case "r" -> m.get("r") instanceof Map ? m : null;
            case "e" -> m.get("e") instanceof java.util.List ? m : null;
            default -> null;
        };
    }

    /** The "v" key (BEP 5): a client code of two letters and a two-byte version. */
    private static String client(Map<String, Object> message) {
        if (message.get("v") instanceof byte[] v && v.length == 4 && Character.isLetter(v[0]) && Character.isLetter(v[1])) {
            return new String(v, 0, 2, java.nio.charset.StandardCharsets.US_ASCII) + " " + (v[2] & 0xff) + "." + (v[3] & 0xff);
        }
        return null;
    }

    private static byte[] hash(Object v) {
        return v instanceof byte[] b && b.length == 20 ? b : null;
    }

    private static String text(Object v) {
        return v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1) : null;
    }
}
