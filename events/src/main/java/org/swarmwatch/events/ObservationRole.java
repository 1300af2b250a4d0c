package org.swarmwatch.events;

/**
 * What the subscriber side of an observation was doing with the content ({@code role}). Ordered
 * from the strongest evidence of making content available to the weakest.
 */
public enum ObservationRole implements WireNamed {
    /** Uploading pieces or declaring itself a seeder ({@code left=0}, complete bitfield). */
    OFFERING("offering"),
    /** Downloading pieces or metadata. */
    FETCHING("fetching"),
    /** Announcing membership of a swarm (tracker announce, DHT announce_peer) without transfer seen. */
    ANNOUNCING("announcing"),
    /** Looking peers up (DHT get_peers, scrape): no evidence of holding the content. */
    LOOKING_UP("looking_up");

    private final String wireName;

    ObservationRole(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static ObservationRole fromWire(String name) {
        return WireNamed.parse(values(), name, "role");
    }
}
