package org.swarmwatch.classifier.match;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmwatch.classifier.lists.ActiveLists;
import org.swarmwatch.classifier.lists.ListAction;
import org.swarmwatch.classifier.lists.ListListener;
import org.swarmwatch.events.ContentHash;

/**
 * The {@link Catalog} over the active rights-holder lists: a {@link HashMatcher} built from every
 * entry, rebuilt (off the consumer's thread, on the list directory's) whenever the active lists
 * change, and swapped in whole, so a check always sees one consistent snapshot.
 *
 * <p>A hash may be in several entries (claimed by two rights holders, or claimed and allowed):
 * the matcher answers one ordinal per key, so the others are kept beside it, found by a second
 * pass over the entries at build time. An {@code allow} entry valid at the time wins over any
 * claim; otherwise the first claim valid at the time (lists in list id order) is the match.
 */
public final class ListCatalog implements Catalog, ListListener {
    private static final Logger LOG = LoggerFactory.getLogger(ListCatalog.class);

    private record Snapshot(ActiveLists lists, HashMatcher matcher, Map<Integer, int[]> alsoListed) {
    }

    private volatile Snapshot snapshot = build(ActiveLists.empty());

    @Override
    public void activeChanged(ActiveLists active) {
        long start = System.nanoTime();
        snapshot = build(active);
        LOG.info("hash matcher rebuilt: {} entries from {} lists in {} ms", active.entryCount(), active.versions().size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static Snapshot build(ActiveLists active) {
        HashMatcher.Builder builder = HashMatcher.builder();
        active.forEachEntry((hash, kind, ordinal) -> builder.add(hash, ordinal));
        HashMatcher matcher = builder.build();
        Map<Integer, List<Integer>> extra = new HashMap<>();
        active.forEachEntry((hash, kind, ordinal) -> {
            int first = matcher.find(hash);
            if (first != ordinal && first != HashMatcher.NONE) {
                extra.computeIfAbsent(first, k -> new ArrayList<>(1)).add(ordinal);
            }
        });
        Map<Integer, int[]> alsoListed = new HashMap<>();
        extra.forEach((k, v) -> alsoListed.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return new Snapshot(active, matcher, alsoListed);
    }

    /** Entries in the active lists. */
    public int size() {
        return snapshot.lists().entryCount();
    }

    @Override
    public CatalogMatch check(ContentHash hash, Instant at) {
        Snapshot s = snapshot;
        int first = s.matcher().find(hash.bytes());
        if (first == HashMatcher.NONE) {
            return CatalogMatch.UNLISTED;
        }
        int[] others = s.alsoListed().getOrDefault(first, new int[0]);
        int claim = -1;
        for (int i = -1; i < others.length; i++) {
            int ordinal = i < 0 ? first : others[i];
            if (!s.lists().validAt(ordinal, at)) {
                continue;
            }
            if (s.lists().action(ordinal) == ListAction.ALLOW) {
                return new CatalogMatch(CatalogMatch.Outcome.ALLOWED, s.lists().entry(ordinal), s.lists().versionOf(ordinal));
            }
            if (claim < 0) {
                claim = ordinal;
            }
        }
        return claim < 0 ? CatalogMatch.UNLISTED
                : new CatalogMatch(CatalogMatch.Outcome.LISTED, s.lists().entry(claim), s.lists().versionOf(claim));
    }
}
