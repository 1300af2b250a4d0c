package org.swarmwatch.events;

/**
 * How subscriber addresses appear in a record. {@link #PSEUDONYMISED} is the only mode a
 * production probe uses; {@link #RAW} exists for lab switches and is written into every record it
 * touches so that such records can never pass for production data.
 */
public enum AddressMode implements WireNamed {
    PSEUDONYMISED("pseudonymised"), RAW("raw");

    private final String wireName;

    AddressMode(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static AddressMode fromWire(String name) {
        return WireNamed.parse(values(), name, "address mode");
    }
}
