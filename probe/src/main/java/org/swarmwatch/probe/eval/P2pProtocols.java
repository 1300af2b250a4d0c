package org.swarmwatch.probe.eval;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The protocol names scoring counts as P2P: those a ground truth names, and the file-sharing
 * protocols nDPI 4.2 knows (its "Download" category), so that a tool labelling ordinary traffic
 * as one of them is charged a false positive even where the truth names none. Names are compared
 * in lower case; a label such as nDPI's {@code DNS.BitTorrent} counts as its P2P part.
 */
final class P2pProtocols {
    static final Set<String> FILE_SHARING = Set.of("bittorrent", "edonkey", "gnutella", "directconnect", "fasttrack",
            "openft", "applejuice", "thunder", "stealthnet", "aimini");

    private final Set<String> names;

    P2pProtocols(Set<String> fromTruth) {
        TreeSet<String> all = new TreeSet<>(FILE_SHARING);
        fromTruth.forEach(n -> all.add(canonical(n)));
        this.names = all;
    }

    static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The P2P protocol a tool's label means, or null: the first dotted part that is one. */
    String of(String label) {
        for (String part : canonical(label).split("\\.")) {
            if (names.contains(part)) {
                return part;
            }
        }
        return null;
    }
}
