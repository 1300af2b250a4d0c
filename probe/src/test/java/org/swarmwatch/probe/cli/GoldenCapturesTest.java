package org.swarmwatch.probe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmwatch.events.Endpoint;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ProbeRecord;

/**
 * Golden files: what the probe reports for every shared capture, normalised (no flow ids, no
 * times, addresses in clear as lab mode writes them, lines sorted), kept in
 * src/test/resources/golden/ and reviewed by hand against MANIFEST.tsv and infohashes.tsv when they
 * change. Any change in decoding, flow accounting or dissection shows up here as a diff.
 *
 * <p>To accept an intended change: {@code mvn -pl probe test -Dtest=GoldenCapturesTest
 * -Dswarmwatch.golden.update=true}, then review {@code git diff probe/src/test/resources/golden}.
 */
class GoldenCapturesTest {
    static final Path GOLDEN = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("probe/src/test/resources/golden");

    static Stream<Path> captures() throws Exception {
        return ReplayCapturesTest.captures().stream();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void reportMatchesTheGoldenFile(Path capture) throws Exception {
        Path out = Files.createTempFile("golden", ".jsonl");
        try {
            CommandRun run = CommandRun.run("replay", "--quiet", "--lab-raw-addresses", "--out", out.toString(), capture.toString());
            assertEquals(0, run.exitCode(), run.stderr());
            String actual = normalise(Records.read(out).all());
            Path golden = GOLDEN.resolve(capture.getFileName() + ".txt");
            if (Boolean.getBoolean("swarmwatch.golden.update")) {
                Files.createDirectories(GOLDEN);
                Files.writeString(golden, actual);
                return;
            }
            assertTrue(Files.exists(golden), "no golden file " + golden + "; create it with -Dswarmwatch.golden.update=true");
            assertEquals(Files.readString(golden), actual, capture.getFileName().toString());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static String normalise(List<ProbeRecord> records) {
        List<String> lines = new ArrayList<>();
        for (ProbeRecord r : records) {
            if (r instanceof FlowRecord f) {
                lines.add(String.format(Locale.ROOT, "flow %s %s %s > %s packets %d/%d bytes %d/%d %s segment %d%s", f.protocol(), f.transport(),
                        endpoint(f.source()), endpoint(f.destination()), f.source().packets(), f.destination().packets(),
                        f.source().bytes(), f.destination().bytes(), f.reason().wireName(), f.segment(),
                        f.encapsulation().isEmpty() ? "" : " via " + String.join(",", f.encapsulation())));
            } else if (r instanceof ObservationRecord o) {
                lines.add(String.format(Locale.ROOT, "observation %s %s %s %s %s %s %s > %s confidence %.2f client %s", o.seenIn(),
                        o.hash().kind().wireName(), o.hash().hex(), o.role().wireName(), o.protocol(), o.transport(), endpoint(o.source()), endpoint(o.destination()),
                        o.confidence(), o.client()));
            }
        }
        lines.sort(null);
        return String.join("\n", lines) + "\n";
    }

    private static String endpoint(Endpoint e) {
        return e.address() + ":" + e.port();
    }
}
