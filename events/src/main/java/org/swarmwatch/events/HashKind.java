package org.swarmwatch.events;

/** The kinds of content hash an observation can carry ({@code hash_kind}). */
public enum HashKind implements WireNamed {
    /** BitTorrent v1 infohash: SHA-1 of the bencoded info dictionary (BEP 3). */
    BTIH_V1("btih_v1", 20),
    /** BitTorrent v2 infohash: SHA-256 of the info dictionary (BEP 52). */
    BTIH_V2("btih_v2", 32),
    /** A v2 infohash truncated to 20 bytes, as v2 peers put it in the handshake and the DHT (BEP 52). */
    BTIH_V2_TRUNCATED("btih_v2_truncated", 20),
    /**
     * A 20-byte BitTorrent infohash whose version the traffic did not show: a v1 SHA-1 or a v2
     * SHA-256 truncated to 20 bytes. Peers, trackers and the DHT carry both in the same fields
     * (BEP 52), so a handshake or an announce alone cannot tell them apart; the probe says
     * {@code btih_v1} or {@code btih_v2_truncated} only when something proved which (see
     * docs/events.md). Match it against both.
     */
    BTIH("btih", 20);

    private final String wireName;
    private final int length;

    HashKind(String wireName, int length) {
        this.wireName = wireName;
        this.length = length;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** Length of the hash in bytes. */
    public int length() {
        return length;
    }

    public static HashKind fromWire(String name) {
        return WireNamed.parse(values(), name, "hash kind");
    }
}
