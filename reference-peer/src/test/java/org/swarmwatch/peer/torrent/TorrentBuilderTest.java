package org.swarmwatch.peer.torrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.swarmwatch.peer.torrent.TorrentBuilder.Torrent;
import org.swarmwatch.peer.torrent.TorrentBuilder.Version;

/**
 * Torrents made here, judged by a real client: libtorrent (Debian's python3-libtorrent) loads
 * them, computes the same info hashes, and its own piece check passes on the data (v1 SHA-1
 * pieces, v2 merkle roots and piece layers).
 */
class TorrentBuilderTest {
    static final String PYTHON = "/usr/bin/python3";

    record Verdict(String v1, String v2, int files, int pieces, int verified, String error) {
    }

    static Verdict libtorrent(Path torrent, Path savePath) throws Exception {
        Path script = Path.of(TorrentBuilderTest.class.getResource("/libtorrent_check.py").toURI());
        Process p = new ProcessBuilder(PYTHON, script.toString(), torrent.toString(), savePath.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "libtorrent check timed out");
        assertEquals(0, p.exitValue(), "libtorrent check failed: " + out);
        String json = out.substring(out.lastIndexOf('{'));
        return new Verdict(field(json, "v1"), field(json, "v2"), Integer.parseInt(field(json, "files")),
                Integer.parseInt(field(json, "pieces")), Integer.parseInt(field(json, "verified_pieces")), field(json, "error"));
    }

    /** A value of the flat JSON object libtorrent_check.py prints (null for JSON null). */
    static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\": ");
        String rest = json.substring(at + name.length() + 4);
        if (rest.startsWith("null")) {
            return null;
        }
        if (rest.startsWith("\"")) {
            return rest.substring(1, rest.indexOf('"', 1));
        }
        return rest.split("[,}]")[0].trim();
    }

    static void write(Path file, int length, long seed) throws IOException {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        Files.createDirectories(file.getParent());
        Files.write(file, b);
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void aSingleFileTorrentIsWhatLibtorrentComputesAndItsDataChecks(Version version, @TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        write(data.resolve("film.bin"), 5 * 32768 + 1234, 1); // five whole pieces and a short one
        Torrent t = TorrentBuilder.create(data.resolve("film.bin"), version, 32768, null);
        Path file = Files.write(dir.resolve("film.torrent"), t.metainfo());
        Verdict v = libtorrent(file, data);
        assertEquals(t.v1() == null ? null : HexFormat.of().formatHex(t.v1()), v.v1());
        assertEquals(t.v2() == null ? null : HexFormat.of().formatHex(t.v2()), v.v2());
        assertEquals(6, v.pieces());
        assertNull(v.error());
        assertEquals(6, v.verified(), "libtorrent verified every piece");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void aDirectoryTorrentWithOddSizesChecksToo(Version version, @TempDir Path dir) throws Exception {
        Path root = dir.resolve("album");
        write(root.resolve("a/one.bin"), 70000, 2);   // more than two pieces of 32 KiB
        write(root.resolve("a-b.bin"), 100, 3);       // sorts after a/ by component, before it by string
        write(root.resolve("z/two.bin"), 16384, 4);   // exactly one block
        write(root.resolve("z/three.bin"), 40000, 5);
        Torrent t = TorrentBuilder.create(root, version, 32768, "http://127.0.0.1:1/announce");
        Path file = Files.write(dir.resolve("album.torrent"), t.metainfo());
        Verdict v = libtorrent(file, dir);
        assertEquals(t.v1() == null ? null : HexFormat.of().formatHex(t.v1()), v.v1());
        assertEquals(t.v2() == null ? null : HexFormat.of().formatHex(t.v2()), v.v2());
        assertNull(v.error());
        assertEquals(v.pieces(), v.verified(), "libtorrent verified every piece");
        assertTrue(v.files() >= 4);
    }

    @Test
    void magnetLinksNameBothHashesOfAHybrid(@TempDir Path dir) throws Exception {
        write(dir.resolve("x.bin"), 1000, 6);
        Torrent t = TorrentBuilder.create(dir.resolve("x.bin"), Version.HYBRID, 16384, null);
        String m = t.magnet(List.of("http://127.0.0.1:6969/announce"));
        assertTrue(m.startsWith("magnet:?xt=urn:btih:" + HexFormat.of().formatHex(t.v1()) + "&xt=urn:btmh:1220"
                + HexFormat.of().formatHex(t.v2()) + "&dn=x.bin&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce"), m);
    }

    @Test
    void badPieceLengthsAndMissingSourcesAreRefused(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> TorrentBuilder.create(dir, Version.V1, 30000, null));
        IOException e = assertThrows(IOException.class, () -> TorrentBuilder.create(dir.resolve("nope"), Version.V2, 16384, null));
        assertTrue(e.getMessage().contains("nope"));
    }
}
