package org.swarmwatch.events;

import java.util.Objects;

/**
 * One side of a flow (ECS {@code source} / {@code destination}).
 *
 * @param address  {@code address}: a subscriber's pseudonym ({@link SubscriberPseudonym}) or, for
 *                 endpoints outside the subscriber networks (and in raw lab mode), the IP address
 * @param ip       {@code ip}: the IP address in clear, or {@code null} when it is a subscriber's and
 *                 the record is pseudonymised
 * @param port     transport port, 0 when the transport has none
 * @param subscriber {@code swarmwatch.subscriber}: whether the address lies in a configured subscriber network
 * @param packets  packets this endpoint sent
 * @param bytes    IP bytes this endpoint sent (IP header included, link layer and tunnels excluded)
 */
public record Endpoint(String address, String ip, int port, boolean subscriber, long packets, long bytes) {
    public Endpoint {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (packets < 0 || bytes < 0) {
            throw new IllegalArgumentException("negative counter: packets=" + packets + " bytes=" + bytes);
        }
    }
}
