package org.swarmwatch.events.health;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** The {@code --health-address} and {@code --health-port} options of the long-running commands, checked. */
public final class HealthAddress {
    private HealthAddress() {
    }

    /**
     * Where the health endpoint is to listen; null when no port is given (the endpoint is off).
     *
     * @throws IllegalArgumentException naming the option, for a port out of range or an address
     *                                  that is not this machine's
     */
    public static InetSocketAddress of(String address, Integer port) {
        if (port == null) {
            return null;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--health-port must be between 0 and 65535, got " + port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--health-address '" + address + "' is not an address of this machine: " + e.getMessage());
        }
    }
}
