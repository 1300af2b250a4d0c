package org.swarmwatch.dashboard.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Request parameters checked and converted, each failure naming its parameter. */
final class Parameters {
    /** Of a date histogram: more buckets than this is a mistake (and a heavy query). */
    static final long MAX_BUCKETS = 2000;
    /** Elasticsearch's default {@code index.max_result_window}: paging stops there. */
    static final int MAX_RESULT_WINDOW = 10_000;
    /** Longest text filter (a title, a probe's name...). */
    static final int MAX_TEXT_LENGTH = 256;
    private static final Duration DEFAULT_RANGE = Duration.ofDays(1);
    private static final Pattern INTERVAL = Pattern.compile("([1-9][0-9]{0,5})([smhd])");

    private Parameters() {
    }

    /** {@code from} and {@code to}: ISO-8601 instants or UTC dates; default the last 24 hours. */
    record TimeRange(Instant from, Instant to) {
        static TimeRange of(String from, String to, Clock clock) {
            Instant end = to == null ? clock.instant() : instant("to", to);
            Instant start = from == null ? end.minus(DEFAULT_RANGE) : instant("from", from);
            if (!start.isBefore(end)) {
                throw new BadParameterException("from", "must be before to (" + start + " is not before " + end + ")");
            }
            return new TimeRange(start, end);
        }
    }

    static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new BadParameterException(name, "not an ISO-8601 instant (2026-11-23T10:00:00Z) or date (2026-11-23): '" + shorten(value) + "'");
            }
        }
    }

    /** A fixed interval such as {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}. */
    static Duration interval(String value, TimeRange range) {
        Matcher m = INTERVAL.matcher(value);
        if (!m.matches()) {
            throw new BadParameterException("interval", "not a whole number followed by s, m, h or d (such as 5m or 1h): '" + shorten(value) + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        long buckets = Duration.between(range.from(), range.to()).toMillis() / d.toMillis();
        if (buckets > MAX_BUCKETS) {
            throw new BadParameterException("interval", "makes " + buckets + " buckets from " + range.from() + " to " + range.to()
                    + "; at most " + MAX_BUCKETS + ": choose a longer interval or a shorter range");
        }
        return d;
    }

    static int bounded(String name, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw new BadParameterException(name, "must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }

    /** An optional text filter: absent (null), or 1 to {@value #MAX_TEXT_LENGTH} characters. */
    static String text(String name, String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.length() > MAX_TEXT_LENGTH) {
            throw new BadParameterException(name, "must be 1 to " + MAX_TEXT_LENGTH + " characters");
        }
        return value;
    }

    static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
