package org.swarmwatch.probe.dissect.bittorrent;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tracker's answer to an HTTP announce (BEP 3, BEP 23, BEP 7): an HTTP response whose body is a
 * bencoded dictionary with the swarm's peers, either compact ({@code peers}: 6 bytes per IPv4 peer;
 * {@code peers6}: 18 bytes per IPv6 peer) or as a list of dictionaries with {@code ip} and
 * {@code port}. Plain and chunked bodies are read; anything else is not a tracker response.
 *
 * @param peers  compact IPv4 peers (6 bytes each), possibly empty
 * @param peers6 compact IPv6 peers (18 bytes each), possibly empty
 */
record TrackerResponse(byte[] peers, byte[] peers6) {
    /** Bytes of a response read at most: 200 peers take 1.2 KB compact, some 10 KB as dictionaries. */
    static final int MAX_RESPONSE = 16384;
    private static final Bencode.Limits LIMITS = new Bencode.Limits(4, 2048, MAX_RESPONSE);

    enum Status { NOT_RESPONSE, INCOMPLETE, RESPONSE }

    record Result(Status status, TrackerResponse response) {
        static final Result NOT = new Result(Status.NOT_RESPONSE, null);
        static final Result MORE = new Result(Status.INCOMPLETE, null);
    }

    /** Reads the response that starts at {@code b[off]}, as far as {@code len} bytes go. */
    static Result parse(byte[] b, int off, int len) {
        String start = new String(b, off, Math.min(len, 12), StandardCharsets.ISO_8859_1);
        if (!"HTTP/1.".startsWith(start.substring(0, Math.min(start.length(), 7)))) {
            return Result.NOT;
        }
        int headEnd = indexOf(b, off, len, "\r\n\r\n");
        if (headEnd < 0) {
            return len >= MAX_RESPONSE ? Result.NOT : Result.MORE;
        }
        if (headEnd - off < 13 || b[off + 7] != '0' && b[off + 7] != '1' || b[off + 8] != ' ' || b[off + 9] != '2'
                || b[off + 10] != '0' || b[off + 11] != '0' || b[off + 12] != ' ') {
            return Result.NOT; // not "HTTP/1.x 200 ": an error page, a redirect: no peers
        }
        String head = new String(b, off, headEnd - off, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int body = headEnd + 4;
        byte[] content;
        if (head.contains("\ntransfer-encoding: chunked")) {
            content = dechunk(b, body, off + len);
            if (content == null) {
                return len >= MAX_RESPONSE ? Result.NOT : Result.MORE;
            }
        } else {
            content = java.util.Arrays.copyOfRange(b, body, off + len);
        }
        if (content.length == 0 || content[0] != 'd') {
            return content.length == 0 && len < MAX_RESPONSE ? Result.MORE : Result.NOT;
        }
        Object v = Bencode.decode(content, 0, content.length, LIMITS);
        if (!(v instanceof Map<?, ?> m)) {
            return len >= MAX_RESPONSE ? Result.NOT : Result.MORE; // the body may still be arriving
        }
        byte[] peers = new byte[0], peers6 = new byte[0];
        if (m.get("peers") instanceof byte[] compact && compact.length % 6 == 0) {
            peers = compact;
        } else if (m.get("peers") instanceof List<?> list) {
            java.io.ByteArrayOutputStream v4 = new java.io.ByteArrayOutputStream(), v6 = new java.io.ByteArrayOutputStream();
            fromDictionaries(list, v4, v6);
            peers = v4.toByteArray();
            peers6 = v6.toByteArray();
        }
        if (m.get("peers6") instanceof byte[] compact && compact.length % 18 == 0) {
            peers6 = peers6.length == 0 ? compact : concat(peers6, compact);
        }
        return new Result(Status.RESPONSE, new TrackerResponse(peers, peers6));
    }

    /**
     * Non-compact peers (BEP 3: {@code ip} a dotted IPv4 address, an IPv6 address in hex, or a DNS
     * name; {@code port}) as compact bytes, IPv4 ones to {@code v4} and IPv6 ones to {@code v6}.
     * Names are skipped: the probe resolves nothing it reads off the wire.
     */
    private static void fromDictionaries(List<?> list, java.io.ByteArrayOutputStream v4, java.io.ByteArrayOutputStream v6) {
        for (Object o : list) {
            if (o instanceof Map<?, ?> peer && peer.get("ip") instanceof byte[] ip && peer.get("port") instanceof Long port
                    && port > 0 && port <= 0xffff) {
                String text = new String(ip, StandardCharsets.ISO_8859_1);
                byte[] address = ipv4(text);
                java.io.ByteArrayOutputStream out = v4;
                if (address == null) {
                    address = ipv6(text);
                    out = v6;
                }
                if (address == null) {
                    continue;
                }
                out.write(address, 0, address.length);
                out.write((int) (port >> 8));
                out.write((int) (port & 0xff));
            }
        }
    }

    /** A dotted-quad IPv4 address, or null. */
    static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                return null;
            }
            address[i] = (byte) Integer.parseInt(parts[i]);
        }
        return address;
    }

    /**
     * An IPv6 address literal (RFC 4291 text form, optionally in brackets), or null. Only text
     * made of hex digits, colons and dots, with a colon, reaches {@link java.net.InetAddress},
     * which then parses it as a literal and never asks DNS; an IPv4-mapped address comes back as
     * IPv4 there and is refused here.
     */
    static byte[] ipv6(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (t.length() < 2 || t.length() > 45 || t.indexOf(':') < 0 || !t.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            byte[] address = java.net.InetAddress.getByName(t).getAddress();
            return address.length == 16 ? address : null;
        } catch (java.net.UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A chunked body (RFC 9112 7.1) made whole, or null if it has not all arrived or is broken. */
    private static byte[] dechunk(byte[] b, int at, int end) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            int lineEnd = indexOf(b, at, end - at, "\r\n");
            if (lineEnd < 0 || lineEnd - at > 16) {
                return null;
            }
            // chunk-size = 1*HEXDIG (no sign, unlike Long.parseLong), then optional extensions after ';';
            // over 8 digits (4 GiB) it is larger than any body this reads
            long n = 0;
            int digits = 0;
            for (int i = at; i < lineEnd && b[i] != ';'; i++) {
                int d = Character.digit(b[i], 16);
                if (d < 0 || ++digits > 8) {
                    return null;
                }
                n = n << 4 | d;
            }
            if (digits == 0) {
                return null;
            }
            at = lineEnd + 2;
            if (n == 0) {
                return out.toByteArray();
            }
            if (n > end - at) {
                return null;
            }
            out.write(b, at, (int) n);
            at += (int) n + 2;
        }
    }

    private static int indexOf(byte[] b, int off, int len, String needle) {
        outer:
        for (int i = off; i <= off + len - needle.length(); i++) {
            for (int j = 0; j < needle.length(); j++) {
                if (b[i + j] != needle.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
