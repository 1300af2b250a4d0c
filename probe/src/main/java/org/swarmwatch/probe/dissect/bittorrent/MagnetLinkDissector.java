package org.swarmwatch.probe.dissect.bittorrent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.probe.dissect.Dissector;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.StreamPrefix;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * Magnet links (BEP 9, BEP 52) in cleartext HTTP: in a request's target or the start of its body
 * (a torrent client's web interface being handed a magnet, a form posting one), and in a
 * response's {@code Location} header (a site redirecting the browser to a magnet, which is how
 * "download" buttons hand them to the client). Each {@code xt} becomes a {@code magnet}
 * observation about the client side of the connection, {@code looking_up}: the subscriber asked
 * for the content, nothing more is shown. {@code urn:btih:} (40 hex digits or 32 base32
 * characters) is the v1 infohash; {@code urn:btmh:1220} + 64 hex digits is the v2 SHA-256
 * (a multihash).
 *
 * <p>Magnets in response bodies (search result pages list dozens) are not read: the page shows
 * what a site offers, not what the subscriber chose. The flow is never claimed: it stays HTTP for
 * whoever recognises that; this dissector only reads the first {@code PREFIX_LIMIT} bytes of each
 * direction that the registry keeps for undecided flows, and at most {@value #MAX_LINKS} hashes.
 */
public final class MagnetLinkDissector implements Dissector {
    static final double CONFIDENCE = 0.5;
    static final int MAX_LINKS = 4;
    private static final String[] METHODS = {"GET ", "POST ", "PUT ", "HEAD "};
    private static final String[] RESPONSE = {"HTTP/1."};

    @Override
    public String protocol() {
        return "http";
    }

    @Override
    public boolean appliesTo(int ianaProtocol) {
        return ianaProtocol == 6;
    }

    @Override
    public DissectorSession open(FlowContext flow) {
        return new Session();
    }

    private static final class Session implements DissectorSession {
        private boolean requestRead, responseRead, waitedForBody;
        private int reported;

        @Override
        public Verdict onPayload(PacketPayload p, ObservationSink observations) {
            StreamPrefix prefix = p.prefix();
            if (prefix == null) {
                return Verdict.NOT_MINE;
            }
            if (p.fromInitiator()) {
                if (!requestRead) {
                    if (!startsLike(prefix, METHODS)) {
                        return Verdict.NOT_MINE; // not an HTTP request: decided on its first bytes, without copying them
                    }
                    int head = endOfHead(prefix);
                    boolean bodyToCome = head + 4 == prefix.length() && prefix.bytes()[0] == 'P'; // a POST's form body
                    if (!prefix.frozen() && (head < 0 || bodyToCome && !waitedForBody)) {
                        waitedForBody = head >= 0;
                        return Verdict.NEED_MORE;
                    }
                    requestRead = true;
                    if (containsMagnet(prefix)) {
                        report(text(prefix), observations);
                    }
                }
            } else if (!responseRead) {
                if (!requestRead || !startsLike(prefix, RESPONSE)) {
                    return Verdict.NOT_MINE;
                }
                int head = endOfHead(prefix);
                if (head < 0 && !prefix.frozen()) {
                    return Verdict.NEED_MORE;
                }
                responseRead = true;
                if (containsMagnet(prefix)) {
                    String text = text(prefix);
                    for (String line : (head < 0 ? text : text.substring(0, head)).split("\r\n")) {
                        if (line.regionMatches(true, 0, "location:", 0, 9)) {
                            report(line, observations);
                        }
                    }
                }
            }
            return requestRead && responseRead ? Verdict.NOT_MINE : Verdict.NEED_MORE;
        }

        private static String text(StreamPrefix prefix) {
            return new String(prefix.bytes(), 0, prefix.length(), StandardCharsets.ISO_8859_1);
        }

        private void report(String text, ObservationSink observations) {
            for (ContentHash hash : hashes(text)) {
                if (reported++ == MAX_LINKS) {
                    return;
                }
                observations.observed(true, hash, "magnet", ObservationRole.LOOKING_UP, CONFIDENCE, null);
            }
        }
    }

    /** Whether the prefix holds "magnet", case-insensitively, without copying it. */
    static boolean containsMagnet(StreamPrefix prefix) {
        byte[] b = prefix.bytes();
        for (int i = 0, n = prefix.length() - 6; i <= n; i++) {
            if ((b[i] | 0x20) == 'm' && (b[i + 1] | 0x20) == 'a' && (b[i + 2] | 0x20) == 'g' && (b[i + 3] | 0x20) == 'n'
                    && (b[i + 4] | 0x20) == 'e' && (b[i + 5] | 0x20) == 't') {
                return true;
            }
        }
        return false;
    }

    /** Where the blank line that ends an HTTP head starts in the prefix, or -1. */
    private static int endOfHead(StreamPrefix prefix) {
        byte[] b = prefix.bytes();
        for (int i = 0, n = prefix.length() - 4; i <= n; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsLike(StreamPrefix prefix, String[] starts) {
        byte[] b = prefix.bytes();
        for (String s : starts) {
            int n = Math.min(prefix.length(), s.length());
            boolean same = n > 0;
            for (int i = 0; i < n && same; i++) {
                same = b[i] == s.charAt(i);
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    /** The hashes of the {@code xt} parameters of every magnet link in {@code text} (raw or percent-encoded). */
    static List<ContentHash> hashes(String text) {
        List<ContentHash> hashes = new ArrayList<>();
        String decoded = percentDecode(percentDecode(text)); // links are often encoded once more inside a query
        String lower = decoded.toLowerCase(Locale.ROOT);
        for (int at = lower.indexOf("magnet:?"); at >= 0 && hashes.size() < MAX_LINKS; at = lower.indexOf("magnet:?", at + 8)) {
            int end = at + 8;
            while (end < lower.length() && " \t\r\n\"'<>".indexOf(lower.charAt(end)) < 0) {
                end++;
            }
            for (String param : decoded.substring(at + 8, end).split("&")) {
                int eq = param.indexOf('=');
                if (eq < 0 || !param.substring(0, eq).toLowerCase(Locale.ROOT).matches("xt(\\.\\d+)?")) {
                    continue;
                }
                ContentHash h = urn(param.substring(eq + 1));
                if (h != null && !hashes.contains(h)) {
                    hashes.add(h);
                }
            }
        }
        return hashes;
    }

    /** {@code urn:btih:} (hex or base32) or {@code urn:btmh:1220...} as a hash, else null. */
    static ContentHash urn(String value) {
        String v = value.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("urn:btih:")) {
            String h = v.substring(9);
            if (h.length() == 40 && h.matches("[0-9a-fA-F]{40}")) {
                return ContentHash.of(HashKind.BTIH_V1, HexFormat.of().parseHex(h.toLowerCase(Locale.ROOT)));
            }
            byte[] b = h.length() == 32 ? base32(h) : null;
            return b == null ? null : ContentHash.of(HashKind.BTIH_V1, b);
        }
        if (lower.startsWith("urn:btmh:1220") && v.length() == 13 + 64 && lower.substring(13).matches("[0-9a-f]{64}")) {
            return ContentHash.of(HashKind.BTIH_V2, HexFormat.of().parseHex(lower.substring(13)));
        }
        return null;
    }

    /** RFC 4648 base32 (no padding) of exactly 32 characters: 20 bytes; null if not base32. */
    static byte[] base32(String s) {
        byte[] out = new byte[20];
        long buffer = 0;
        int bits = 0, n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toUpperCase(s.charAt(i));
            int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
            if (v < 0) {
                return null;
            }
            buffer = buffer << 5 | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        return n == 20 ? out : null;
    }

    /** Percent-decoding, leaving broken escapes as they are. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int hi = c == '%' && i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (lo >= 0) {
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(c & 0xff);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
