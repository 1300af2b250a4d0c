package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.export.RecordSink;
import org.swarmwatch.probe.flow.FlowTableConfig;
import org.swarmwatch.probe.pipeline.CaptureRunner;
import org.swarmwatch.probe.pipeline.ProbePipeline;
import org.swarmwatch.probe.pipeline.ProbeSettings;
import org.swarmwatch.probe.pipeline.ReplaySpeed;
import org.swarmwatch.probe.privacy.PseudonymKey;
import org.swarmwatch.probe.privacy.Pseudonymiser;
import org.swarmwatch.probe.privacy.SubscriberNetworks;
import org.swarmwatch.probe.source.PcapFileSource;

/**
 * The peer-wire dissector on real captures: the ground truth of ../shared/bt-captures
 * (MANIFEST.tsv: the hash each plaintext handshake carries, who seeded) and nDPI's BitTorrent
 * capture, and no false positive on ordinary traffic.
 */
class PeerWireCapturesTest {
    static final Path SHARED = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared").normalize();

    static List<ProbeRecord> replay(Path capture) throws Exception {
        List<ProbeRecord> records = new ArrayList<>();
        RecordSink sink = new RecordSink() {
            @Override
            public void accept(ProbeRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        ProbeSettings settings = new ProbeSettings("test", FlowTableConfig.defaults(), DecoderLimits.defaults(),
                new AddressPolicy(SubscriberNetworks.everything(), new Pseudonymiser(PseudonymKey.ephemeral()), AddressMode.RAW),
                Duration.ofSeconds(60));
        ProbePipeline pipeline = new ProbePipeline(settings, sink, DissectorRegistry.standard());
        try (PcapFileSource source = new PcapFileSource(capture)) {
            new CaptureRunner(source, pipeline, ReplaySpeed.MAX).run(null);
        }
        return records;
    }

    static List<ObservationRecord> observations(List<ProbeRecord> records) {
        return records.stream().filter(r -> r instanceof ObservationRecord).map(r -> (ObservationRecord) r).toList();
    }

    /** MANIFEST.tsv rows: file, the hash seen in plaintext handshakes ("-" if none), clients. */
    record Truth(String file, String handshakeHash, String seeder) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Truth> manifest() throws IOException {
        List<String> lines = Files.readAllLines(SHARED.resolve("bt-captures/pcaps/MANIFEST.tsv"));
        List<String> header = List.of(lines.get(0).split("\t"));
        int file = header.indexOf("file"), hash = header.indexOf("seen_in_handshake"), clients = header.indexOf("clients");
        return lines.stream().skip(1).map(l -> l.split("\t"))
                .filter(c -> c[header.indexOf("transport")].equals("tcp"))
                .map(c -> new Truth(c[file], c[hash], c[clients].replaceFirst("^seeder=(\\S+).*", "$1")));
    }

    @ParameterizedTest
    @MethodSource("manifest")
    void theHandshakeHashOfEachTcpCaptureIsFoundAndTheSeederOffers(Truth truth) throws Exception {
        List<ObservationRecord> obs = observations(replay(SHARED.resolve("bt-captures/pcaps").resolve(truth.file())));
        Set<String> hashes = obs.stream().map(o -> o.hash().hex()).collect(Collectors.toSet());
        if (truth.handshakeHash().equals("-")) {
            assertEquals(Set.of(), hashes, "MSE-encrypted handshakes are not read (yet)");
            return;
        }
        assertEquals(Set.of(truth.handshakeHash()), hashes);
        assertTrue(obs.stream().allMatch(o -> o.seenIn().equals("handshake") && o.confidence() >= 0.8));
        // the seeder uploads: its handshake is reported as offering, with its client named
        String seederClient = switch (truth.seeder()) {
            case "transmission-cli" -> "Transmission";
            case "aria2" -> "aria2";
            default -> "libtorrent";
        };
        assertTrue(obs.stream().anyMatch(o -> o.role() == ObservationRole.OFFERING && o.client() != null
                && o.client().startsWith(seederClient)), obs.toString());
        // and the leecher is never reported as offering
        assertTrue(obs.stream().filter(o -> o.role() == ObservationRole.OFFERING)
                .allMatch(o -> o.client() != null && o.client().startsWith(seederClient)), obs.toString());
    }

    @Test
    void ndpisBitTorrentCapture() throws Exception {
        List<ProbeRecord> records = replay(SHARED.resolve("pcaps/p2p/bittorrent.pcap"));
        List<FlowRecord> flows = records.stream().filter(r -> r instanceof FlowRecord).map(r -> (FlowRecord) r).toList();
        assertEquals(24, flows.stream().filter(f -> f.protocol().equals("bittorrent")).count());
        List<ObservationRecord> obs = observations(records);
        // infohashes.tsv: the hash is in 41 handshake frames across the 24 flows
        assertEquals(41, obs.size());
        assertTrue(obs.stream().allMatch(o -> o.hash().hex().equals("dcfcdccfb9e670ccc3dd40c78c161f2bea243126")));
    }

    static Stream<Path> ordinaryTraffic() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(SHARED.resolve("pcaps/nonp2p"))) {
            s.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).forEach(files::add);
        }
        files.add(SHARED.resolve("pcaps/p2p/bt-dns.pcap"));
        files.add(SHARED.resolve("pcaps/p2p/tls_torrent.pcapng"));
        return files.stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("ordinaryTraffic")
    void noBitTorrentInOrdinaryTraffic(Path capture) throws Exception {
        List<ProbeRecord> records = replay(capture);
        assertEquals(List.of(), observations(records));
        assertTrue(records.stream().noneMatch(r -> r instanceof FlowRecord f && !f.protocol().equals("unknown")));
    }
}
