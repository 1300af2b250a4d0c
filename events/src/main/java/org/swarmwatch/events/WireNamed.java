package org.swarmwatch.events;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum constant with a fixed lower-case name on the wire (JSON, Kafka, Elasticsearch). */
public interface WireNamed {
    String wireName();

    /** The constant whose wire name is {@code name}; else an error naming what was expected. */
    static <E extends Enum<E> & WireNamed> E parse(E[] values, String name, String what) {
        for (E e : values) {
            if (e.wireName().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + name + "' (expected "
                + Arrays.stream(values).map(WireNamed::wireName).collect(Collectors.joining(", ")) + ")");
    }
}
