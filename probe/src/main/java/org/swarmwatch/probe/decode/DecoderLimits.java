package org.swarmwatch.probe.decode;

import java.time.Duration;

/**
 * Bounds of the decoders: how deep encapsulations may nest, how long an IPv6 extension-header
 * chain may be, and what IP fragment reassembly may hold. Hostile or broken traffic meets one of
 * these, is counted, and costs nothing more.
 *
 * @param maxEncapsulationDepth  VLAN tags, MPLS labels stacks, PPPoE and tunnels crossed, in all
 * @param maxExtensionHeaders    IPv6 extension headers followed before giving up
 * @param maxFragmentDatagrams   datagrams being reassembled at once
 * @param maxFragmentBytes       memory held for reassembly in all: buffer capacity and fragment lists
 * @param maxDatagramBytes       largest reassembled datagram payload
 * @param fragmentTimeout        capture time after which an incomplete datagram is dropped
 */
public record DecoderLimits(int maxEncapsulationDepth, int maxExtensionHeaders, int maxFragmentDatagrams,
                            int maxFragmentBytes, int maxDatagramBytes, Duration fragmentTimeout) {
    public DecoderLimits {
        if (maxEncapsulationDepth < 1 || maxEncapsulationDepth > 32) {
            throw new IllegalArgumentException("max encapsulation depth must be 1..32, got " + maxEncapsulationDepth);
        }
        if (maxExtensionHeaders < 1 || maxExtensionHeaders > 64) {
            throw new IllegalArgumentException("max IPv6 extension headers must be 1..64, got " + maxExtensionHeaders);
        }
        if (maxFragmentDatagrams < 1) {
            throw new IllegalArgumentException("max fragment datagrams must be positive, got " + maxFragmentDatagrams);
        }
        if (maxDatagramBytes < 1280 || maxDatagramBytes > 65535) {
            throw new IllegalArgumentException("max datagram bytes must be 1280..65535, got " + maxDatagramBytes);
        }
        if (maxFragmentBytes < maxDatagramBytes) {
            throw new IllegalArgumentException("max fragment bytes (" + maxFragmentBytes + ") must hold one datagram ("
                    + maxDatagramBytes + ")");
        }
        if (fragmentTimeout == null || fragmentTimeout.isNegative() || fragmentTimeout.isZero()) {
            throw new IllegalArgumentException("fragment timeout must be positive, got " + fragmentTimeout);
        }
    }

    public static DecoderLimits defaults() {
        return new DecoderLimits(8, 8, 4096, 8 << 20, 65535, Duration.ofSeconds(30));
    }
}
