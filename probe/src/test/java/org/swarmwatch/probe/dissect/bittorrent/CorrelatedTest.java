package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.ObservationSink.SwarmAttribution;
import org.swarmwatch.probe.dissect.ObservationSink.SwarmAttribution.Evidence;

/** Confidence by the strength of the match, and roles from the bytes first, the tracker's hint second. */
class CorrelatedTest {
    static final byte[] HASH = new byte[20];

    /** "side role confidence" per observation, the pipeline answering {@code swarmOfFlow} with {@code swarm}. */
    static List<String> report(SwarmAttribution swarm, ObservationRole initiator, ObservationRole responder) {
        List<String> out = new ArrayList<>();
        Correlated.report(new ObservationSink() {
            @Override
            public void observed(boolean fromInitiator, ContentHash hash, String seenIn, ObservationRole role, double confidence,
                                 String client) {
                out.add((fromInitiator ? "initiator " : "responder ") + seenIn + " " + role.wireName() + " "
                        + String.format(Locale.ROOT, "%.2f", confidence));
            }

            @Override
            public SwarmAttribution swarmOfFlow() {
                return swarm;
            }
        }, initiator, responder, MseDissector.CONFIDENCE_CORRELATED_BOTH, MseDissector.CONFIDENCE_CORRELATED_RESPONDER);
        return out;
    }

    @Test
    void confidenceFollowsTheEvidence() {
        ObservationRole a = ObservationRole.ANNOUNCING;
        assertEquals(List.of("initiator correlated announcing 0.70", "responder correlated announcing 0.70"),
                report(new SwarmAttribution(HASH, Evidence.ENDPOINT_AND_HOST, false, false), a, a));
        assertEquals(List.of("initiator correlated announcing 0.55", "responder correlated announcing 0.55"),
                report(new SwarmAttribution(HASH, Evidence.ENDPOINT, false, false), a, a));
        assertEquals(List.of("initiator correlated announcing 0.45", "responder correlated announcing 0.45"),
                report(new SwarmAttribution(HASH, Evidence.HOST_PAIR, false, false), a, a));
        assertEquals(List.of(), report(null, a, a), "no swarm, no observation");
    }

    @Test
    void theFlowsBytesOutweighTheTrackersHint() {
        SwarmAttribution bothFetching = new SwarmAttribution(HASH, Evidence.ENDPOINT, true, true);
        assertEquals(List.of("initiator correlated fetching 0.55", "responder correlated fetching 0.55"),
                report(bothFetching, ObservationRole.ANNOUNCING, ObservationRole.ANNOUNCING), "the bytes said nothing");
        assertEquals(List.of("initiator correlated offering 0.55", "responder correlated fetching 0.55"),
                report(bothFetching, ObservationRole.OFFERING, ObservationRole.FETCHING), "the initiator uploaded, whatever it announced");
        assertEquals(List.of("initiator correlated announcing 0.55", "responder correlated announcing 0.55"),
                report(new SwarmAttribution(HASH, Evidence.ENDPOINT, false, false), ObservationRole.ANNOUNCING,
                        ObservationRole.ANNOUNCING), "a seeder's announce (left=0) never makes an encrypted flow offering");
    }

    @Test
    void aLongConnectionReportsFirstThenOnlyWindowsInWhichASideUploaded() {
        List<String> out = new ArrayList<>();
        SwarmAttribution[] swarm = {null};
        ObservationSink sink = new ObservationSink() {
            @Override
            public void observed(boolean fromInitiator, ContentHash hash, String seenIn, ObservationRole role, double confidence,
                                 String client) {
                out.add((fromInitiator ? "initiator " : "responder ") + role.wireName());
            }

            @Override
            public SwarmAttribution swarmOfFlow() {
                return swarm[0];
            }
        };
        Correlated.Reports reports = new Correlated.Reports();
        double both = MseDissector.CONFIDENCE_CORRELATED_BOTH, one = MseDissector.CONFIDENCE_CORRELATED_RESPONDER;
        int upload = Correlated.UPLOAD_BYTES;

        assertEquals(false, reports.report(sink, 2 * upload, 100, both, one), "no swarm known yet: nothing, and the bytes wait");
        swarm[0] = new SwarmAttribution(HASH, Evidence.ENDPOINT, false, false);
        assertEquals(true, reports.report(sink, 2 * upload, 200, both, one));
        assertEquals(List.of("initiator offering", "responder fetching"), out, "the bytes since the start, once the swarm is known");
        out.clear();
        assertEquals(false, reports.report(sink, 2 * upload + 300, 400, both, one), "a window of keep-alives adds no evidence");
        assertEquals(false, reports.report(sink, 2 * upload + upload / 2, 500, both, one), "half the threshold in this window: not yet");
        assertEquals(true, reports.report(sink, 3 * upload + 10, 600, both, one), "the unreported bytes accumulate past it");
        assertEquals(List.of("initiator offering", "responder fetching"), out);
        out.clear();
        assertEquals(true, reports.report(sink, 3 * upload + 10, 600 + 2 * upload, both, one), "now the other side uploads");
        assertEquals(List.of("initiator fetching", "responder offering"), out);
    }
}
