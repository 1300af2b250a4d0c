package org.swarmwatch.probe.privacy;

import java.util.ArrayList;
import java.util.List;

/**
 * The address ranges whose hosts are the ISP's subscribers. Their addresses leave the probe only
 * as pseudonyms; addresses outside them (trackers, remote peers, servers) stay in clear.
 *
 * <p>The default is every address: a probe that was not told where its subscribers are treats
 * everyone as one, which loses some information but never leaks a subscriber.
 */
public final class SubscriberNetworks {
    private final Cidr[] networks;

    private SubscriberNetworks(List<Cidr> networks) {
        this.networks = networks.toArray(new Cidr[0]);
    }

    public static SubscriberNetworks everything() {
        return new SubscriberNetworks(List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")));
    }

    /** Parses a comma-separated list such as {@code 198.51.100.0/24,2001:db8:100::/40}. */
    public static SubscriberNetworks parse(String list) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                cidrs.add(Cidr.parse(part));
            }
        }
        if (cidrs.isEmpty()) {
            throw new IllegalArgumentException("no subscriber network given in '" + list + "'");
        }
        return new SubscriberNetworks(cidrs);
    }

    public boolean contains(int ipVersion, long hi, long lo) {
        for (Cidr c : networks) {
            if (c.contains(ipVersion, hi, lo)) {
                return true;
            }
        }
        return false;
    }

    public List<Cidr> networks() {
        return List.of(networks);
    }

    @Override
    public String toString() {
        return String.join(",", networks().stream().map(Cidr::toString).toList());
    }
}
