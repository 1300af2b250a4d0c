package org.swarmwatch.classifier.lists;

import java.time.Instant;
import org.swarmwatch.events.HashKind;

/**
 * One entry of an active list, as an incident needs it. Made on demand from the columnar store
 * ({@link ActiveLists#entry(int)}), not kept.
 *
 * @param hash the hash, lowercase hex
 * @param kind its kind; its length is {@code kind.length()} bytes
 * @param title the content's title
 * @param rightsHolder who claims it (or, for {@code allow}, who licenses it)
 * @param listId the list it comes from
 * @param validFrom first instant it matches at, or null for "always was"
 * @param validUntil first instant it no longer matches at (exclusive), or null for "never ends"
 * @param action what a match asks for
 */
public record ListEntry(
        String hash,
        HashKind kind,
        String title,
        String rightsHolder,
        String listId,
        Instant validFrom,
        Instant validUntil,
        ListAction action) {

    /** Whether the entry matches at {@code at}: {@code validFrom <= at < validUntil}. */
    public boolean validAt(Instant at) {
        return (validFrom == null || !at.isBefore(validFrom)) && (validUntil == null || at.isBefore(validUntil));
    }
}
