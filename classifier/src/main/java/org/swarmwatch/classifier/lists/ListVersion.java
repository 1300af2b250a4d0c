package org.swarmwatch.classifier.lists;

import java.time.Instant;

/**
 * One accepted version of a list file: what was loaded, from which bytes, verified by whom.
 *
 * @param listId the list's id
 * @param file the file's name in the list directory
 * @param format CSV or JSON
 * @param sha256 SHA-256 of the file's bytes, lowercase hex
 * @param fileBytes the file's size
 * @param signer the key that verified it, or null when it was loaded unsigned
 *     ({@link SignaturePolicy#OPTIONAL})
 * @param entryCount entries loaded
 * @param incidentEntries entries whose action is {@code incident}
 * @param allowEntries entries whose action is {@code allow}
 * @param duplicateRows rows dropped because an identical row came before
 * @param description the JSON list's {@code description}, or null
 * @param loadedAt when it became active
 */
public record ListVersion(
        String listId,
        String file,
        ListFormat format,
        String sha256,
        long fileBytes,
        Signer signer,
        int entryCount,
        int incidentEntries,
        int allowEntries,
        int duplicateRows,
        String description,
        Instant loadedAt) {
}
