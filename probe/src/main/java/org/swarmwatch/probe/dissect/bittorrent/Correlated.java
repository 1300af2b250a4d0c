package org.swarmwatch.probe.dissect.bittorrent;

import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.ObservationSink.SwarmAttribution;

/**
 * The {@code correlated} observations of a BitTorrent connection that shows no hash of its own
 * (MSE-encrypted, or joined mid-stream): the swarm its endpoints were seen in by cleartext
 * traffic, about each side, with the dissector's confidence for that kind of connection and
 * that evidence (docs/architecture.md, "Correlation").
 */
final class Correlated {
    /** Bytes one side must send (and times more than it receives) to count as uploading content. */
    static final int UPLOAD_BYTES = 65536, UPLOAD_RATIO = 4;
    /** How much less sure a flow placed by its two hosts alone is than one placed by a listening endpoint. */
    static final double HOST_PAIR_DISCOUNT = 0.1;

    private Correlated() {
    }

    /**
     * Reports the flow's swarm, if the swarm table knows it. {@code confidenceBoth} when a
     * listening endpoint and the other side's host were seen in the swarm,
     * {@code confidenceResponder} when only the endpoint was, and that less
     * {@value #HOST_PAIR_DISCOUNT} when only the two hosts were. The roles come from the flow's
     * own bytes; where those say only {@code announcing}, a side whose tracker announce said it
     * was still downloading is {@code fetching}. Never {@code offering} from a tracker alone: that
     * an encrypted flow uploaded must show in its own bytes.
     */
    static boolean report(ObservationSink sink, ObservationRole initiatorRole, ObservationRole responderRole, double confidenceBoth,
                          double confidenceResponder) {
        SwarmAttribution swarm = sink.swarmOfFlow();
        if (swarm == null) {
            return false;
        }
        double confidence = switch (swarm.evidence()) {
            case ENDPOINT_AND_HOST -> confidenceBoth;
            case ENDPOINT -> confidenceResponder;
            case HOST_PAIR -> confidenceResponder - HOST_PAIR_DISCOUNT;
        };
        ContentHash hash = ContentHash.of(HashKind.BTIH, swarm.infoHash());
        sink.observed(true, hash, "correlated", told(initiatorRole, swarm.initiatorFetching()), confidence, null);
        sink.observed(false, hash, "correlated", told(responderRole, swarm.responderFetching()), confidence, null);
        return true;
    }

    /**
     * The reports of one connection whose roles come from its volume ({@link #rolesByVolume}), at
     * each segment end and at the flow's end: the first report, then one whenever a side uploaded
     * in the bytes since the last report. Bytes not reported accumulate into the next window, so
     * a slow upload still counts once it passes the threshold.
     */
    static final class Reports {
        private long initiatorReported, responderReported;
        private boolean reported;

        /** Reports the connection's swarm (if known) given the bytes each side has sent so far; whether it did. */
        boolean report(ObservationSink sink, long initiatorBytes, long responderBytes, double confidenceBoth, double confidenceResponder) {
            ObservationRole[] roles = rolesByVolume(initiatorBytes - initiatorReported, responderBytes - responderReported);
            if (reported && roles[0] == ObservationRole.ANNOUNCING) {
                return false;
            }
            if (!Correlated.report(sink, roles[0], roles[1], confidenceBoth, confidenceResponder)) {
                return false;
            }
            reported = true;
            initiatorReported = initiatorBytes;
            responderReported = responderBytes;
            return true;
        }
    }

    private static ObservationRole told(ObservationRole byVolume, boolean fetching) {
        return byVolume == ObservationRole.ANNOUNCING && fetching ? ObservationRole.FETCHING : byVolume;
    }

    /**
     * Roles from the volume each side sent: a side that sent more than {@value #UPLOAD_BYTES} bytes
     * and {@value #UPLOAD_RATIO} times what it received uploaded content ({@code offering}; the
     * other side {@code fetching}); otherwise both {@code announcing}. Index 0 is the initiator.
     */
    static ObservationRole[] rolesByVolume(long initiatorBytes, long responderBytes) {
        if (initiatorBytes > UPLOAD_BYTES && initiatorBytes > UPLOAD_RATIO * responderBytes) {
            return new ObservationRole[] {ObservationRole.OFFERING, ObservationRole.FETCHING};
        }
        if (responderBytes > UPLOAD_BYTES && responderBytes > UPLOAD_RATIO * initiatorBytes) {
            return new ObservationRole[] {ObservationRole.FETCHING, ObservationRole.OFFERING};
        }
        return new ObservationRole[] {ObservationRole.ANNOUNCING, ObservationRole.ANNOUNCING};
    }
}
