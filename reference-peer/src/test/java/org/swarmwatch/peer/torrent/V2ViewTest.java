package org.swarmwatch.peer.torrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.peer.interop.RealClient;
import org.swarmwatch.peer.storage.PieceStore;
import org.swarmwatch.peer.torrent.BencodeReader.BencodeException;
import org.swarmwatch.peer.torrent.Metainfo.FileEntry;
import org.swarmwatch.peer.torrent.V2View.V2File;

/**
 * The v2 view and piece check (BEP 52) against torrents libtorrent made (Debian's
 * python3-libtorrent, {@code lt_make_v2.py}): the same layout and info hash, every piece on disk
 * checks, the merkle roots agree with an independent computation over whole files, and a
 * corrupted block, non-zero padding or a piece layer that does not hash up is refused.
 *
 * <p>The album hits the padding rules: with 128 KiB pieces (8 leaves), {@code a/big.bin} has 3
 * pieces (a piece layer 4 wide, the last piece 3 leaves of data and 5 zero leaves), {@code small.bin}
 * is 3 blocks in one piece (its root over 4 leaves, not 8), {@code tiny.bin} one short block (its
 * root is that block's hash), {@code empty.bin} no piece at all.
 */
class V2ViewTest {
    static final int PIECE = 131072;

    record Made(Path torrent, String json, byte[] bytes) {
    }

    static Made libtorrentMakes(Path source, int pieceLength, Path dir) throws Exception {
        Path out = dir.resolve(source.getFileName() + ".torrent");
        String json = RealClient.libtorrentMakesV2(source, pieceLength, out, null);
        return new Made(out, json, Files.readAllBytes(out));
    }

    static Path album(Path dir) throws Exception {
        Path root = dir.resolve("album");
        TorrentBuilderTest.write(root.resolve("a/big.bin"), 300000, 11);
        TorrentBuilderTest.write(root.resolve("small.bin"), 40000, 12);
        TorrentBuilderTest.write(root.resolve("tiny.bin"), 100, 13);
        Files.write(root.resolve("empty.bin"), new byte[0]);
        return root;
    }

    @Test
    void libtorrentsV2TorrentIsReadWithItsLayoutAndEveryPieceChecks(@TempDir Path dir) throws Exception {
        Path root = album(dir);
        Made made = libtorrentMakes(root, PIECE, dir);
        Metainfo meta = Metainfo.parse(made.bytes());
        assertTrue(meta.isV2());
        String v2 = TorrentBuilderTest.field(made.json(), "v2");
        assertEquals(v2, HexFormat.of().formatHex(meta.v2().infoHash()));
        assertEquals(v2.substring(0, 40), HexFormat.of().formatHex(meta.infoHash()), "the wire carries the truncated SHA-256");
        assertEquals(Integer.parseInt(TorrentBuilderTest.field(made.json(), "pieces")), meta.pieceCount());
        assertEquals(Long.parseLong(TorrentBuilderTest.field(made.json(), "total")), meta.totalLength());
        assertEquals(3 + 1 + 1, meta.pieceCount());
        for (FileEntry f : meta.files()) {
            if (!f.pad() && f.length() > 0) {
                String path = "album/" + String.join("/", f.path());
                assertTrue(made.json().contains("\"path\": \"" + path + "\", \"size\": " + f.length() + ", \"offset\": " + f.offset()),
                        path + " at " + f.offset() + " in " + made.json());
            }
        }
        V2File big = meta.v2().files().get(0);
        assertEquals(List.of("a", "big.bin"), big.path());
        assertEquals(3, big.pieces());
        assertNull(meta.v2().files().get(1).pieceLayer(), "small.bin fits one piece: no piece layer");

        // the pieces roots libtorrent wrote are what an independent whole-file computation gives
        for (V2File f : meta.v2().files()) {
            byte[] content = Files.readAllBytes(root.resolve(String.join("/", f.path())));
            assertArrayEquals(naiveRoot(content), f.piecesRoot(), String.join("/", f.path()));
        }
        try (PieceStore store = new PieceStore(meta, dir)) {
            BitSet have = store.verify();
            assertEquals(meta.pieceCount(), have.cardinality(), "every piece checks against libtorrent's merkle trees");
        }
    }

    @Test
    void theBuilderMakesTheTorrentLibtorrentMakes(@TempDir Path dir) throws Exception {
        Path root = album(dir);
        Made made = libtorrentMakes(root, PIECE, dir);
        TorrentBuilder.Torrent ours = TorrentBuilder.create(root, TorrentBuilder.Version.V2, PIECE, null);
        assertEquals(TorrentBuilderTest.field(made.json(), "v2"), HexFormat.of().formatHex(ours.v2()));
        Metainfo theirs = Metainfo.parse(made.bytes()), mine = Metainfo.parse(ours.metainfo());
        for (int i = 0; i < theirs.v2().files().size(); i++) {
            assertArrayEquals(theirs.v2().files().get(i).pieceLayer(), mine.v2().files().get(i).pieceLayer());
        }
    }

    @Test
    void aCorruptedBlockOrNonZeroPaddingIsRefused(@TempDir Path dir) throws Exception {
        Path root = album(dir);
        Metainfo meta = Metainfo.parse(libtorrentMakes(root, PIECE, dir).bytes());
        V2View v2 = meta.v2();
        byte[] big = Files.readAllBytes(root.resolve("a/big.bin"));
        byte[] last = Arrays.copyOf(Arrays.copyOfRange(big, 2 * PIECE, big.length), PIECE); // data, then zeros
        assertEquals(300000 - 2 * PIECE, v2.dataLength(2));
        assertTrue(v2.verify(2, last));
        byte[] corrupt = last.clone();
        corrupt[20000] ^= 1; // the second block
        assertFalse(v2.verify(2, corrupt), "a corrupted block");
        byte[] padded = last.clone();
        padded[PIECE - 1] = 7;
        assertFalse(v2.verify(2, padded), "non-zero padding after the file's end");
        assertFalse(v2.verify(1, last), "another piece's data");

        byte[] small = Arrays.copyOf(Files.readAllBytes(root.resolve("small.bin")), PIECE);
        assertTrue(v2.verify(3, small));
        small[39999] ^= (byte) 0x80;
        assertFalse(v2.verify(3, small), "the last byte of a file of one piece");
        byte[] tiny = Arrays.copyOf(Files.readAllBytes(root.resolve("tiny.bin")), PIECE);
        assertTrue(v2.verify(4, tiny));
        assertFalse(v2.verify(4, new byte[PIECE]));
    }

    @Test
    void pieceLayersThatDoNotHashUpAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path root = album(dir);
        byte[] torrent = libtorrentMakes(root, PIECE, dir).bytes();
        Metainfo meta = Metainfo.parse(torrent);
        V2File big = meta.v2().files().get(0);

        byte[] flipped = torrent.clone();
        flipped[indexOf(torrent, big.pieceLayer(), 0) + 40] ^= 1; // in the second piece's hash
        BencodeException e = assertThrows(BencodeException.class, () -> Metainfo.parse(flipped));
        assertTrue(e.getMessage().contains("file a/big.bin: piece layer does not hash up to its pieces root"), e.getMessage());

        byte[] unknownKey = torrent.clone();
        int inTree = indexOf(torrent, big.piecesRoot(), 0), inLayers = indexOf(torrent, big.piecesRoot(), inTree + 1);
        assertTrue(inLayers > inTree, "the root is in the file tree and as the key of piece layers");
        unknownKey[inLayers] ^= 1;
        e = assertThrows(BencodeException.class, () -> Metainfo.parse(unknownKey));
        assertTrue(e.getMessage().contains("file a/big.bin: no piece layer for its pieces root"), e.getMessage());

        byte[] info = meta.info();
        byte[] shortLayer = BencodeWriter.encode(Map.of("info", new BencodeWriter.Raw(info),
                "piece layers", Map.of(big.piecesRoot(), Arrays.copyOf(big.pieceLayer(), 64))));
        e = assertThrows(BencodeException.class, () -> Metainfo.parse(shortLayer));
        assertTrue(e.getMessage().contains("file a/big.bin: piece layer of 64 bytes, expected 96"), e.getMessage());

        e = assertThrows(BencodeException.class, () -> Metainfo.fromInfo(null, info));
        assertTrue(e.getMessage().contains("no piece layer"), "BEP 9 metadata alone lacks the piece layers: " + e.getMessage());
    }

    @Test
    void malformedFileTreesAreRefusedSayingWhatIsWrong() {
        byte[] root = new byte[32];
        Map<String, Object> file = Map.of("", Map.of("length", 100L, "pieces root", root));
        assertRefused(Map.of("f", file), 1L, "'meta version' 2");
        assertRefused(Map.of(), 2L, "non-empty 'file tree'");
        assertRefused(Map.of("..", file), 2L, "'..' is not a plain file name");
        assertRefused(Map.of("d", Map.of("", Map.of("length", 100L, "pieces root", root), "x", file)), 2L,
                "the file entry at d is not alone");
        assertRefused(Map.of("f", Map.of("", Map.of("length", 100L))), 2L, "file f: no 32-byte pieces root");
        assertRefused(Map.of("f", Map.of("", Map.of("length", 100L, "pieces root", new byte[20]))), 2L, "file f: no 32-byte pieces root");
        assertRefused(Map.of("f", Map.of("", Map.of("length", -1L, "pieces root", root))), 2L, "file f: length");
        assertRefused(Map.of("f", Map.of("", Map.of("length", 0L))), 2L, "all empty");
        assertRefused(Map.of("f", Map.of("", Map.of("length", 1L << 40, "pieces root", root))), 2L, "more than 1048576 pieces");
        assertRefused(Map.of("f", Map.of("", Map.of("length", 100_000L, "pieces root", root))), 2L,
                "file f: no piece layer for its pieces root");
    }

    static void assertRefused(Map<String, Object> tree, long version, String expected) {
        byte[] info = BencodeWriter.encode(Map.of("name", "x", "piece length", 16384L, "meta version", version, "file tree", tree));
        byte[] torrent = BencodeWriter.encode(Map.of("info", new BencodeWriter.Raw(info)));
        BencodeException e = assertThrows(BencodeException.class, () -> Metainfo.parse(torrent));
        assertTrue(e.getMessage().contains(expected), e.getMessage() + " should say " + expected);
    }

    @Test
    void merkleRootsPadWithZeroLeavesAndZeroSubtrees() {
        byte[] a = sha256(new byte[] {1}), b = sha256(new byte[] {2}), zero = new byte[32];
        byte[] ab = sha256(concat(a, b)), zz = sha256(concat(zero, zero));
        assertArrayEquals(a, MerkleTree.rootOfLeaves(a, 1));
        assertArrayEquals(sha256(concat(ab, zz)), MerkleTree.rootOfLeaves(concat(a, b), 4));
        assertArrayEquals(sha256(concat(sha256(concat(a, zero)), zz)), MerkleTree.rootOfLeaves(a, 4));
        assertArrayEquals(zz, MerkleTree.padHash(2));
        assertArrayEquals(sha256(concat(zz, zz)), MerkleTree.padHash(4));
        assertArrayEquals(sha256(concat(ab, zz)), MerkleTree.root(ab, 2, zz), "a layer above the leaves pads with subtree roots");
        assertEquals(1, MerkleTree.width(0));
        assertEquals(4, MerkleTree.width(3));
        assertEquals(4, MerkleTree.width(4));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.rootOfLeaves(concat(a, b, a), 2));
    }

    /** The whole file's tree, built the plain way: block hashes, zero leaves to a power of two, pairs hashed up. */
    static byte[] naiveRoot(byte[] content) {
        List<byte[]> layer = new java.util.ArrayList<>();
        for (int at = 0; at < content.length; at += 16384) {
            layer.add(sha256(Arrays.copyOfRange(content, at, Math.min(content.length, at + 16384))));
        }
        while (Integer.bitCount(layer.size()) != 1) {
            layer.add(new byte[32]);
        }
        while (layer.size() > 1) {
            List<byte[]> up = new java.util.ArrayList<>();
            for (int i = 0; i < layer.size(); i += 2) {
                up.add(sha256(concat(layer.get(i), layer.get(i + 1))));
            }
            layer = up;
        }
        return layer.get(0);
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i <= haystack.length - needle.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
