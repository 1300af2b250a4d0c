package org.swarmwatch.probe.dissect;

import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.ObservationRole;

/**
 * Where a dissector reports a content hash it saw. The pipeline adds the flow, the time (of the
 * packet being dissected, or of the flow's last packet when reported at its end) and the
 * endpoints, and pseudonymises them, so a dissector only says what it saw and how sure it is.
 */
public interface ObservationSink {
    /**
     * @param fromInitiator whether the endpoint the observation is about (its {@code source}) is the
     *                      flow's initiator
     * @param role          what that endpoint was doing
     * @param client        client name and version where the protocol tells, else null
     */
    void observed(boolean fromInitiator, ContentHash hash, String seenIn, ObservationRole role, double confidence, String client);
}
