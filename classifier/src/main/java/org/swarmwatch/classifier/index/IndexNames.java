package org.swarmwatch.classifier.index;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The indices: daily ones for the probe's records ({@code <prefix>flows-2026.11.23}, by the
 * record's UTC day, so that retention deletes whole indices; ILM is not assumed), and single
 * indices for incidents, list versions and dead letters.
 */
public final class IndexNames {
    public static final String FLOWS = "flows", OBSERVATIONS = "observations", STATS = "stats";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

    private final String prefix;

    public IndexNames(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** The daily index of a record family ({@link #FLOWS}, {@link #OBSERVATIONS}, {@link #STATS}) for a time. */
    public String daily(String family, Instant time) {
        return prefix + family + "-" + DAY.format(time);
    }

    /** The pattern matching a family's daily indices. */
    public String pattern(String family) {
        return prefix + family + "-*";
    }

    public String incidents() {
        return prefix + "incidents";
    }

    public String lists() {
        return prefix + "lists";
    }

    /** The UTC day of a daily index of {@code family}, empty when the name is not one. */
    public Optional<LocalDate> dayOf(String family, String index) {
        String head = prefix + family + "-";
        if (!index.startsWith(head)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(index.substring(head.length()), DateTimeFormatter.ofPattern("yyyy.MM.dd")));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
