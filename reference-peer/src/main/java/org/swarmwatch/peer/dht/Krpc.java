package org.swarmwatch.peer.dht;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.swarmwatch.peer.dht.KrpcMessage.AnnouncePeer;
import org.swarmwatch.peer.dht.KrpcMessage.Error;
import org.swarmwatch.peer.dht.KrpcMessage.FindNode;
import org.swarmwatch.peer.dht.KrpcMessage.GetPeers;
import org.swarmwatch.peer.dht.KrpcMessage.Query;
import org.swarmwatch.peer.dht.KrpcMessage.Response;
import org.swarmwatch.peer.torrent.BencodeReader;
import org.swarmwatch.peer.torrent.BencodeWriter;

/**
 * KRPC (BEP 5, "KRPC Protocol"): {@link KrpcMessage}s to and from bencoded datagrams, with the
 * module's {@link BencodeReader} (bounded nesting, strict) and {@link BencodeWriter}.
 *
 * <p>Reading is strict where the meaning depends on it (ids and info hashes of 20 bytes, a port in
 * 1..65535 unless {@code implied_port}, {@code nodes} a multiple of 26 bytes, compact peers of 6
 * bytes) and lenient about what it does not use (unknown keys, such as libtorrent's {@code bs} or
 * {@code want}, are ignored; peers of another length in {@code values}, IPv6 ones, are skipped).
 * Anything else throws a {@link KrpcException} carrying the error code to answer with (203 for a
 * malformed message, 204 for an unknown method) and, for a query or a message of unknown type,
 * the transaction id to answer to; a broken response or error carries none (it is not answered).
 * It never throws anything else.
 */
public final class Krpc {
    /** Longest transaction id accepted; BEP 5 suggests 2 bytes, libtorrent sends 2, we send 4. */
    public static final int MAX_TRANSACTION = 32;
    /** Longest token accepted; ours are 8 bytes, libtorrent's 4. */
    public static final int MAX_TOKEN = 64;
    /** Our client version ({@code v}): "SW" and a 2-byte version, as BEP 20 suggests. */
    static final byte[] VERSION = {'S', 'W', 0, 1};

    private Krpc() {
    }

    // ---- writing

    public static byte[] encode(KrpcMessage m) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("t", m.transaction());
        top.put("v", VERSION);
        if (m instanceof Query q) {
            top.put("y", "q");
            top.put("q", q.method());
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", q.nodeId().bytes());
            if (q instanceof FindNode f) {
                a.put("target", f.target().bytes());
            } else if (q instanceof GetPeers g) {
                a.put("info_hash", g.infoHash().bytes());
            } else if (q instanceof AnnouncePeer ap) {
                a.put("info_hash", ap.infoHash().bytes());
                a.put("port", (long) ap.port());
                a.put("token", ap.token());
                if (ap.impliedPort()) {
                    a.put("implied_port", 1L);
                }
            }
            if (q.readOnly()) {
                top.put("ro", 1L);
            }
            top.put("a", a);
        } else if (m instanceof Response r) {
            top.put("y", "r");
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("id", r.nodeId().bytes());
            if (!r.nodes().isEmpty()) {
                values.put("nodes", Contact.compactNodes(r.nodes()));
            }
            if (!r.values().isEmpty()) {
                List<byte[]> peers = new ArrayList<>();
                for (InetSocketAddress p : r.values()) {
                    byte[] c = Contact.compactPeer(p);
                    if (c != null) {
                        peers.add(c);
                    }
                }
                values.put("values", peers);
            }
            if (r.token() != null) {
                values.put("token", r.token());
            }
            top.put("r", values);
        } else if (m instanceof Error e) {
            top.put("y", "e");
            top.put("e", List.of((long) e.code(), e.message()));
        }
        return BencodeWriter.encode(top);
    }

    // ---- reading

    public static KrpcMessage decode(byte[] datagram) throws KrpcException {
        Object v;
        try {
            v = BencodeReader.decode(datagram);
        } catch (BencodeReader.BencodeException e) {
            throw new KrpcException("not bencoded: " + e.getMessage(), null, KrpcException.PROTOCOL);
        }
        if (!(v instanceof Map<?, ?> top)) {
            throw new KrpcException("not a dictionary", null, KrpcException.PROTOCOL);
        }
        if (!(top.get("t") instanceof byte[] t) || t.length > MAX_TRANSACTION) {
            throw new KrpcException("no transaction id ('t') of at most " + MAX_TRANSACTION + " bytes", null, KrpcException.PROTOCOL);
        }
        String y;
        try {
            y = string(top, "y");
        } catch (KrpcException e) {
            throw e.withTransaction(t);
        }
        switch (y) {
            case "q":
                try {
                    return query(t, top);
                } catch (KrpcException e) {
                    throw e.transaction() == null ? e.withTransaction(t) : e;
                }
            case "r":
                return response(t, dict(top, "r")); // a broken answer is not answered: no transaction in its exception
            case "e":
                return error(t, top);
            default:
                throw new KrpcException("unknown message type 'y'=" + printable(y), t, KrpcException.PROTOCOL);
        }
    }

    private static Query query(byte[] t, Map<?, ?> top) throws KrpcException {
        String method = string(top, "q");
        Map<?, ?> a = dict(top, "a");
        NodeId id = id(a, "id");
        boolean ro = top.get("ro") instanceof Long l && l == 1;
        return switch (method) {
            case "ping" -> new KrpcMessage.Ping(t, id, ro);
            case "find_node" -> new FindNode(t, id, ro, id(a, "target"));
            case "get_peers" -> new GetPeers(t, id, ro, id(a, "info_hash"));
            case "announce_peer" -> {
                boolean implied = a.get("implied_port") instanceof Long l && l != 0;
                long port = a.get("port") instanceof Long p ? p : implied ? 0 : -1;
                if (!implied && (port < 1 || port > 65535)) {
                    throw new KrpcException("announce_peer without a port in 1..65535", t, KrpcException.PROTOCOL);
                }
                byte[] token = bytes(a, "token");
                if (token.length > MAX_TOKEN) {
                    throw new KrpcException("token longer than " + MAX_TOKEN + " bytes", t, KrpcException.PROTOCOL);
                }
                yield new AnnouncePeer(t, id, ro, id(a, "info_hash"), (int) Math.max(0, Math.min(port, 65535)), implied, token);
            }
            default -> throw new KrpcException("method unknown: " + printable(method), t, KrpcException.METHOD_UNKNOWN);
        };
    }

    private static Response response(byte[] t, Map<?, ?> r) throws KrpcException {
        NodeId id = id(r, "id");
        List<Contact> nodes = r.get("nodes") instanceof byte[] n ? Contact.parseNodes(n) : List.of();
        List<InetSocketAddress> values = new ArrayList<>();
        if (r.get("values") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof byte[] b && b.length == Contact.COMPACT_PEER) {
                    values.add(Contact.parsePeer(b));
                }
            }
        } else if (r.containsKey("values")) {
            throw new KrpcException("'values' is not a list", null, KrpcException.PROTOCOL);
        }
        byte[] token = r.get("token") instanceof byte[] b ? b : null;
        if (token != null && token.length > MAX_TOKEN) {
            throw new KrpcException("token longer than " + MAX_TOKEN + " bytes", null, KrpcException.PROTOCOL);
        }
        return new Response(t, id, nodes, List.copyOf(values), token);
    }

    private static Error error(byte[] t, Map<?, ?> top) throws KrpcException {
        if (!(top.get("e") instanceof List<?> e) || e.size() < 2 || !(e.get(0) instanceof Long code) || !(e.get(1) instanceof byte[] msg)) {
            throw new KrpcException("'e' is not a list of a code and a message", null, KrpcException.PROTOCOL);
        }
        return new Error(t, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, code)),
                new String(msg, 0, Math.min(msg.length, 200), StandardCharsets.UTF_8));
    }

    private static Map<?, ?> dict(Map<?, ?> m, String key) throws KrpcException {
        if (!(m.get(key) instanceof Map<?, ?> d)) {
            throw new KrpcException("'" + key + "' is not a dictionary", null, KrpcException.PROTOCOL);
        }
        return d;
    }

    private static byte[] bytes(Map<?, ?> m, String key) throws KrpcException {
        if (!(m.get(key) instanceof byte[] b)) {
            throw new KrpcException("'" + key + "' is missing or not a string", null, KrpcException.PROTOCOL);
        }
        return b;
    }

    private static String string(Map<?, ?> m, String key) throws KrpcException {
        return new String(bytes(m, key), StandardCharsets.ISO_8859_1);
    }

    private static NodeId id(Map<?, ?> m, String key) throws KrpcException {
        byte[] b = bytes(m, key);
        if (b.length != NodeId.LENGTH) {
            throw new KrpcException("'" + key + "' is " + b.length + " bytes, not " + NodeId.LENGTH, null, KrpcException.PROTOCOL);
        }
        return NodeId.of(b);
    }

    /** At most 40 characters of a peer-chosen string, control characters replaced, for a message. */
    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
