package org.swarmwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The harness's own reading of a capture checked against the shared manifest, which
 * ../shared/bt-captures/scripts/analyze.py measured: for every shared capture over TCP, the same
 * frame count, handshake info hashes, peer ids and stream features. So a harness row means what a
 * shared row means.
 */
class ScenarioCaptureTest {
    static final Path PCAPS = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared/bt-captures/pcaps").normalize();
    static final List<String> STREAM_FEATURES = List.of("bt-tcp-plaintext-handshake", "mse-negotiated-plaintext", "mse-rc4-opaque");

    static Stream<String[]> tcpRows() throws IOException {
        List<String> lines = Files.readAllLines(PCAPS.resolve("MANIFEST.tsv"));
        List<String> header = List.of(lines.get(0).split("\t", -1));
        return lines.stream().skip(1).map(l -> l.split("\t", -1)).filter(r -> r[header.indexOf("transport")].equals("tcp"))
                .map(r -> new String[] {r[header.indexOf("file")], r[header.indexOf("packets")], r[header.indexOf("seen_in_handshake")],
                        r[header.indexOf("peer_ids")], r[header.indexOf("features")]});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tcpRows")
    void readsASharedCaptureAsAnalyzePyDid(String file, String packets, String seenInHandshake, String peerIds, String features)
            throws Exception {
        ScenarioCapture c = ScenarioCapture.read(PCAPS.resolve(file));
        assertEquals(Long.parseLong(packets), c.packets);
        assertEquals(seenInHandshake, c.infohashes.isEmpty() ? "-" : String.join(",", c.infohashes));
        assertEquals(peerIds, c.peerIds.isEmpty() ? "-" : String.join(",", c.peerIds));
        List<String> expected = new ArrayList<>(Arrays.asList(features.split(",")));
        expected.retainAll(STREAM_FEATURES);
        assertEquals(expected, c.features());
    }

    @Test
    void tcpRowsAreThere() throws IOException {
        assertTrue(tcpRows().count() >= 10, "the shared captures over TCP");
    }

    @Test
    void aFileThatIsNoPcapIsRefusedByName(@TempDir Path dir) throws IOException {
        Path notPcap = Files.writeString(dir.resolve("notes.pcap"), "these are notes, not packets");
        IOException e = assertThrows(IOException.class, () -> ScenarioCapture.read(notPcap));
        assertTrue(e.getMessage().contains("notes.pcap") && e.getMessage().contains("not a pcap file"), e.getMessage());

        byte[] shared = Files.readAllBytes(PCAPS.resolve(tcpRows().findFirst().orElseThrow()[0]));
        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(shared, 24 + 16 + 10)); // a frame header, part of its frame
        e = assertThrows(IOException.class, () -> ScenarioCapture.read(cut));
        assertTrue(e.getMessage().contains("cut.pcap") && e.getMessage().contains("past the end of the file"), e.getMessage());
    }
}
