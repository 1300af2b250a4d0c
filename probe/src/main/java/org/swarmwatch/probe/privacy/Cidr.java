package org.swarmwatch.probe.privacy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR notation, matched against two-long addresses. */
public record Cidr(int ipVersion, long hi, long lo, int prefixLength) {

    /** Parses {@code 192.0.2.0/24}, {@code 2001:db8::/32}, or a bare address (a /32 or /128). */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addressText = slash < 0 ? t : t.substring(0, slash);
        if (addressText.isEmpty() || !addressText.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not a network in CIDR notation (e.g. 198.51.100.0/24 or 2001:db8::/32)");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addressText).getAddress(); // literal only: the pattern above excludes host names
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "': '" + addressText + "' is not an IP address");
        }
        int version = bytes.length == 4 ? 4 : 6;
        int max = version == 4 ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be 0.." + max);
            }
        }
        long hi = 0, lo = 0;
        if (version == 4) {
            lo = ((bytes[0] & 0xffL) << 24) | ((bytes[1] & 0xffL) << 16) | ((bytes[2] & 0xffL) << 8) | (bytes[3] & 0xffL);
        } else {
            for (int i = 0; i < 8; i++) {
                hi = hi << 8 | (bytes[i] & 0xffL);
                lo = lo << 8 | (bytes[i + 8] & 0xffL);
            }
        }
        Cidr c = new Cidr(version, hi, lo, prefix);
        if (!c.contains(version, hi, lo)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set beyond the /" + prefix + " prefix");
        }
        return c;
    }

    public boolean contains(int version, long addrHi, long addrLo) {
        if (version != ipVersion) {
            return false;
        }
        return (addrHi & maskHi()) == hi && (addrLo & maskLo()) == lo;
    }

    private long maskHi() {
        if (ipVersion == 4) {
            return 0;
        }
        return prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
    }

    private long maskLo() {
        if (ipVersion == 4) {
            return prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
        }
        return prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
    }

    @Override
    public String toString() {
        return IpAddresses.format(ipVersion, hi, lo) + "/" + prefixLength;
    }
}
