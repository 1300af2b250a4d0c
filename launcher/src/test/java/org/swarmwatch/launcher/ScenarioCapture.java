package org.swarmwatch.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a scenario's pcap shows, measured the way ../shared/bt-captures/scripts/analyze.py
 * measures the shared captures, so that the harness's manifest rows mean what the shared ones
 * mean: frames and duration; each TCP direction's bytes (segments ordered by sequence number,
 * retransmissions dropped), classified as a plaintext BitTorrent handshake, an MSE/PE negotiation
 * that selected plaintext (96 bytes or more of keys and padding, then a handshake), an opaque
 * stream (96 bytes or more, no handshake: MSE/PE with RC4) or HTTP (a tracker); the info hashes
 * and peer ids of the handshakes read. The probe plays no part in this: it is the ground truth
 * the probe is scored against.
 *
 * <p>Reads the classic pcap format the probe's {@code --write-pcap} writes (magic a1b2c3d4 or
 * a1b23c4d, either byte order) with Ethernet frames (link type 1, what libpcap gives on
 * {@code lo}) and IPv4; a file of another kind is refused with its name and what is wrong.
 */
final class ScenarioCapture {
    /** More than any capture of the harness (a few MB): a bigger file is not one of ours. */
    static final long MAX_BYTES = 256L << 20;
    private static final byte[] PSTR = "\023BitTorrent protocol".getBytes(StandardCharsets.ISO_8859_1);
    private static final int MSE_MIN = 96;

    final byte[] raw;
    final long packets;
    final double seconds;
    /** Directions whose stream starts with a BitTorrent handshake. */
    int plainHandshakes;
    /** Directions that negotiated MSE/PE and then sent a plaintext handshake. */
    int msePlaintext;
    /** Directions of 96 bytes or more with no handshake anywhere (RC4). */
    int opaque;
    /** The info hashes (hex) of the handshakes read, sorted. */
    final SortedSet<String> infohashes = new TreeSet<>();
    /** Their peer ids, as analyze.py's {@code peer_client} names them, sorted. */
    final SortedSet<String> peerIds = new TreeSet<>();

    private ScenarioCapture(byte[] raw, long packets, double seconds) {
        this.raw = raw;
        this.packets = packets;
        this.seconds = seconds;
    }

    static ScenarioCapture read(Path pcap) throws IOException {
        long size = Files.size(pcap);
        if (size > MAX_BYTES) {
            throw new IOException(pcap + ": " + size + " bytes, more than a scenario capture holds (" + MAX_BYTES + ")");
        }
        byte[] raw = Files.readAllBytes(pcap);
        if (raw.length < 24) {
            throw new IOException(pcap + ": " + raw.length + " bytes, shorter than a pcap file header");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (Integer.reverseBytes(magic) == 0xa1b2c3d4 || Integer.reverseBytes(magic) == 0xa1b23c4d) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = Integer.reverseBytes(magic);
        }
        double fraction = switch (magic) {
            case 0xa1b2c3d4 -> 1e-6;
            case 0xa1b23c4d -> 1e-9;
            default -> throw new IOException(pcap + ": not a pcap file (magic " + Integer.toHexString(magic) + ")");
        };
        int linkType = b.getInt(20) & 0xffff;
        if (linkType != 1) {
            throw new IOException(pcap + ": link type " + linkType + ", the scenario manifest reads Ethernet (1) only");
        }
        Map<String, TreeMap<Long, byte[]>> streams = new LinkedHashMap<>();
        Map<String, Long> firstSeq = new LinkedHashMap<>();
        long packets = 0;
        double first = 0, last = 0;
        int at = 24;
        while (at < raw.length) {
            if (raw.length - at < 16) {
                throw new IOException(pcap + ": the header of frame " + (packets + 1) + " is cut short at byte " + at);
            }
            double time = Integer.toUnsignedLong(b.getInt(at)) + Integer.toUnsignedLong(b.getInt(at + 4)) * fraction;
            long captured = Integer.toUnsignedLong(b.getInt(at + 8));
            if (captured > raw.length - at - 16) {
                throw new IOException(pcap + ": frame " + (packets + 1) + " at byte " + at + " claims " + captured
                        + " bytes, past the end of the file");
            }
            first = packets == 0 ? time : first;
            last = time;
            packets++;
            tcpSegment(raw, at + 16, (int) captured, streams, firstSeq);
            at += 16 + (int) captured;
        }
        ScenarioCapture c = new ScenarioCapture(raw, packets, packets == 0 ? 0 : last - first);
        streams.forEach((direction, segments) -> c.classify(join(segments)));
        return c;
    }

    /** Adds an Ethernet/IPv4/TCP frame's payload to its direction's segments; anything else is skipped. */
    private static void tcpSegment(byte[] raw, int frame, int length, Map<String, TreeMap<Long, byte[]>> streams,
            Map<String, Long> firstSeq) {
        ByteBuffer f = ByteBuffer.wrap(raw, frame, length).slice().order(ByteOrder.BIG_ENDIAN);
        if (length < 14 + 20 || (f.getShort(12) & 0xffff) != 0x0800) {
            return;
        }
        int ip = 14, ihl = (f.get(ip) & 0x0f) * 4, total = f.getShort(ip + 2) & 0xffff;
        if (f.get(ip + 9) != 6 || ihl < 20 || total < ihl + 20 || ip + total > length || (f.getShort(ip + 6) & 0x3fff) != 0) {
            return; // not TCP, malformed, cut by the snap length, or a fragment: none of the harness's traffic
        }
        int tcp = ip + ihl, dataOffset = ((f.get(tcp + 12) & 0xf0) >> 4) * 4, payload = tcp + dataOffset, end = ip + total;
        if (dataOffset < 20 || payload > end) {
            return;
        }
        String direction = HexFormat.of().formatHex(raw, frame + ip + 12, frame + ip + 20) + ":" + (f.getShort(tcp) & 0xffff) + ">"
                + (f.getShort(tcp + 2) & 0xffff);
        long seq = Integer.toUnsignedLong(f.getInt(tcp + 4));
        boolean syn = (f.get(tcp + 13) & 0x02) != 0;
        if (syn) {
            firstSeq.put(direction, (seq + 1) & 0xffffffffL);
        }
        if (payload == end) {
            return;
        }
        long base = firstSeq.computeIfAbsent(direction, d -> seq);
        streams.computeIfAbsent(direction, d -> new TreeMap<>())
                .putIfAbsent((seq - base) & 0xffffffffL, Arrays.copyOfRange(raw, frame + payload, frame + end));
    }

    private static byte[] join(TreeMap<Long, byte[]> segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        segments.values().forEach(out::writeBytes);
        return out.toByteArray();
    }

    private void classify(byte[] data) {
        if (startsWith(data, 0, PSTR)) {
            plainHandshakes++;
            handshake(data, 0);
        } else if (startsWith(data, 0, ascii("GET /announce")) || startsWith(data, 0, ascii("GET /scrape"))
                || startsWith(data, 0, ascii("HTTP/1."))) {
            return; // the HTTP tracker
        } else if (indexOf(data, PSTR, MSE_MIN) >= 0) {
            plainHandshakes++;
            msePlaintext++;
            handshake(data, indexOf(data, PSTR, MSE_MIN));
        } else if (data.length >= MSE_MIN) {
            opaque++;
        }
    }

    /** A BEP 3 handshake at {@code at}: the protocol string, 8 reserved bytes, the info hash, the peer id. */
    private void handshake(byte[] data, int at) {
        int hash = at + PSTR.length + 8, id = hash + 20;
        if (id <= data.length) {
            infohashes.add(HexFormat.of().formatHex(data, hash, id));
        }
        if (id + 20 <= data.length) {
            peerIds.add(peerIdPrefix(Arrays.copyOfRange(data, id, id + 20)));
        }
    }

    /** The features the shared manifest names from the streams: {@code bt-tcp-plaintext-handshake}, {@code mse-negotiated-plaintext}, {@code mse-rc4-opaque}. */
    List<String> features() {
        List<String> f = new ArrayList<>();
        if (plainHandshakes > 0) {
            f.add("bt-tcp-plaintext-handshake");
        }
        if (msePlaintext > 0) {
            f.add("mse-negotiated-plaintext");
        }
        if (opaque > 0) {
            f.add("mse-rc4-opaque");
        }
        return f;
    }

    /**
     * The shared manifest's measure of whether the payload is readable on the wire: of 32 slices of
     * 48 bytes spread over the content, how many occur in the capture ("32/32" in clear, "0/32" encrypted).
     */
    String contentVisible(byte[] content) {
        int step = Math.max(1, content.length / 32), hits = 0;
        for (int i = 0; i < 32; i++) {
            int from = Math.min(i * step, Math.max(0, content.length - 48));
            if (indexOf(raw, Arrays.copyOfRange(content, from, Math.min(content.length, from + 48)), 0) >= 0) {
                hits++;
            }
        }
        return hits + "/32";
    }

    /** The client part of a peer id as analyze.py names it: {@code -TR3000-}, {@code A2-1-36-0-}, else its first 8 bytes. */
    static String peerIdPrefix(byte[] id) {
        String s = new String(id, StandardCharsets.ISO_8859_1);
        String prefix = s.matches("(?s)-[A-Za-z]{2}\\w{4}-.*") ? s.substring(0, 8) : s.startsWith("A2-") ? s.substring(0, 10) : s.substring(0, 8);
        StringBuilder printable = new StringBuilder();
        for (char c : prefix.toCharArray()) {
            printable.append(c > ' ' && c < 127 && c != ',' ? c : '?'); // a random id must not break the row
        }
        return printable.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] data, int at, byte[] prefix) {
        return data.length - at >= prefix.length && Arrays.equals(data, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i <= haystack.length - needle.length; i++) {
            if (startsWith(haystack, i, needle)) {
                return i;
            }
        }
        return -1;
    }
}
