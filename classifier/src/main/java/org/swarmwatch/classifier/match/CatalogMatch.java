package org.swarmwatch.classifier.match;

import org.swarmwatch.classifier.lists.ListEntry;
import org.swarmwatch.classifier.lists.ListVersion;

/**
 * What the active lists say about one content hash at one moment.
 *
 * @param entry   the listed entry (for {@link Outcome#LISTED}) or the allow entry (for
 *                {@link Outcome#ALLOWED}); null for {@link Outcome#UNLISTED}
 * @param version the list version the entry comes from, null when unlisted
 */
public record CatalogMatch(Outcome outcome, ListEntry entry, ListVersion version) {
    public enum Outcome {
        /** In no active list valid at that time. */
        UNLISTED,
        /** Claimed by a rights holder and not allowed by any list: an incident. */
        LISTED,
        /** Licensed content (an allow entry valid then): no incident, whatever claims it. */
        ALLOWED
    }

    public static final CatalogMatch UNLISTED = new CatalogMatch(Outcome.UNLISTED, null, null);
}
