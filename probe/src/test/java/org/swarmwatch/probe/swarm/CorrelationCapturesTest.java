package org.swarmwatch.probe.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.events.StatsRecord;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.export.CollectingSink;
import org.swarmwatch.probe.flow.FlowTableConfig;
import org.swarmwatch.probe.pipeline.ProbePipeline;
import org.swarmwatch.probe.pipeline.ProbeSettings;
import org.swarmwatch.probe.privacy.PseudonymKey;
import org.swarmwatch.probe.privacy.Pseudonymiser;
import org.swarmwatch.probe.privacy.SubscriberNetworks;
import org.swarmwatch.probe.source.PcapFileSource;

/**
 * End to end on the MSE captures of ../shared/bt-captures (MANIFEST.tsv rows with
 * {@code encryption=mse}: two real clients, RC4-encrypted, a local HTTP tracker): the encrypted
 * transfer is attributed the torrent's hash by what the tracker traffic taught the swarm table,
 * and by nothing else.
 */
class CorrelationCapturesTest {
    static final Path CAPTURES = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared/bt-captures/pcaps").normalize();
    static final int TRACKER_PORT = 6969;

    /** A MANIFEST.tsv row of an MSE capture: the file and its v1 infohash. */
    record MseCapture(String file, String v1) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<MseCapture> mseCaptures() throws IOException {
        List<String> lines = Files.readAllLines(CAPTURES.resolve("MANIFEST.tsv"));
        List<String> h = List.of(lines.get(0).split("\t"));
        List<MseCapture> mse = lines.stream().skip(1).map(l -> l.split("\t")).filter(c -> c[h.indexOf("encryption")].equals("mse"))
                .map(c -> new MseCapture(c[h.indexOf("file")], c[h.indexOf("infohash_v1")])).toList();
        assertTrue(mse.size() >= 2, "MANIFEST.tsv lists the MSE captures b1 and b2");
        return mse.stream();
    }

    /** Replays a capture with the given swarm table, leaving out TCP frames to or from port {@code dropPort} (0: none). */
    static List<ProbeRecord> replay(MseCapture capture, SwarmTableConfig swarms, int dropPort) throws Exception {
        CollectingSink sink = new CollectingSink();
        ProbeSettings settings = new ProbeSettings("test", FlowTableConfig.defaults(), DecoderLimits.defaults(),
                new AddressPolicy(SubscriberNetworks.everything(), new Pseudonymiser(PseudonymKey.ephemeral()), AddressMode.RAW),
                Duration.ofSeconds(60), ProbeSettings.FlowExport.ALL, swarms);
        ProbePipeline pipeline = new ProbePipeline(settings, sink, DissectorRegistry.standard());
        try (PcapFileSource source = new PcapFileSource(CAPTURES.resolve(capture.file()))) {
            pipeline.beginCapture(capture.file(), source.linkType());
            source.run((frame, captured, wire, micros) -> {
                boolean tcp = captured > 34 && frame[12] == 8 && frame[13] == 0 && frame[23] == 6;
                int l4 = 14 + 4 * (frame[14] & 0x0f);
                int sport = tcp ? (frame[l4] & 0xff) << 8 | (frame[l4 + 1] & 0xff) : -1;
                int dport = tcp ? (frame[l4 + 2] & 0xff) << 8 | (frame[l4 + 3] & 0xff) : -1;
                if (dropPort == 0 || sport != dropPort && dport != dropPort) {
                    pipeline.onFrame(frame, captured, wire, micros, null);
                }
            });
            pipeline.endCapture(null);
        }
        return sink.records();
    }

    static <T> List<T> only(List<ProbeRecord> records, Class<T> type) {
        return records.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @ParameterizedTest
    @MethodSource("mseCaptures")
    void theEncryptedTransferCarriesTheTorrentsHashByCorrelation(MseCapture capture) throws Exception {
        List<ProbeRecord> records = replay(capture, SwarmTableConfig.defaults(), 0);
        FlowRecord transfer = only(records, FlowRecord.class).stream()
                .max(Comparator.comparingLong(f -> f.source().bytes() + f.destination().bytes())).orElseThrow();
        assertTrue(transfer.source().bytes() + transfer.destination().bytes() > 1_000_000, "the 1 MiB torrent: " + transfer);
        assertEquals("bittorrent", transfer.protocol());
        List<ObservationRecord> observations = only(records, ObservationRecord.class);
        List<ObservationRecord> onTransfer = observations.stream().filter(o -> o.flowId().equals(transfer.flowId())).toList();
        assertEquals(2, onTransfer.size(), onTransfer.toString());
        for (ObservationRecord o : onTransfer) {
            assertEquals("correlated", o.seenIn(), "the transfer shows no hash of its own: " + o);
            assertEquals(capture.v1(), o.hash().hex());
            assertTrue(o.hash().kind() == HashKind.BTIH_V1 || o.hash().kind() == HashKind.BTIH, o.toString());
        }
        // the side that sent the megabyte offered it, the other fetched it
        boolean initiatorSent = transfer.source().bytes() > transfer.destination().bytes();
        String uploader = initiatorSent ? transfer.source().address() + ":" + transfer.source().port()
                : transfer.destination().address() + ":" + transfer.destination().port();
        for (ObservationRecord o : onTransfer) {
            boolean aboutUploader = (o.source().address() + ":" + o.source().port()).equals(uploader);
            assertEquals(aboutUploader ? ObservationRole.OFFERING : ObservationRole.FETCHING, o.role(), o.toString());
        }
        // correlation is weaker evidence than what the tracker requests showed directly
        double weakestDirect = observations.stream().filter(o -> !o.seenIn().equals("correlated"))
                .mapToDouble(ObservationRecord::confidence).min().orElseThrow();
        assertTrue(observations.stream().filter(o -> o.seenIn().equals("correlated")).allMatch(o -> o.confidence() < weakestDirect),
                observations.toString());
        // every correlated observation is about a peer-to-peer flow, never the tracker's
        assertTrue(observations.stream().filter(o -> o.seenIn().equals("correlated"))
                .allMatch(o -> o.source().port() != TRACKER_PORT && o.destination().port() != TRACKER_PORT && o.hash().hex().equals(capture.v1())),
                observations.toString());
    }

    @ParameterizedTest
    @MethodSource("mseCaptures")
    void withoutTheTrackerTrafficNothingIsAttributed(MseCapture capture) throws Exception {
        List<ProbeRecord> records = replay(capture, SwarmTableConfig.defaults(), TRACKER_PORT);
        assertTrue(only(records, FlowRecord.class).stream().anyMatch(f -> f.protocol().equals("bittorrent")),
                "the encrypted flows are still recognised");
        assertEquals(List.of(), only(records, ObservationRecord.class), "no hash without cleartext evidence");
    }

    @ParameterizedTest
    @MethodSource("mseCaptures")
    void factsOlderThanTheLifetimeAttributeNothingAndAreCounted(MseCapture capture) throws Exception {
        // the announces come seconds before the transfers end: a one-second lifetime forgets them
        List<ProbeRecord> records = replay(capture, new SwarmTableConfig(1024, Duration.ofMillis(1)), 0);
        List<ObservationRecord> observations = only(records, ObservationRecord.class);
        assertTrue(observations.stream().noneMatch(o -> o.seenIn().equals("correlated")), observations.toString());
        assertTrue(observations.stream().anyMatch(o -> o.seenIn().equals("http_tracker")), "the direct evidence stays");
        long expired = only(records, StatsRecord.class).stream().mapToLong(s -> s.decode().getOrDefault("swarm_facts_expired", 0L)).sum();
        assertTrue(expired > 0, "expiries are counted in the stats records");
    }
}
