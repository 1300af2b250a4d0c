package org.swarmwatch.peer.torrent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A magnet link's v1 part (BEP 9): {@code xt=urn:btih:} with the info hash in 40 hex digits or
 * 32 base32 characters, {@code dn} (display name) and {@code tr} (trackers). Other parameters,
 * and BEP 52's {@code urn:btmh}, are ignored.
 */
public record Magnet(byte[] infoHash, String name, List<String> trackers) {

    public static Magnet parse(String uri) {
        if (!uri.startsWith("magnet:?")) {
            throw new IllegalArgumentException("not a magnet link: " + uri);
        }
        byte[] hash = null;
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
            } else if (key.equals("dn")) {
                name = value;
            } else if (key.equals("tr")) {
                trackers.add(value);
            }
        }
        if (hash == null) {
            throw new IllegalArgumentException("no v1 info hash (xt=urn:btih:) in " + uri);
        }
        return new Magnet(hash, name, List.copyOf(trackers));
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
