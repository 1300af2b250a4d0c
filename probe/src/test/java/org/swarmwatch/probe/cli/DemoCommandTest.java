package org.swarmwatch.probe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command: replays the shared captures, prints a table, writes the records. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void replaysTheSharedCapturesAndPrintsWhatItFound() throws Exception {
        Path out = dir.resolve("demo.jsonl");
        PrintStreamCapture stdout = PrintStreamCapture.stdout(() -> SwarmwatchCommand.execute(
                "demo", "--quiet", "--captures", BadInputTest.SHARED.toString(), "--out", out.toString()));
        assertEquals(0, stdout.exitCode(), stdout.text());
        assertTrue(stdout.text().matches("(?s).*bittorrent\\.pcap +299 +24 +\\{bittorrent=24} +1: dcfcdccfb9e6\\.\\.\\..*"), stdout.text());
        assertTrue(stdout.text().contains("a1_tcp_plain_transmission_libtorrent.pcap"), stdout.text());
        assertTrue(stdout.text().contains("records: " + out), stdout.text());
        assertTrue(Records.read(out).flows().size() > 300);
    }

    @Test
    void saysWhereItLookedWhenThereAreNoCaptures() {
        CommandRun r = CommandRun.run("demo", "--quiet", "--captures", dir.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("no captures found under " + dir), r.stderr());
    }
}
