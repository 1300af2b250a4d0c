package org.swarmwatch.probe.dissect.bittorrent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.probe.dissect.ObservationSink;

/**
 * A tracker request, over HTTP or UDP. The HTTP form (BEP 3 "Trackers", BEP 48 scrape) is the request line of
 * {@code GET <path>?info_hash=...&peer_id=...&left=...&uploaded=...&event=... HTTP/1.x}.
 * Parameter values are URL-encoded bytes; {@code info_hash} and {@code peer_id} must decode to
 * exactly 20 bytes, or the request is not a tracker request.
 *
 * @param scrape    a scrape (path ends in "scrape"), which only asks for swarm sizes
 * @param infoHashes the info hashes asked about (a scrape may carry several)
 * @param peerId    the client's peer id, or null (scrapes carry none)
 * @param left      bytes the client still lacks, or -1 if absent; 0 means it has everything (seeding)
 * @param uploaded  bytes it uploaded in this session, or -1
 * @param event     started, completed, stopped, or null
 * @param port      the port the client accepts peer connections on, or -1 if absent
 */
record TrackerAnnounce(boolean scrape, List<byte[]> infoHashes, byte[] peerId, long left, long uploaded, String event, int port) {

    /** Confidence of a tracker observation: the request format leaves little room for doubt. */
    static final double CONFIDENCE = 0.9;

    /**
     * What the client is doing with the content: a scrape only looks up; {@code left=0},
     * {@code uploaded>0} or the {@code completed} event mean it has or gives the content
     * (seeding: offering); bytes left mean it is downloading (fetching).
     */
    ObservationRole role() {
        if (scrape) {
            return ObservationRole.LOOKING_UP;
        }
        if (left == 0 || uploaded > 0 || "completed".equals(event)) {
            return ObservationRole.OFFERING;
        }
        return left > 0 ? ObservationRole.FETCHING : ObservationRole.ANNOUNCING;
    }

    /**
     * One observation per info hash, about the client (the flow's initiator), and the swarm fact
     * an announce gives: the client's host listens on {@code port} in that swarm (not for a
     * scrape, nor for the {@code stopped} event, which leaves the swarm), still downloading if
     * bytes are left. The kind is
     * {@code btih_v1} when the client implements no v2 ({@link PeerIds#v1Only}), else {@code btih}:
     * v2 clients put the truncated v2 hash in the same field (BEP 52), and nothing else here tells.
     */
    void report(String seenIn, ObservationSink observations) {
        String client = peerId == null ? null : PeerIds.client(peerId);
        HashKind kind = PeerIds.v1Only(peerId) ? HashKind.BTIH_V1 : HashKind.BTIH;
        for (byte[] hash : infoHashes) {
            if (kind == HashKind.BTIH_V1) {
                observations.hashKindProven(hash, kind);
            }
            observations.observed(true, ContentHash.of(kind, hash), seenIn, role(), CONFIDENCE, client);
            if (!scrape && !"stopped".equals(event)) {
                if (left < 0) {
                    observations.swarmMember(true, Math.max(port, 0), hash);
                } else {
                    observations.swarmMember(true, Math.max(port, 0), hash, left > 0);
                }
            }
        }
    }

    /** Longest request line read: real announces are a few hundred bytes. */
    static final int MAX_REQUEST_LINE = 4096;

    /** Outcome of looking at the start of a stream. */
    enum Status { NOT_TRACKER, INCOMPLETE, TRACKER }

    /** The parsed request, when {@link #status} is TRACKER. */
    record Result(Status status, TrackerAnnounce announce) {
        static final Result NOT = new Result(Status.NOT_TRACKER, null);
        static final Result MORE = new Result(Status.INCOMPLETE, null);
    }

    static Result parse(byte[] b, int off, int len) {
        int n = Math.min(len, MAX_REQUEST_LINE);
        for (int i = 0; i < Math.min(n, 4); i++) {
            if (b[off + i] != "GET ".charAt(i)) {
                return Result.NOT;
            }
        }
        int end = -1;
        for (int i = 4; i < n; i++) {
            if (b[off + i] == '\r' || b[off + i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return len >= MAX_REQUEST_LINE ? Result.NOT : Result.MORE;
        }
        String line = new String(b, off + 4, end - 4, StandardCharsets.ISO_8859_1);
        int space = line.lastIndexOf(' ');
        if (space < 0 || !line.startsWith("HTTP/", space + 1)) {
            return Result.NOT;
        }
        String target = line.substring(0, space);
        int q = target.indexOf('?');
        if (q < 0) {
            return Result.NOT;
        }
        String path = target.substring(0, q);
        boolean scrape = path.endsWith("scrape") || path.endsWith("scrape.php");
        List<byte[]> hashes = new ArrayList<>();
        byte[] peerId = null;
        long left = -1, uploaded = -1;
        int port = -1;
        String event = null;
        for (String param : target.substring(q + 1).split("&")) {
            int eq = param.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = param.substring(0, eq);
            byte[] value = urlDecode(param.substring(eq + 1));
            if (value == null) {
                return Result.NOT;
            }
            switch (name) {
                case "info_hash" -> {
                    if (value.length != 20 || hashes.size() == 64) {
                        return Result.NOT;
                    }
                    hashes.add(value);
                }
                case "peer_id" -> {
                    if (value.length != 20) {
                        return Result.NOT;
                    }
                    peerId = value;
                }
                case "left" -> left = number(value);
                case "uploaded" -> uploaded = number(value);
                case "port" -> port = (int) Math.min(number(value), 0x10000);
                case "event" -> event = new String(value, StandardCharsets.ISO_8859_1);
                default -> {
                }
            }
        }
        if (hashes.isEmpty() || (!scrape && peerId == null)) {
            return Result.NOT; // an announce names its client; without a hash it is something else
        }
        return new Result(Status.TRACKER, new TrackerAnnounce(scrape, hashes, peerId, left, uploaded, event,
                port > 0xffff ? -1 : port));
    }

    /** Percent-decoding of a query value (RFC 3986); null if a %-escape is broken. */
    private static byte[] urlDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16), lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(c & 0xff);
            }
        }
        return out.toByteArray();
    }

    /** A decimal counter, or -1 if it is not one (or absurdly long). */
    private static long number(byte[] v) {
        if (v.length == 0 || v.length > 18) {
            return -1;
        }
        long n = 0;
        for (byte c : v) {
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
