package org.swarmwatch.probe.export;

import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.Endpoint;
import org.swarmwatch.probe.privacy.IpAddresses;
import org.swarmwatch.probe.privacy.Pseudonymiser;
import org.swarmwatch.probe.privacy.SubscriberNetworks;

/**
 * The single place where an address becomes what a record says of it: a pseudonym for a
 * subscriber, the address in clear for anyone else, or, in lab mode only, every address raw.
 */
public final class AddressPolicy {
    private final SubscriberNetworks subscribers;
    private final Pseudonymiser pseudonymiser;
    private final AddressMode mode;

    public AddressPolicy(SubscriberNetworks subscribers, Pseudonymiser pseudonymiser, AddressMode mode) {
        this.subscribers = subscribers;
        this.pseudonymiser = pseudonymiser;
        this.mode = mode;
    }

    public AddressMode mode() {
        return mode;
    }

    public Endpoint endpoint(int ipVersion, long hi, long lo, int port, long packets, long bytes) {
        boolean subscriber = subscribers.contains(ipVersion, hi, lo);
        if (subscriber && mode == AddressMode.PSEUDONYMISED) {
            return new Endpoint(pseudonymiser.pseudonym(ipVersion, hi, lo), null, port, true, packets, bytes);
        }
        String ip = IpAddresses.format(ipVersion, hi, lo);
        return new Endpoint(ip, ip, port, subscriber, packets, bytes);
    }
}
