package org.swarmwatch.classifier.match;

import java.time.Instant;
import org.swarmwatch.events.ContentHash;

/**
 * The rights-holder lists as the classifier asks them: what is this hash, at that time? An
 * implementation answers from an immutable snapshot, so callers on any thread may ask while a
 * reload replaces it.
 */
public interface Catalog {
    CatalogMatch check(ContentHash hash, Instant at);
}
