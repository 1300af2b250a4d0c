package org.swarmwatch.classifier.lists;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lists active at one moment, immutable: what the hash matcher is built from. Entries are
 * numbered 0 to {@link #entryCount()} - 1 across all lists (lists in list id order, entries in
 * file order); an ordinal is valid for this snapshot only.
 */
public final class ActiveLists {
    private static final ActiveLists EMPTY = new ActiveLists(List.of());

    private final List<RightsList> lists;
    private final List<ListVersion> versions;
    private final int[] base;
    private final int entryCount;

    /** Each list with the version it was loaded as. */
    record Item(RightsList list, ListVersion version) {
    }

    private ActiveLists(List<Item> items) {
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing(i -> i.list().listId()));
        this.lists = sorted.stream().map(Item::list).toList();
        this.versions = sorted.stream().map(Item::version).toList();
        this.base = new int[lists.size() + 1];
        long total = 0;
        for (int i = 0; i < lists.size(); i++) {
            base[i] = (int) total;
            total += lists.get(i).size();
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 8) + " active entries");
            }
        }
        base[lists.size()] = (int) total;
        this.entryCount = (int) total;
    }

    static ActiveLists of(Map<String, Item> byFile) {
        return byFile.isEmpty() ? EMPTY : new ActiveLists(List.copyOf(byFile.values()));
    }

    public static ActiveLists empty() {
        return EMPTY;
    }

    /** The versions that make up this snapshot, in list id order. */
    public List<ListVersion> versions() {
        return versions;
    }

    public List<RightsList> lists() {
        return lists;
    }

    public Optional<RightsList> list(String listId) {
        return lists.stream().filter(l -> l.listId().equals(listId)).findFirst();
    }

    /** Entries in all lists together. */
    public int entryCount() {
        return entryCount;
    }

    /**
     * Calls {@code visitor} once per entry of every list, in ordinal order, on the calling thread.
     * Every entry is visited, whatever its validity and action: filter at match time with
     * {@link #validAt} and {@link #action}, since a list's windows open and close while it is
     * active.
     */
    public void forEachEntry(EntryVisitor visitor) {
        for (int i = 0; i < lists.size(); i++) {
            lists.get(i).forEachEntry(visitor, base[i]);
        }
    }

    /** The entry with this ordinal, made on demand (for an incident). */
    public ListEntry entry(int ordinal) {
        int l = listOf(ordinal);
        return lists.get(l).entry(ordinal - base[l]);
    }

    public ListAction action(int ordinal) {
        int l = listOf(ordinal);
        return lists.get(l).action(ordinal - base[l]);
    }

    /** Whether the entry matches at {@code at} (its validity window); allocates nothing. */
    public boolean validAt(int ordinal, Instant at) {
        int l = listOf(ordinal);
        return lists.get(l).validAt(ordinal - base[l], at.toEpochMilli());
    }

    /** The version of the list the entry belongs to. */
    public ListVersion versionOf(int ordinal) {
        return versions.get(listOf(ordinal));
    }

    private int listOf(int ordinal) {
        if (ordinal < 0 || ordinal >= entryCount) {
            throw new IndexOutOfBoundsException("ordinal " + ordinal + " of " + entryCount);
        }
        int i = Arrays.binarySearch(base, 0, lists.size(), ordinal);
        if (i >= 0) {
            // several lists may start at the same ordinal when some are empty: take the last
            while (i + 1 < lists.size() && base[i + 1] == ordinal) {
                i++;
            }
            return i;
        }
        return -i - 2;
    }
}
