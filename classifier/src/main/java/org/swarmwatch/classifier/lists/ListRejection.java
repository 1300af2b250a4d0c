package org.swarmwatch.classifier.lists;

import java.time.Instant;

/**
 * A list file that was not loaded; the list's previous version, if any, stays active.
 *
 * @param file the file's name in the list directory
 * @param reason what is wrong, with the line and field where there is one
 *     ({@code acme.csv line 7, field hash: ...})
 * @param at when the file was rejected
 */
public record ListRejection(String file, String reason, Instant at) {
}
