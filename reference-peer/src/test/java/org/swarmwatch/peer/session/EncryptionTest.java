package org.swarmwatch.peer.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.peer.WireRecorder;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.TorrentBuilder;
import org.swarmwatch.peer.torrent.TorrentBuilder.Version;

/**
 * The reference peer against itself under each {@link Encryption} policy: a leecher dials a
 * seeder through a {@link WireRecorder} (no tracker, so that the recorder sees the only
 * connection), and the test says what went over the wire.
 */
class EncryptionTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final int SIZE = 300_000 + 77;

    record Run(boolean complete, byte[] toSeeder, byte[] toLeecher, Optional<String> leecherFailure, Optional<String> seederFailure,
            byte[] content, byte[] got) {
    }

    static Run run(Path dir, Encryption leecherPolicy, Encryption seederPolicy, boolean expectComplete) throws Exception {
        Path seed = Files.createDirectories(dir.resolve("seed")), leech = Files.createDirectories(dir.resolve("leech"));
        byte[] content = new byte[SIZE];
        new Random(7).nextBytes(content);
        Files.write(seed.resolve("film.bin"), content);
        Metainfo meta = Metainfo.parse(TorrentBuilder.create(seed.resolve("film.bin"), Version.V1, 32768, null).metainfo());
        PeerConfig base = SwarmTest.fast();
        try (TorrentSession seeder = TorrentSession.start(meta, seed, base.withEncryption(seederPolicy));
                WireRecorder wire = new WireRecorder(seeder.address());
                TorrentSession leecher = TorrentSession.start(meta, leech, PeerConfig.defaults().withEncryption(leecherPolicy))) {
            leecher.connect(wire.address());
            boolean complete;
            if (expectComplete) {
                complete = leecher.awaitComplete(WAIT);
            } else {
                await(() -> leecher.lastHandshakeFailure().isPresent() && seeder.lastHandshakeFailure().isPresent());
                complete = leecher.isComplete();
                assertEquals(0, leecher.downloaded());
            }
            byte[] got = complete ? Files.readAllBytes(leech.resolve("film.bin")) : null;
            return new Run(complete, wire.toTarget(), wire.fromTarget(), leecher.lastHandshakeFailure(), seeder.lastHandshakeFailure(),
                    content, got);
        }
    }

    static void await(Supplier<Boolean> condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            assertTrue(System.nanoTime() < end, "condition not met within " + WAIT);
            Thread.sleep(20);
        }
    }

    static byte[] sample(byte[] content) {
        return Arrays.copyOfRange(content, 100_000, 100_048); // inside one 16 KiB block
    }

    @Test
    void defaultPoliciesSpeakPlaintext(@TempDir Path dir) throws Exception {
        Run r = run(dir, Encryption.PREFER_PLAINTEXT, Encryption.PREFER_PLAINTEXT, true);
        assertTrue(r.complete());
        assertArrayEquals(r.content(), r.got());
        assertTrue(Arrays.equals(r.toSeeder(), 1, 20, WireRecorder.PROTOCOL, 0, 19), "opens with the BEP 3 handshake");
        assertTrue(WireRecorder.contains(r.toLeecher(), sample(r.content())));
    }

    @Test
    void preferEncryptedOnBothSidesSelectsRc4AndNothingIsInTheClear(@TempDir Path dir) throws Exception {
        Run r = run(dir, Encryption.PREFER_ENCRYPTED, Encryption.PREFER_ENCRYPTED, true);
        assertTrue(r.complete());
        assertArrayEquals(r.content(), r.got());
        assertTrue(r.toLeecher().length > SIZE, "the file went through the recorder");
        assertFalse(WireRecorder.contains(r.toSeeder(), WireRecorder.PROTOCOL), "no handshake in the clear, leecher to seeder");
        assertFalse(WireRecorder.contains(r.toLeecher(), WireRecorder.PROTOCOL), "nor seeder to leecher");
        assertFalse(WireRecorder.contains(r.toLeecher(), sample(r.content())), "the file's bytes are encrypted");
    }

    @Test
    void requireEncryptedAgainstTheDefaultSelectsRc4(@TempDir Path dir) throws Exception {
        Run r = run(dir, Encryption.REQUIRE_ENCRYPTED, Encryption.PREFER_PLAINTEXT, true);
        assertTrue(r.complete());
        assertArrayEquals(r.content(), r.got());
        assertFalse(WireRecorder.contains(r.toSeeder(), WireRecorder.PROTOCOL));
        assertFalse(WireRecorder.contains(r.toLeecher(), WireRecorder.PROTOCOL));
        assertFalse(WireRecorder.contains(r.toLeecher(), sample(r.content())));
    }

    @Test
    void aPeerPreferringPlaintextSelectsItInsideMse(@TempDir Path dir) throws Exception {
        Run r = run(dir, Encryption.PREFER_ENCRYPTED, Encryption.PREFER_PLAINTEXT, true);
        assertTrue(r.complete());
        assertArrayEquals(r.content(), r.got());
        assertFalse(WireRecorder.contains(r.toSeeder(), WireRecorder.PROTOCOL), "the dialler's handshake went as RC4 initial payload");
        assertFalse(Arrays.equals(r.toSeeder(), 1, 20, WireRecorder.PROTOCOL, 0, 19), "the connection opened with MSE");
        assertTrue(WireRecorder.contains(r.toLeecher(), WireRecorder.PROTOCOL), "the answer's handshake is in the clear");
        assertTrue(WireRecorder.contains(r.toLeecher(), sample(r.content())), "and so is the payload");
    }

    @Test
    void theDefaultFallsBackToMseWhenThePeerRequiresIt(@TempDir Path dir) throws Exception {
        Run r = run(dir, Encryption.PREFER_PLAINTEXT, Encryption.REQUIRE_ENCRYPTED, true);
        assertTrue(r.complete());
        assertArrayEquals(r.content(), r.got());
        assertEquals(Optional.of("a plaintext BitTorrent handshake, but this peer requires encryption (require-encrypted)"),
                r.seederFailure().map(EncryptionTest::reason), "the first, plaintext attempt was refused");
        assertFalse(WireRecorder.contains(r.toLeecher(), sample(r.content())), "the retry selected RC4");
    }

    @Test
    void requiredEncryptionAgainstPlaintextOnlyIsRefusedWithAReason(@TempDir Path dir) throws Exception {
        Run r = run(dir, Encryption.REQUIRE_ENCRYPTED, Encryption.PLAINTEXT, false);
        assertFalse(r.complete());
        assertEquals("not a plaintext BitTorrent handshake (an MSE/PE one, or garbage), and this peer allows plaintext only",
                reason(r.seederFailure().orElseThrow()));
        assertTrue(reason(r.leecherFailure().orElseThrow()).startsWith(
                "the peer closed the connection during the MSE handshake (we offered RC4"), r.leecherFailure().orElseThrow());
    }

    @Test
    void plaintextOnlyAgainstRequiredEncryptionIsRefusedWithAReason(@TempDir Path dir) throws Exception {
        Run r = run(dir, Encryption.PLAINTEXT, Encryption.REQUIRE_ENCRYPTED, false);
        assertFalse(r.complete());
        assertEquals("a plaintext BitTorrent handshake, but this peer requires encryption (require-encrypted)",
                reason(r.seederFailure().orElseThrow()));
        assertEquals("closed by the peer during the handshake", reason(r.leecherFailure().orElseThrow()));
        assertTrue(Arrays.equals(r.toSeeder(), 1, 20, WireRecorder.PROTOCOL, 0, 19), "a plaintext handshake");
        assertTrue(r.toSeeder().length <= 68, "one plaintext attempt, no MSE retry: " + r.toSeeder().length + " bytes");
    }

    /** The failure without the connection's name in front. */
    static String reason(String failure) {
        return failure.substring(failure.indexOf(": ") + 2);
    }
}
