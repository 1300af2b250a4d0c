package org.swarmwatch.dashboard.export;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an export says about itself: in the JSON's {@code export} object and on the PDF's first
 * page (the CSV is rows only; its signature and audit record carry the rest).
 *
 * @param filter the filter's parameters as given (name to value), empty for all incidents
 */
public record ExportHeader(String id, Instant created, String user, List<String> roles, Map<String, String> filter, String keyFingerprint,
        String fileName) {

    /** The filter as one line for a person: {@code rightsHolder = Studio A; severity = high}. */
    public String filterText() {
        if (filter.isEmpty()) {
            return "none (all incidents)";
        }
        StringBuilder b = new StringBuilder();
        filter.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append(" = ").append(v));
        return b.toString();
    }
}
