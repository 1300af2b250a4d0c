package org.swarmwatch.probe.dissect;

import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.ObservationRole;

/**
 * Where a dissector reports a content hash it saw. The pipeline adds the flow, the time and the
 * endpoints of the packet being dissected, and pseudonymises them, so a dissector only says what
 * it saw and how sure it is.
 */
public interface ObservationSink {
    /**
     * @param role the role of the packet's sender
     * @param client client name and version where the protocol tells, else null
     */
    void observed(ContentHash hash, String seenIn, ObservationRole role, double confidence, String client);
}
