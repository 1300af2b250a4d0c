package org.swarmwatch.events;

/** The {@code type} field of every record. */
public enum RecordType {
    FLOW("flow"), OBSERVATION("observation"), STATS("stats");

    private final String wireName;

    RecordType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static RecordType fromWire(String name) {
        for (RecordType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown record type '" + name + "' (expected flow, observation or stats)");
    }
}
