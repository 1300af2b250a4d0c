package org.swarmwatch.peer.tracker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
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
 * A minimal tracker for tests, over HTTP (BEP 3 announce, answered with a compact peer list,
 * BEP 23) and over UDP (BEP 15, on its own port: {@link #udpAnnounceUrl()}), one swarm for both:
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
    private final DatagramSocket udp;
    private final Map<Long, Long> connections = new ConcurrentHashMap<>();
    private final java.security.SecureRandom random = new java.security.SecureRandom();
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
        udp = new DatagramSocket(new InetSocketAddress(bind, 0));
        Thread t = new Thread(this::serveUdp, "local-tracker-udp");
        t.setDaemon(true);
        t.start();
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
            InetSocketAddress address = new InetSocketAddress(x.getRemoteAddress().getAddress(), port);
            Joined j = join(hash, id, address, left, event);
            byte[] compact = j.compact();
            int complete = j.complete(), i = compact.length;
            List<Peer> others = j.others();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("interval", (long) interval);
            d.put("complete", (long) complete);
            d.put("incomplete", (long) (others.size() - complete));
            d.put("peers", compact);
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

    /** The swarm after a peer's announce: the others, their compact (BEP 23) form, the seeders among them. */
    private record Joined(List<Peer> others, byte[] compact, int complete) {
    }

    /** Records an announce (HTTP or UDP) and answers with the other peers of the swarm. */
    private Joined join(byte[] hash, byte[] id, InetSocketAddress address, long left, String event) {
        String key = HexFormat.of().formatHex(hash), peerId = HexFormat.of().formatHex(id);
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
        return new Joined(others, java.util.Arrays.copyOf(compact, i), complete);
    }

    /**
     * The UDP tracker (BEP 15) on its own socket: connect (any connection id it handed out in the
     * last two minutes is accepted), announce; scrape and anything else get an error packet.
     * Malformed datagrams are dropped.
     */
    private void serveUdp() {
        byte[] buffer = new byte[2048];
        while (!udp.isClosed()) {
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(in);
            } catch (IOException e) {
                return; // closed
            }
            ByteBuffer q = ByteBuffer.wrap(in.getData(), 0, in.getLength());
            if (q.remaining() < 16) {
                continue;
            }
            long connection = q.getLong();
            int action = q.getInt(), transaction = q.getInt();
            ByteBuffer out = ByteBuffer.allocate(2048);
            if (action == UdpTracker.CONNECT && connection == UdpTracker.PROTOCOL_ID) {
                long id = random.nextLong();
                connections.put(id, System.nanoTime());
                out.putInt(UdpTracker.CONNECT).putInt(transaction).putLong(id);
            } else if (action == UdpTracker.ANNOUNCE && q.remaining() >= 82 && connectionValid(connection)) {
                byte[] hash = new byte[20], id = new byte[20];
                q.get(hash).get(id);
                q.getLong(); // downloaded
                long left = q.getLong();
                q.getLong(); // uploaded
                int event = q.getInt();
                q.getInt(); // IP: the sender's is used
                q.getInt(); // key
                q.getInt(); // num_want
                int port = q.getShort() & 0xffff;
                String name = switch (event) {
                    case 1 -> "completed";
                    case 2 -> "started";
                    case 3 -> "stopped";
                    default -> "";
                };
                Joined j = join(hash, id, new InetSocketAddress(in.getAddress(), port), left, name);
                byte[] peers = j.compact().length > 1200 ? java.util.Arrays.copyOf(j.compact(), 1200) : j.compact();
                out.putInt(UdpTracker.ANNOUNCE).putInt(transaction).putInt(interval).putInt(j.others().size() - j.complete())
                        .putInt(j.complete()).put(peers);
            } else {
                out.putInt(UdpTracker.ERROR).putInt(transaction).put("unsupported or unconnected request".getBytes(StandardCharsets.US_ASCII));
            }
            try {
                udp.send(new DatagramPacket(out.array(), out.position(), in.getSocketAddress()));
            } catch (IOException e) {
                // the asker is gone
            }
        }
    }

    private boolean connectionValid(long id) {
        Long issued = connections.get(id);
        return issued != null && System.nanoTime() - issued < java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
    }

    /** The UDP tracker's announce URL (BEP 15), same address, its own port. */
    public String udpAnnounceUrl() {
        InetSocketAddress a = (InetSocketAddress) udp.getLocalSocketAddress();
        return "udp://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/announce";
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
        udp.close();
    }
}
