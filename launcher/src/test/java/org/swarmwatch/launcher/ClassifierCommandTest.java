package org.swarmwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration of {@code swarmwatch classifier} gives the exit code and a message that names what is wrong. */
class ClassifierCommandTest {

    record Run(int code, String err) {
    }

    static Run run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(Swarmwatch.execute(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void badConfigurationIsNamed(@TempDir Path dir) throws Exception {
        Path lists = Files.createDirectories(dir.resolve("lists"));
        Run noLists = run("classifier", "--kafka", "127.0.0.1:9", "--elasticsearch", "http://127.0.0.1:9");
        assertEquals(2, noLists.code());
        assertTrue(noLists.err().contains("--lists"), noLists.err());

        Run unsigned = run("classifier", "--kafka", "127.0.0.1:9", "--elasticsearch", "http://127.0.0.1:9", "--lists", lists.toString());
        assertEquals(2, unsigned.code());
        assertTrue(unsigned.err().contains("no --trusted-keys"), unsigned.err());

        Run scheme = run("classifier", "--kafka", "127.0.0.1:9", "--elasticsearch", "ftp://127.0.0.1:9", "--lists", lists.toString(),
                "--unsigned-lists");
        assertEquals(2, scheme.code());
        assertTrue(scheme.err().contains("http:// or https://"), scheme.err());

        Run notDir = run("classifier", "--kafka", "127.0.0.1:9", "--elasticsearch", "http://127.0.0.1:9", "--lists",
                dir.resolve("missing").toString(), "--unsigned-lists");
        assertEquals(2, notDir.code());
        assertTrue(notDir.err().contains("is not a directory"), notDir.err());
    }

    @Test
    void unreachableElasticsearchStopsTheStartWithItsAddress(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Path lists = Files.createDirectories(dir.resolve("lists"));
        Run r = run("classifier", "--kafka", "127.0.0.1:9", "--elasticsearch", "http://127.0.0.1:" + port, "--lists", lists.toString(),
                "--unsigned-lists");
        assertEquals(3, r.code());
        assertTrue(r.err().contains("127.0.0.1:" + port), r.err());
    }
}
