package org.swarmwatch.events;

/**
 * How subscriber addresses appear in a record. {@link #PSEUDONYMISED} is the only mode a
 * production probe uses; {@link #RAW} exists for lab switches and is written into every record it
 * touches so that such records can never pass for production data.
 */
public enum AddressMode {
    PSEUDONYMISED("pseudonymised"), RAW("raw");

    private final String wireName;

    AddressMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AddressMode fromWire(String name) {
        for (AddressMode m : values()) {
            if (m.wireName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown address mode '" + name + "' (expected pseudonymised or raw)");
    }
}
