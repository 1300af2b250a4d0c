package org.swarmwatch.events;

/** The {@code type} field of every record. */
public enum RecordType implements WireNamed {
    FLOW("flow"), OBSERVATION("observation"), STATS("stats");

    private final String wireName;

    RecordType(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static RecordType fromWire(String name) {
        return WireNamed.parse(values(), name, "record type");
    }
}
