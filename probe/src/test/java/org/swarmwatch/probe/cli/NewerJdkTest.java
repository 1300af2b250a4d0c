package org.swarmwatch.probe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build targets Java 17 and must also run on the newest JDK: replays a capture with the
 * newest JDK installed under /usr/lib/jvm (25 on the project's machines), with the launcher's
 * options, and checks the result and that the JVM printed no warnings (JNA's native access).
 */
class NewerJdkTest {
    @TempDir
    Path dir;

    static Optional<Path> newestJava() throws Exception {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(jvms)) {
            return s.filter(p -> p.getFileName().toString().matches(".*-(2[2-9]|[3-9]\\d)(-.*)?"))
                    .map(p -> p.resolve("bin/java"))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparing(Path::toString));
        }
    }

    @Test
    void replaysOnTheNewestInstalledJdkWithoutWarnings() throws Exception {
        Optional<Path> java = newestJava();
        assumeTrue(java.isPresent(), "no JDK 22 or newer under /usr/lib/jvm");
        Path out = dir.resolve("out.jsonl");
        Path log = dir.resolve("log");
        Process p = new ProcessBuilder(java.get().toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), SwarmwatchCommand.class.getName(),
                "replay", "--quiet", "--out", out.toString(), BadInputTest.SHARED.resolve("pcaps/p2p/bittorrent.pcap").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        String printed = Files.readString(log);
        assertEquals(0, p.exitValue(), printed);
        assertFalse(printed.contains("WARNING"), printed);
        assertEquals(24, Records.read(out).flows().size());
    }
}
