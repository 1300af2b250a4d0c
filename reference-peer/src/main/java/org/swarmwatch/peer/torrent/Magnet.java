package org.swarmwatch.peer.torrent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A magnet link (BEP 9): {@code xt=urn:btih:} with the v1 info hash in 40 hex digits or 32
 * base32 characters, and/or BEP 52's {@code xt=urn:btmh:1220} with the v2 info hash (a SHA-256
 * multihash: 64 hex digits), {@code dn} (display name) and {@code tr} (trackers). Other
 * parameters are ignored.
 *
 * <p>A hybrid link (both) is used through its v1 hash, as before; a v2-only link (btmh alone) is
 * found and handshaken with the SHA-256 truncated to 20 bytes ({@code infoHash}), and its metadata
 * accepted only if its SHA-256 is {@code v2InfoHash}.
 *
 * @param infoHash   the 20 bytes of the wire, trackers and DHT: the v1 info hash, or for a
 *                   v2-only link the v2 one truncated
 * @param v2InfoHash the whole SHA-256 info hash, or null if the link has none
 */
public record Magnet(byte[] infoHash, byte[] v2InfoHash, String name, List<String> trackers) {

    /**
     * A v2-only link: no v1 info hash (its {@code infoHash} is the truncated SHA-256, which a
     * SHA-1 info hash could only equal by a collision), the metadata checked by its SHA-256.
     */
    public boolean v2Only() {
        return v2InfoHash != null && Arrays.equals(infoHash, Arrays.copyOf(v2InfoHash, 20));
    }

    public static Magnet parse(String uri) {
        if (!uri.startsWith("magnet:?")) {
            throw new IllegalArgumentException("not a magnet link: " + uri);
        }
        byte[] hash = null, v2 = null;
        String name = null;
        List<String> trackers = new ArrayList<>();
        for (String pair : uri.substring(8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = pair.substring(0, eq), value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (key.equals("xt") && value.startsWith("urn:btih:")) {
                String h = value.substring(9);
                hash = h.length() == 40 ? HexFormat.of().parseHex(h) : h.length() == 32 ? base32(h) : null;
            } else if (key.equals("xt") && value.startsWith("urn:btmh:")) {
                String h = value.substring(9);
                if (!h.startsWith("1220") || h.length() != 4 + 64) {
                    throw new IllegalArgumentException("urn:btmh: " + h + " is not a SHA-256 multihash (1220 and 64 hex digits)");
                }
                try {
                    v2 = HexFormat.of().parseHex(h.substring(4));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("urn:btmh: " + h + " is not hexadecimal");
                }
            } else if (key.equals("dn")) {
                name = value;
            } else if (key.equals("tr")) {
                trackers.add(value);
            }
        }
        if (hash == null && v2 == null) {
            throw new IllegalArgumentException("no info hash (xt=urn:btih: or xt=urn:btmh:1220) in " + uri);
        }
        return new Magnet(hash != null ? hash : Arrays.copyOf(v2, 20), v2, name, List.copyOf(trackers));
    }

    private static byte[] base32(String s) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        byte[] out = new byte[20];
        long buffer = 0;
        int bits = 0, n = 0;
        for (char c : s.toUpperCase().toCharArray()) {
            int v = alphabet.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("bad base32 info hash " + s);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }
}
