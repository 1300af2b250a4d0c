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
 * A flow is claimed on the first datagram that is one.
 *
 * <p>Only {@code announce_peer} becomes an observation ({@code dht_announce_peer},
 * {@code announcing}, about the querying node): the node declares it is in the swarm.
 *
 * <p>{@code get_peers} does not, yet: nodes also send it for targets that are not content, to
 * fill their routing tables (BEP 5 refresh; libtorrent 2.0 bootstraps with get_peers for random
 * targets, which in ../shared/bt-captures d_dht_libtorrent.pcap share only 2 to 6 leading bits
 * with the node's id, as many as a real info hash does by chance). Telling the two apart needs
 * evidence from other packets (an announce_peer, a tracker request or a handshake for the same
 * hash), which is the correlation table still to come. {@code find_node}, {@code ping}, BEP 44
 * {@code get}/{@code put} (targets derived from keys, not content) and BEP 51
 * {@code sample_infohashes} (the answering node's storage, not the querier's interest) make none.
 */
public final class DhtDissector extends BitTorrentFamilyDissector {
    static final double CONFIDENCE_ANNOUNCE = 0.8;

    public DhtDissector() {
        super(UDP);
    }

    @Override
    public DissectorSession open(FlowContext flow) {
        boolean[] mine = {false};
        return (p, observations) -> {
            Map<String, Object> message = krpc(p);
            if (message == null) {
                return mine[0] ? Verdict.MINE : Verdict.NOT_MINE;
            }
            mine[0] = true;
            if ("q".equals(text(message.get("y")))) {
                query(p, message, observations);
            }
            return Verdict.MINE;
        };
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

    @SuppressWarnings("unchecked")
    private static void query(PacketPayload p, Map<String, Object> message, ObservationSink observations) {
        String method = text(message.get("q"));
        Map<String, Object> args = (Map<String, Object>) message.get("a");
        byte[] id = hash(args.get("id"));
        byte[] infoHash = hash(args.get("info_hash"));
        if (id == null || infoHash == null) {
            return;
        }
        if ("announce_peer".equals(method)) {
            observations.observed(p.fromInitiator(), ContentHash.of(HashKind.BTIH_V1, infoHash), "dht_announce_peer",
                    ObservationRole.ANNOUNCING, CONFIDENCE_ANNOUNCE, client(message));
        }
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
