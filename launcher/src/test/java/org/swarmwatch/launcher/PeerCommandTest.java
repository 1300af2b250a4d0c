package org.swarmwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code swarmwatch peer tracker|seed|get|dht} as a person would use them: a tracker and a seeder in
 * their own JVMs (stopped like Ctrl-C would), a download by torrent file and by magnet link (and of a
 * v2-only torrent by torrent file), the
 * same through a DHT node instead of a tracker, all on 127.0.0.1; {@code --encryption} (RC4 downloads
 * from a seeder that requires it, a plaintext-only download fails saying why, an unknown policy
 * refused); and addresses outside loopback refused.
 */
class PeerCommandTest {

    static Process start(Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Swarmwatch.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    }

    /** The process's standard output, one reader per process (a reader buffers ahead). */
    /** Stops the processes (null: never started) as Ctrl-C does, forcibly after 10 s each. */
    static void stop(Process... processes) throws InterruptedException {
        for (Process p : processes) {
            if (p != null) {
                p.destroy(); // SIGTERM, as Ctrl-C
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    static BufferedReader out(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The next line of {@code out} that starts with {@code prefix}. */
    static String line(BufferedReader out, String prefix) throws Exception {
        for (String l; (l = out.readLine()) != null; ) {
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    @Test
    void aTrackerASeederAndTwoDownloads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("share/film.bin");
        Files.createDirectories(file.getParent());
        byte[] content = new byte[700_000];
        new Random(3).nextBytes(content);
        Files.write(file, content);
        Process tracker = null, seeder = null;
        try {
            tracker = start(dir.resolve("tracker.log"), "peer", "tracker", "--interval", "1");
            String announce = line(out(tracker), "announce:");
            assertNotNull(announce, "the tracker said where it listens");
            announce = announce.split(" ")[0];
            assertTrue(announce.startsWith("http://127.0.0.1:"), announce);
            seeder = start(dir.resolve("seeder.log"), "peer", "seed", file.toString(), "--tracker", announce);
            BufferedReader seederOut = out(seeder);
            String torrent = line(seederOut, "torrent:");
            String magnet = line(seederOut, "magnet:");
            assertNotNull(line(seederOut, "seeding on"), "the seeder started");

            assertEquals(0, Swarmwatch.execute("peer", "get", torrent, dir.resolve("one").toString(), "--exit", "--timeout", "PT30S"));
            assertArrayEquals(content, Files.readAllBytes(dir.resolve("one/film.bin")));
            assertEquals(0, Swarmwatch.execute("peer", "get", magnet, dir.resolve("two").toString(), "--exit", "--timeout", "PT30S"));
            assertArrayEquals(content, Files.readAllBytes(dir.resolve("two/film.bin")));
        } finally {
            stop(seeder, tracker);
        }
    }

    @Test
    void aV2OnlyTorrentIsSeededAndDownloadedByTorrentFileAndByV2Magnet(@TempDir Path dir) throws Exception {
        Path album = dir.resolve("share/album");
        Files.createDirectories(album.resolve("a"));
        byte[] big = new byte[200_000], small = new byte[5_000];
        new Random(5).nextBytes(big);
        new Random(6).nextBytes(small);
        Files.write(album.resolve("a/big.bin"), big);
        Files.write(album.resolve("small.bin"), small);
        Process tracker = null, seeder = null;
        try {
            tracker = start(dir.resolve("tracker.log"), "peer", "tracker", "--interval", "1");
            String announce = line(out(tracker), "announce:").split(" ")[0];
            seeder = start(dir.resolve("seeder.log"), "peer", "seed", album.toString(), "--tracker", announce,
                    "--torrent-version", "v2", "--piece-length", "32768");
            BufferedReader seederOut = out(seeder);
            String torrent = line(seederOut, "torrent:");
            assertNotNull(torrent, "the seeder wrote its torrent: " + Files.readString(dir.resolve("seeder.log")));
            String magnet = line(seederOut, "magnet:");
            assertTrue(magnet.startsWith("magnet:?xt=urn:btmh:1220") && !magnet.contains("btih"), magnet);
            assertNotNull(line(seederOut, "seeding on"), "the seeder started");

            assertEquals(0, Swarmwatch.execute("peer", "get", torrent, dir.resolve("one").toString(), "--exit", "--timeout", "PT30S"));
            assertArrayEquals(big, Files.readAllBytes(dir.resolve("one/album/a/big.bin")));
            assertArrayEquals(small, Files.readAllBytes(dir.resolve("one/album/small.bin")));
            // a/big.bin has 7 pieces: its piece layer comes by BEP 52 hash requests
            assertEquals(0, Swarmwatch.execute("peer", "get", magnet, dir.resolve("two").toString(), "--exit", "--timeout", "PT30S"));
            assertArrayEquals(big, Files.readAllBytes(dir.resolve("two/album/a/big.bin")));
            assertArrayEquals(small, Files.readAllBytes(dir.resolve("two/album/small.bin")));
        } finally {
            stop(seeder, tracker);
        }
    }

    @Test
    void aDhtNodeBringsASeederAndAMagnetDownloadTogetherWithoutATracker(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("share/film.bin");
        Files.createDirectories(file.getParent());
        byte[] content = new byte[300_000];
        new Random(4).nextBytes(content);
        Files.write(file, content);
        Process dht = null, seeder = null;
        try {
            dht = start(dir.resolve("dht.log"), "peer", "dht");
            BufferedReader dhtOut = out(dht);
            String id = line(dhtOut, "node id:");
            assertNotNull(id, "the node said its id");
            assertTrue(id.matches("[0-9a-f]{40}"), id);
            String node = line(dhtOut, "listening on").split(" ")[0];
            assertTrue(node.startsWith("127.0.0.1:"), node);
            seeder = start(dir.resolve("seeder.log"), "peer", "seed", file.toString(), "--dht-bootstrap", node);
            BufferedReader seederOut = out(seeder);
            line(seederOut, "torrent:");
            String magnet = line(seederOut, "magnet:");
            assertNotNull(magnet, "the seeder printed its magnet link");
            assertTrue(!magnet.contains("tr="), "no tracker in " + magnet);
            assertEquals(0, Swarmwatch.execute("peer", "get", magnet, dir.resolve("one").toString(), "--exit", "--timeout", "PT30S",
                    "--dht-bootstrap", node));
            assertArrayEquals(content, Files.readAllBytes(dir.resolve("one/film.bin")));
        } finally {
            stop(seeder, dht);
        }
    }

    @Test
    void encryptionIsChosenOnTheCommandLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("share/film.bin");
        Files.createDirectories(file.getParent());
        byte[] content = new byte[300_000];
        new Random(4).nextBytes(content);
        Files.write(file, content);
        Process tracker = null, seeder = null;
        try {
            tracker = start(dir.resolve("tracker.log"), "peer", "tracker", "--interval", "1");
            String announce = line(out(tracker), "announce:").split(" ")[0];
            seeder = start(dir.resolve("seeder.log"), "peer", "seed", file.toString(), "--tracker", announce,
                    "--encryption", "require-encrypted");
            BufferedReader seederOut = out(seeder);
            String torrent = line(seederOut, "torrent:");
            assertNotNull(line(seederOut, "seeding on"), "the seeder started");

            assertEquals(0, Swarmwatch.execute("peer", "get", torrent, dir.resolve("rc4").toString(), "--exit", "--timeout", "PT30S",
                    "--encryption", "prefer-encrypted"));
            assertArrayEquals(content, Files.readAllBytes(dir.resolve("rc4/film.bin")));

            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream before = System.err;
            int code;
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                code = Swarmwatch.execute("peer", "get", torrent, dir.resolve("plain").toString(), "--exit", "--timeout", "PT5S",
                        "--encryption", "plaintext");
            } finally {
                System.setErr(before);
            }
            assertEquals(1, code, "a plaintext-only peer gets nothing from one that requires encryption");
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("last handshake failure: "), err.toString(StandardCharsets.UTF_8));

            assertEquals(2, Swarmwatch.execute("peer", "get", torrent, dir.resolve("x").toString(), "--encryption", "sometimes"));
        } finally {
            for (Process p : new Process[] {seeder, tracker}) {
                if (p != null) {
                    p.destroy();
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }


    @Test
    void dhtNodesOutsideLoopbackAreRefusedAndTheDhtCommandExplainsItself(@TempDir Path dir) throws Exception {
        assertEquals(2, Swarmwatch.execute("peer", "dht", "--bootstrap", "8.8.8.8:6881"));
        assertEquals(2, Swarmwatch.execute("peer", "dht", "--bootstrap", "127.0.0.1"));
        Path file = Files.writeString(dir.resolve("x.bin"), "x");
        assertEquals(2, Swarmwatch.execute("peer", "seed", file.toString(), "--dht-bootstrap", "192.0.2.1:6881"));
        Process help = start(dir.resolve("help.log"), "peer", "dht", "--help");
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(help.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, help.exitValue());
        assertTrue(text.contains("--bootstrap=HOST:PORT") && text.contains("BEP 5") && text.contains("--bind"), text);
    }

    @Test
    void anAddressOutsideLoopbackIsRefusedWithoutAllowNetwork(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("x.bin"), "x");
        assertEquals(2, Swarmwatch.execute("peer", "seed", file.toString(), "--bind", "192.0.2.1"));
        assertEquals(2, Swarmwatch.execute("peer", "tracker", "--bind", "8.8.8.8", "--allow-network"));
    }
}
