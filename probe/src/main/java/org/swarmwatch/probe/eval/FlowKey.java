package org.swarmwatch.probe.eval;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A flow as scoring sees it: the transport and the two endpoints, in a fixed order, so both
 * directions and every record of one conversation (the probe's timeout segments, a reused
 * 5-tuple) are one flow. This is how tshark's conversation tables and ndpiReader's flow list
 * count, so the tools are compared on the same flows.
 *
 * <p>Addresses are kept as text in one canonical form ({@link InetAddress#getHostAddress()}), or
 * as written when they are not a valid literal (ndpiReader 4.2 prints some IPv6 addresses with two
 * {@code ::}); such an address is in no network.
 */
record FlowKey(String transport, String addressA, int portA, String addressB, int portB) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** The key of a flow between two endpoints given as IP literals (IPv6 with or without brackets). */
    static FlowKey of(String transport, String ip1, int port1, String ip2, int port2) {
        String a = canonical(ip1), b = canonical(ip2);
        int order = a.compareTo(b);
        if (order > 0 || order == 0 && port1 > port2) {
            return new FlowKey(transport, b, port2, a, port1);
        }
        return new FlowKey(transport, a, port1, b, port2);
    }

    private static String canonical(String ip) {
        InetAddress address = address(ip);
        return address == null ? ip.toLowerCase(Locale.ROOT) : address.getHostAddress();
    }

    /** The address an IP literal stands for, or null if it is none; never asks a name server. */
    static InetAddress address(String ip) {
        String s = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
        try {
            Matcher v4 = IPV4.matcher(s);
            if (v4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(v4.group(i + 1));
                    if (octet > 255) {
                        return null;
                    }
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes);
            }
            // with a colon, the JDK parses an IPv6 literal or rejects it, without a name lookup
            return IPV6.matcher(s).matches() ? InetAddress.getByName(s) : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
