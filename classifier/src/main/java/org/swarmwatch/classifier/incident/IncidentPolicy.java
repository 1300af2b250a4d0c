package org.swarmwatch.classifier.incident;

import java.time.Duration;

/**
 * When observations of a listed hash make an incident.
 *
 * @param window          one incident per subscriber, hash and window of this length (windows
 *                        aligned on the epoch, so a day window is a UTC day); the default is a day
 * @param lookupsIncident whether a DHT lookup (role {@code looking_up}) alone makes an incident;
 *                        off by default: looking for peers is no evidence of holding the content
 * @param minConfidence   observations below this confidence are ignored (0 keeps all)
 */
public record IncidentPolicy(Duration window, boolean lookupsIncident, double minConfidence) {
    public static final IncidentPolicy DEFAULT = new IncidentPolicy(Duration.ofDays(1), false, 0);

    public IncidentPolicy {
        if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(366)) > 0) {
            throw new IllegalArgumentException("incident window must be between 1 ms and a year: " + window);
        }
        if (minConfidence < 0 || minConfidence > 1) {
            throw new IllegalArgumentException("minimum confidence must be between 0 and 1: " + minConfidence);
        }
    }
}
