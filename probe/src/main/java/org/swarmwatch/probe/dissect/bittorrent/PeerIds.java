package org.swarmwatch.probe.dissect.bittorrent;

import java.util.Map;

/**
 * Names the client behind a peer id (BEP 20 conventions). Azureus style: {@code -TR3000-}, a dash,
 * a two-letter client code, four version characters, a dash. Mainline style: {@code M7-2-3--} or
 * aria2's {@code A2-1-36-0-}: a letter (or "A2"), then version numbers between dashes. Shadow style:
 * {@code S58B-----}: a letter and up to five version characters, padded with dashes. Unknown or
 * random ids give null: a guess is worse than nothing in evidence.
 */
final class PeerIds {
    private static final Map<String, String> AZUREUS = Map.ofEntries(
            Map.entry("AG", "Ares"), Map.entry("A~", "Ares"), Map.entry("AR", "Arctic"), Map.entry("AZ", "Vuze"),
            Map.entry("BB", "BitBuddy"), Map.entry("BC", "BitComet"), Map.entry("BF", "Bitflu"), Map.entry("BI", "BiglyBT"),
            Map.entry("BN", "Baidu Netdisk"), Map.entry("BT", "BitTorrent"), Map.entry("BW", "BitWombat"),
            Map.entry("CD", "Enhanced CTorrent"), Map.entry("DE", "Deluge"), Map.entry("FD", "Free Download Manager"),
            Map.entry("FW", "FrostWire"), Map.entry("FX", "Flashget"), Map.entry("KT", "KTorrent"), Map.entry("LT", "libtorrent"),
            Map.entry("LW", "LimeWire"), Map.entry("MO", "MonoTorrent"), Map.entry("PI", "PicoTorrent"), Map.entry("qB", "qBittorrent"),
            Map.entry("SD", "Thunder"), Map.entry("ST", "SymTorrent"), Map.entry("TL", "Tribler"), Map.entry("TR", "Transmission"),
            Map.entry("TT", "TuoTu"), Map.entry("UM", "uTorrent Mac"), Map.entry("UT", "uTorrent"), Map.entry("UW", "uTorrent Web"),
            Map.entry("WD", "WebTorrent Desktop"), Map.entry("WW", "WebTorrent"), Map.entry("XL", "Xunlei"), Map.entry("XX", "Xtorrent"),
            Map.entry("lt", "libTorrent (rakshasa)"), Map.entry("pX", "pHoeniX"));
    private static final Map<Character, String> SHADOW = Map.of(
            'A', "ABC", 'O', "Osprey Permaseed", 'Q', "BTQueue", 'R', "Tribler", 'S', "Shadow's client", 'T', "BitTornado",
            'U', "UPnP NAT Bit Torrent");

    private PeerIds() {
    }

    /** "Transmission 3.00", "aria2 1.36.0"..., or null when the id follows no known convention. */
    static String client(byte[] id) {
        if (id == null || id.length != 20) {
            return null;
        }
        if (id[0] == '-' && id[7] == '-') {
            String code = "" + (char) id[1] + (char) id[2];
            String name = AZUREUS.get(code);
            if (name == null) {
                return null;
            }
            int[] v = new int[4];
            for (int i = 0; i < 4; i++) {
                v[i] = versionDigit(id[3 + i]);
                if (v[i] < 0) {
                    return name;
                }
            }
            if (code.equals("TR")) {
                return name + " " + v[0] + "." + v[1] + v[2]; // Transmission: -TR3000- is 3.00
            }
            // a letter in the fourth place is a build tag (uTorrent: S stable, B beta), not a number
            boolean fourth = id[6] >= '1' && id[6] <= '9';
            return name + " " + v[0] + "." + v[1] + "." + v[2] + (fourth ? "." + v[3] : "");
        }
        if (id[0] == 'A' && id[1] == '2' && id[2] == '-') {
            String v = dashedVersion(id, 3);
            return v == null ? null : "aria2 " + v;
        }
        if (id[0] == 'M' && id[1] >= '0' && id[1] <= '9') {
            String v = dashedVersion(id, 1);
            return v == null ? null : "BitTorrent (mainline) " + v;
        }
        String shadow = SHADOW.get((char) id[0]);
        if (shadow != null && id[6] == '-' && id[7] == '-' && id[8] == '-') {
            StringBuilder v = new StringBuilder();
            for (int i = 1; i < 6 && id[i] != '-'; i++) {
                int d = versionDigit(id[i]);
                if (d < 0) {
                    return null;
                }
                v.append(v.length() == 0 ? "" : ".").append(d);
            }
            return shadow + (v.length() == 0 ? "" : " " + v);
        }
        return null;
    }

    /**
     * True when the peer id names a client release that implements no BitTorrent v2 (BEP 52), so
     * that every infohash it sends is a v1 SHA-1: Transmission before 4.0, aria2 (to 1.37),
     * rakshasa's libtorrent (rtorrent), libtorrent-rasterbar before 2.0 and qBittorrent before 4.4
     * (the first built on it). Only releases known from their change logs; anything else, or an
     * id that names no release, is false.
     */
    static boolean v1Only(byte[] id) {
        if (id == null || id.length != 20) {
            return false;
        }
        if (id[0] == 'A' && id[1] == '2' && id[2] == '-') {
            String v = dashedVersion(id, 3);
            if (v == null) {
                return false;
            }
            String[] parts = v.split("\\.");
            if (parts[0].length() > 3 || parts[1].length() > 3) {
                return false;
            }
            int major = Integer.parseInt(parts[0]), minor = Integer.parseInt(parts[1]);
            return major == 0 || major == 1 && minor <= 37;
        }
        if (id[0] != '-' || id[7] != '-') {
            return false;
        }
        int major = versionDigit(id[3]), minor = versionDigit(id[4]);
        if (major < 0 || minor < 0) {
            return false;
        }
        return switch ("" + (char) id[1] + (char) id[2]) {
            case "TR" -> major < 4;
            case "lt" -> true;
            case "LT" -> major < 2;
            case "qB" -> major < 4 || major == 4 && minor < 4;
            default -> false;
        };
    }

    /** Digits 0-9, then A-Z and a-z for 10 and above (as clients encode two-digit parts). */
    private static int versionDigit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 36;
        }
        return -1;
    }

    /** "1-36-0-" style: decimal numbers separated and ended by dashes, from {@code from}. */
    private static String dashedVersion(byte[] id, int from) {
        StringBuilder v = new StringBuilder();
        int i = from;
        int parts = 0;
        while (i < id.length && parts < 4) {
            int start = i;
            while (i < id.length && id[i] >= '0' && id[i] <= '9') {
                i++;
            }
            if (i == start || i >= id.length || id[i] != '-') {
                break;
            }
            v.append(parts == 0 ? "" : ".").append(new String(id, start, i - start, java.nio.charset.StandardCharsets.US_ASCII));
            parts++;
            i++;
        }
        return parts >= 2 ? v.toString() : null;
    }
}
