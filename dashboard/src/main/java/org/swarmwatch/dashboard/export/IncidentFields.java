package org.swarmwatch.dashboard.export;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The incident fields an export's table holds (classifier.md, "Incidents"), by their API names;
 * a dotted name reaches into an object ({@code window.start}). The JSON export holds every field.
 */
final class IncidentFields {
    static final List<String> CSV = List.of("id", "last_seen", "first_seen", "subscriber", "severity", "role", "roles", "confidence",
            "seeder", "seeder_evidence", "hash", "hash_kind", "title", "rights_holder", "list_id", "list_sha256", "observations", "seen_in",
            "bytes_uploaded", "bytes_downloaded", "flow_count", "clients", "observers", "window.start", "window.end");

    private IncidentFields() {
    }

    /** The field as text: lists joined by a space, absent as empty. */
    static String text(Map<String, Object> incident, String field) {
        Object v = value(incident, field);
        if (v == null) {
            return "";
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.joining(" "));
        }
        return String.valueOf(v);
    }

    static Object value(Map<String, Object> incident, String field) {
        Object v = incident;
        for (String part : field.split("\\.")) {
            if (!(v instanceof Map<?, ?> m)) {
                return null;
            }
            v = m.get(part);
        }
        return v;
    }
}
