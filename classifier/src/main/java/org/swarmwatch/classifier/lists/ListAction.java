package org.swarmwatch.classifier.lists;

import org.swarmwatch.events.WireNamed;

/** What a list entry asks for when its hash is seen ({@code action}, docs/rights-lists.md). */
public enum ListAction implements WireNamed {
    /** A rights holder's claim: a match makes an incident. */
    INCIDENT("incident"),
    /**
     * Licensed content (a Linux image, an open data set distributed by BitTorrent): a match
     * suppresses incidents for the hash, whichever list claims it.
     */
    ALLOW("allow");

    private final String wireName;

    ListAction(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static ListAction fromWire(String name) {
        return WireNamed.parse(values(), name, "action");
    }
}
