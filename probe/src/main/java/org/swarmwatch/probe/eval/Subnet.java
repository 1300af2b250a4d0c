package org.swarmwatch.probe.eval;

import java.net.InetAddress;

/** An address range such as {@code 10.77.0.0/24}: the lab networks of a ground truth. */
record Subnet(byte[] prefix, int bits) {

    static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        InetAddress parsed = FlowKey.address(slash < 0 ? cidr : cidr.substring(0, slash));
        if (parsed == null) {
            throw new IllegalArgumentException("not an address range: " + cidr);
        }
        byte[] address = parsed.getAddress();
        int bits = slash < 0 ? address.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        if (bits < 0 || bits > address.length * 8) {
            throw new IllegalArgumentException("bad prefix length in " + cidr);
        }
        return new Subnet(address, bits);
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != prefix.length) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i & 7);
            if ((a[i >>> 3] & mask) != (prefix[i >>> 3] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(prefix).getHostAddress() + "/" + bits;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subnet s && s.bits == bits && java.util.Arrays.equals(s.prefix, prefix);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(prefix) + bits;
    }
}
