package org.swarmwatch.dashboard.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Component;

/** Times as the pages show them, {@code ${@times.utc(x)}}: to the second, UTC, without the ISO letters. */
@Component("times")
public class Times {
    /** {@code 2026-11-22T20:07:31.095047Z} as {@code 2026-11-22 20:07:31}; text that is no instant unchanged, null as a dash. */
    public String utc(Object iso) {
        if (iso == null) {
            return "–";
        }
        try {
            String s = Instant.parse(iso.toString()).truncatedTo(ChronoUnit.SECONDS).toString();
            return s.substring(0, 10) + " " + s.substring(11, s.length() - 1);
        } catch (DateTimeParseException e) {
            return iso.toString();
        }
    }

    /** As recorded, to the microsecond (evidence): {@code 2026-11-22 20:07:31.095047}. */
    public String precise(Object iso) {
        if (iso == null) {
            return "–";
        }
        String s = iso.toString();
        return s.matches("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z") ? s.replace('T', ' ').substring(0, s.length() - 1) : s;
    }
}
