package org.swarmwatch.probe.swarm;

/**
 * Reads a compact peer list, the form trackers and DHT nodes send peers in: per peer a 4-byte
 * IPv4 address and a 2-byte port (BEP 23, BEP 5 {@code values}, BEP 15 over IPv4) or a 16-byte
 * IPv6 address and a 2-byte port (BEP 7 {@code peers6}, BEP 32, BEP 15 over IPv6), all in network
 * byte order.
 *
 * <p>Addresses come out in the probe's flow form: IPv4 in the low 32 bits of {@code lo} with
 * {@code hi} 0, IPv6 as two 64-bit halves. Worked example: the 6 bytes {@code 0a 4d 00 0c 1a e1}
 * are 10.77.0.12 port 6881, i.e. {@code hi=0, lo=0x0a4d000c, port=6881}.
 *
 * <p>Never throws on what the wire carries: a trailing partial record (a truncated list) is
 * ignored, port 0 (not a listening port) is skipped, bounds outside the array read nothing, and
 * at most {@code max} peers are read.
 */
public final class CompactPeers {
    /** Bytes of one IPv4 peer and of one IPv6 peer. */
    public static final int IPV4_SIZE = 6, IPV6_SIZE = 18;

    /** Receives the peers read. */
    @FunctionalInterface
    public interface Peer {
        void peer(long hi, long lo, int port);
    }

    private CompactPeers() {
    }

    /**
     * Reads the peers in {@code b[offset, offset + length)}, at most {@code max} of them.
     *
     * @return how many peers were handed to {@code out}
     */
    public static int read(byte[] b, int offset, int length, boolean ipv6, int max, Peer out) {
        if (b == null || offset < 0 || length < 0 || offset > b.length - length) {
            return 0;
        }
        int size = ipv6 ? IPV6_SIZE : IPV4_SIZE;
        int n = 0;
        for (int at = offset, end = offset + length; end - at >= size && n < max; at += size) {
            long hi = 0, lo = 0;
            if (ipv6) {
                for (int i = 0; i < 8; i++) {
                    hi = hi << 8 | (b[at + i] & 0xff);
                    lo = lo << 8 | (b[at + 8 + i] & 0xff);
                }
            } else {
                for (int i = 0; i < 4; i++) {
                    lo = lo << 8 | (b[at + i] & 0xff);
                }
            }
            int port = (b[at + size - 2] & 0xff) << 8 | (b[at + size - 1] & 0xff);
            if (port != 0) {
                out.peer(hi, lo, port);
                n++;
            }
        }
        return n;
    }
}
