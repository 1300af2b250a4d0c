package org.swarmwatch.classifier.incident;

import org.swarmwatch.events.ObservationRole;

/**
 * How much an incident weighs, from the strongest act seen. Making content available is what the
 * law cares about (DESIGN.md, "Privacy and evidence"), so offering or uploading ranks above
 * downloading, which ranks above joining a swarm, which ranks above looking up peers (no
 * evidence of holding the content at all: never an incident on its own unless configured).
 */
public enum Severity {
    INFO("info", 1),
    LOW("low", 2),
    MEDIUM("medium", 3),
    HIGH("high", 4);

    private final String label;
    private final int rank;

    Severity(String label, int rank) {
        this.label = label;
        this.rank = rank;
    }

    public String label() {
        return label;
    }

    /** 1 (info) to 4 (high): for sorting and range filters. */
    public int rank() {
        return rank;
    }

    /** The severity a role alone gives: offering is high, fetching medium, announcing low, looking up info. */
    public static Severity of(ObservationRole role) {
        return switch (role) {
            case OFFERING -> HIGH;
            case FETCHING -> MEDIUM;
            case ANNOUNCING -> LOW;
            case LOOKING_UP -> INFO;
        };
    }

    public static Severity fromLabel(String label) {
        for (Severity s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity: " + label);
    }
}
