package org.swarmwatch.peer.tracker;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.swarmwatch.peer.torrent.BencodeReader;
import org.swarmwatch.peer.torrent.BencodeReader.BencodeException;

/**
 * Announces to an HTTP tracker (BEP 3) asking for compact peer lists (BEP 23, 6 bytes a peer),
 * and reads the answer: compact or, from an old tracker, a list of dictionaries; a {@code udp://}
 * announce URL goes to {@link UdpTracker} (BEP 15).
 *
 * <p>Bounded and guarded: connect and read timeouts, answers larger than {@link #MAX_RESPONSE}
 * are refused, and a tracker whose address {@code mayContact} refuses is never contacted (tests
 * allow loopback only). A failure is an {@link IOException}, with the tracker's own
 * {@code failure reason} when it gave one.
 */
public final class TrackerClient {
    /** Largest tracker answer read; a compact list of 200 peers is 1.2 KB. */
    public static final int MAX_RESPONSE = 1 << 20;

    private final Duration timeout;
    private final Predicate<InetAddress> mayContact;
    private final InetAddress bind;

    public TrackerClient(Duration timeout, Predicate<InetAddress> mayContact) {
        this(timeout, mayContact, null);
    }

    /** @param bind the local address UDP announces are sent from (the peer's own), or null for any */
    public TrackerClient(Duration timeout, Predicate<InetAddress> mayContact, InetAddress bind) {
        this.timeout = timeout;
        this.mayContact = mayContact;
        this.bind = bind;
    }

    public Announce.Response announce(String announceUrl, Announce.Request r) throws IOException {
        if (announceUrl.startsWith("udp://")) {
            return new UdpTracker(timeout, mayContact, bind).announce(announceUrl, r);
        }
        URI base = URI.create(announceUrl);
        if (!"http".equals(base.getScheme()) || base.getHost() == null) {
            throw new IOException("not an HTTP tracker: " + announceUrl);
        }
        InetAddress host = InetAddress.getByName(base.getHost());
        if (!mayContact.test(host)) {
            throw new IOException("refusing to contact tracker " + host.getHostAddress() + " (not an allowed address)");
        }
        StringBuilder q = new StringBuilder(announceUrl).append(announceUrl.contains("?") ? '&' : '?');
        q.append("info_hash=").append(percent(r.infoHash()))
                .append("&peer_id=").append(percent(r.peerId()))
                .append("&port=").append(r.port())
                .append("&uploaded=").append(r.uploaded())
                .append("&downloaded=").append(r.downloaded())
                .append("&left=").append(r.left())
                .append("&compact=1&numwant=").append(r.numWant());
        if (r.event().wire() != null) {
            q.append("&event=").append(r.event().wire());
        }
        HttpURLConnection c = (HttpURLConnection) URI.create(q.toString()).toURL().openConnection(java.net.Proxy.NO_PROXY);
        c.setConnectTimeout((int) timeout.toMillis());
        c.setReadTimeout((int) timeout.toMillis());
        c.setInstanceFollowRedirects(false);
        try {
            int status = c.getResponseCode();
            if (status != 200) {
                throw new IOException("tracker answered HTTP " + status);
            }
            byte[] body;
            try (InputStream in = c.getInputStream()) {
                body = in.readNBytes(MAX_RESPONSE + 1);
            }
            if (body.length > MAX_RESPONSE) {
                throw new IOException("tracker answer larger than " + MAX_RESPONSE + " bytes");
            }
            return parse(body);
        } finally {
            c.disconnect();
        }
    }

    /** Reads a tracker's bencoded answer. */
    public static Announce.Response parse(byte[] body) throws IOException {
        if (!(BencodeReader.decode(body) instanceof Map<?, ?> d)) {
            throw new BencodeException("tracker answer is not a dictionary");
        }
        if (d.get("failure reason") instanceof byte[] reason) {
            throw new IOException("tracker failure: " + new String(reason, StandardCharsets.UTF_8));
        }
        int interval = d.get("interval") instanceof Long i ? (int) Math.max(1, Math.min(i, 86_400)) : 1800;
        List<InetSocketAddress> peers = new ArrayList<>();
        Object p = d.get("peers");
        if (p instanceof byte[] compact) {
            if (compact.length % 6 != 0) {
                throw new BencodeException("compact peer list of " + compact.length + " bytes, not a multiple of 6");
            }
            for (int i = 0; i < compact.length; i += 6) {
                byte[] ip = {compact[i], compact[i + 1], compact[i + 2], compact[i + 3]};
                int port = ((compact[i + 4] & 0xff) << 8) | (compact[i + 5] & 0xff);
                peers.add(new InetSocketAddress(InetAddress.getByAddress(ip), port));
            }
        } else if (p instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && m.get("ip") instanceof byte[] ip && m.get("port") instanceof Long port
                        && port > 0 && port < 65536) {
                    String literal = new String(ip, StandardCharsets.ISO_8859_1);
                    if (literal.matches("[0-9.]+|[0-9a-fA-F:]+")) { // an address literal: never a DNS lookup
                        try {
                            peers.add(new InetSocketAddress(InetAddress.getByName(literal), port.intValue()));
                        } catch (UnknownHostException e) {
                            // not an address after all: skipped
                        }
                    }
                }
            }
        }
        return new Announce.Response(interval, List.copyOf(peers));
    }

    /** URL-encodes raw bytes: unreserved characters as they are, every other byte as %XX. */
    static String percent(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                s.append((char) c);
            } else {
                s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return s.toString();
    }
}
