package org.swarmwatch.probe.dissect.bittorrent;

import org.swarmwatch.probe.dissect.Dissector;

/** What every BitTorrent-family dissector shares: the {@code bittorrent} label and one transport. */
abstract class BitTorrentFamilyDissector implements Dissector {
    static final int TCP = 6, UDP = 17;

    private final int transport;

    BitTorrentFamilyDissector(int transport) {
        this.transport = transport;
    }

    @Override
    public final String protocol() {
        return "bittorrent";
    }

    @Override
    public final boolean appliesTo(int ianaProtocol) {
        return ianaProtocol == transport;
    }
}
