package org.swarmwatch.classifier.lists;

import java.time.Instant;

/**
 * A list file that disappeared from the directory; its list is no longer active.
 *
 * @param file the file's name
 * @param listId the id of the list it held
 * @param sha256 SHA-256 of the version that was active
 * @param at when the removal was noticed
 */
public record ListRemoval(String file, String listId, String sha256, Instant at) {
}
