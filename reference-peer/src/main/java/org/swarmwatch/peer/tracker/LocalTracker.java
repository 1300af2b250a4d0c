package org.swarmwatch.peer.tracker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.swarmwatch.peer.torrent.BencodeWriter;

/**
 * A minimal HTTP tracker for tests (BEP 3 announce, answered with a compact peer list, BEP 23):
 * it keeps, per info hash, the peers that announced (address from the connection, port from the
 * request), forgets a peer on {@code stopped}, and hands each announcer the others. No scrape,
 * no whitelist, no expiry: a test's swarm lives as long as the test.
 *
 * <p>It binds to the address it is given (127.0.0.1 by default), so a test reaches it on
 * loopback or inside its own network namespace only. Requests are bounded by the JDK server; a
 * malformed announce is answered with a bencoded {@code failure reason}.
 */
public final class LocalTracker implements AutoCloseable {
    /** An announce as the tracker saw it; tests check events against this. */
    public record Seen(String infoHash, String peerId, InetSocketAddress peer, long left, String event) {
    }

    private record Peer(InetSocketAddress address, long left) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "local-tracker");
        t.setDaemon(true);
        return t;
    });
    private final int interval;
    private final Map<String, Map<String, Peer>> swarms = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    /** On 127.0.0.1, a free port, a 2-second interval. */
    public static LocalTracker start() throws IOException {
        return start(InetAddress.getLoopbackAddress(), 0, 2);
    }

    public static LocalTracker start(InetAddress bind, int port, int intervalSeconds) throws IOException {
        return new LocalTracker(bind, port, intervalSeconds);
    }

    private LocalTracker(InetAddress bind, int port, int interval) throws IOException {
        this.interval = interval;
        server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        server.createContext("/announce", this::announce);
        server.setExecutor(executor);
        server.start();
    }

    public String announceUrl() {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/announce";
    }

    /** Every announce so far, in order. */
    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Peers currently in the swarm of {@code infoHash}. */
    public int peers(byte[] infoHash) {
        Map<String, Peer> s = swarms.get(HexFormat.of().formatHex(infoHash));
        return s == null ? 0 : s.size();
    }

    private void announce(HttpExchange x) throws IOException {
        byte[] body;
        try {
            Map<String, byte[]> q = query(x.getRequestURI().getRawQuery());
            byte[] hash = q.get("info_hash"), id = q.get("peer_id");
            if (hash == null || hash.length != 20 || id == null || id.length != 20) {
                throw new IllegalArgumentException("info_hash and peer_id must be 20 bytes");
            }
            int port = Integer.parseInt(ascii(q, "port", null));
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("bad port");
            }
            long left = Long.parseLong(ascii(q, "left", "0"));
            String event = ascii(q, "event", "");
            String key = HexFormat.of().formatHex(hash), peerId = HexFormat.of().formatHex(id);
            InetSocketAddress address = new InetSocketAddress(x.getRemoteAddress().getAddress(), port);
            seen.add(new Seen(key, peerId, address, left, event));
            Map<String, Peer> swarm = swarms.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
            List<Peer> others = new ArrayList<>();
            swarm.forEach((k, p) -> {
                if (!k.equals(peerId)) {
                    others.add(p);
                }
            });
            if (event.equals("stopped")) {
                swarm.remove(peerId);
            } else {
                swarm.put(peerId, new Peer(address, left));
            }
            byte[] compact = new byte[6 * others.size()];
            int i = 0, complete = 0;
            for (Peer p : others) {
                byte[] ip = p.address().getAddress().getAddress();
                if (ip.length != 4) {
                    continue; // BEP 23's compact form is IPv4; a v6 peer would need BEP 7's peers6
                }
                System.arraycopy(ip, 0, compact, i, 4);
                compact[i + 4] = (byte) (p.address().getPort() >> 8);
                compact[i + 5] = (byte) p.address().getPort();
                i += 6;
                complete += p.left() == 0 ? 1 : 0;
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("interval", (long) interval);
            d.put("complete", (long) complete);
            d.put("incomplete", (long) (others.size() - complete));
            d.put("peers", java.util.Arrays.copyOf(compact, i));
            body = BencodeWriter.encode(d);
        } catch (RuntimeException e) {
            body = BencodeWriter.encode(Map.of("failure reason", "bad announce: " + e.getMessage()));
        }
        x.getResponseHeaders().set("Content-Type", "text/plain");
        x.sendResponseHeaders(200, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private static String ascii(Map<String, byte[]> q, String name, String absent) {
        byte[] v = q.get(name);
        if (v == null) {
            if (absent == null) {
                throw new IllegalArgumentException("no " + name);
            }
            return absent;
        }
        return new String(v, StandardCharsets.ISO_8859_1);
    }

    /** The query's parameters, percent-decoded to raw bytes (info_hash is binary, not text). */
    static Map<String, byte[]> query(String raw) {
        Map<String, byte[]> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(pair.substring(0, eq), decode(pair.substring(eq + 1)));
            }
        }
        return q;
    }

    private static byte[] decode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
