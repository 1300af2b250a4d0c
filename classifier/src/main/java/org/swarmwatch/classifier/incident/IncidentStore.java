package org.swarmwatch.classifier.incident;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * Where incidents written earlier are read back from (Elasticsearch in production), so that an
 * incident the builder no longer holds in memory (evicted, or written before a restart) is
 * continued rather than overwritten.
 */
public interface IncidentStore {
    /** The incidents among {@code ids} that exist; missing ids are simply absent from the map. */
    Map<String, Incident> load(Collection<String> ids) throws IOException;

    /** A store that knows nothing: every incident starts afresh (tests of logic only). */
    IncidentStore NONE = ids -> Map.of();
}
