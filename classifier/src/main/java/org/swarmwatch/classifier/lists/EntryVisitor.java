package org.swarmwatch.classifier.lists;

import org.swarmwatch.events.HashKind;

/** Receives the entries of the active lists, one call each ({@link ActiveLists#forEachEntry}). */
@FunctionalInterface
public interface EntryVisitor {
    /**
     * @param hash the hash's bytes, {@code kind.length()} long. The array is reused for the next
     *     call: copy what you keep.
     * @param kind the hash's kind
     * @param ordinal the entry's ordinal in the snapshot ({@link ActiveLists#entry(int)})
     */
    void visit(byte[] hash, HashKind kind, int ordinal);
}
