package org.swarmwatch.peer.torrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.peer.torrent.TorrentBuilder.Version;
import org.swarmwatch.peer.torrent.V2View.V2File;

/**
 * BEP 52 hash requests answered from a file's merkle tree ({@link FileHashes#answer}) and the
 * answers verified against the file's pieces root ({@link FileHashes#verify}), tampered ones
 * refused. The torrent is made by {@link TorrentBuilder}, whose roots and piece layers
 * {@code V2ViewTest} checks against libtorrent's.
 *
 * <p>With 32 KiB pieces (2 leaves a piece), {@code big.bin} of 9 pieces and 5000 bytes has 19
 * blocks: 32 leaves, the root on layer 5, the piece layer (layer 1) 16 wide of which 10 are
 * pieces; {@code small.bin} is 2 blocks in one piece.
 */
class FileHashesTest {
    static final int PIECE = 32768;

    byte[] big, small;
    V2File bigFile, smallFile;
    FileHashes bigTree;

    @BeforeEach
    void torrent(@TempDir Path dir) throws Exception {
        big = new byte[9 * PIECE + 5000];
        small = new byte[20000];
        new Random(1).nextBytes(big);
        new Random(2).nextBytes(small);
        Path root = Files.createDirectories(dir.resolve("album"));
        Files.write(root.resolve("big.bin"), big);
        Files.write(root.resolve("small.bin"), small);
        Metainfo meta = Metainfo.parse(TorrentBuilder.create(root, Version.V2, PIECE, null).metainfo());
        bigFile = meta.v2().files().get(0);
        smallFile = meta.v2().files().get(1);
        assertEquals(10, bigFile.pieces());
        assertNull(smallFile.pieceLayer());
        bigTree = new FileHashes(bigFile, PIECE);
        assertEquals(5, bigTree.rootLayer());
    }

    byte[] piece(int k) {
        return Arrays.copyOfRange(big, k * PIECE, Math.min(big.length, (k + 1) * PIECE));
    }

    byte[] answerAndVerify(FileHashes tree, V2File f, int base, int index, int length, int proof) throws Exception {
        byte[] answer = tree.answer(base, index, length, proof, this::piece);
        byte[] verified = FileHashes.verify(f.piecesRoot(), f.length(), base, index, length, proof, answer);
        assertNotNull(verified, "the answer to " + base + "/" + index + "/" + length + "/" + proof + " hashes up to the root");
        return verified;
    }

    @Test
    void thePieceLayerIsAnsweredAndVerifiedAgainstThePiecesRoot() throws Exception {
        byte[] whole = answerAndVerify(bigTree, bigFile, 1, 0, 16, 3); // the whole width: no uncle needed
        assertEquals(16 * 32, whole.length);
        assertArrayEquals(bigFile.pieceLayer(), Arrays.copyOf(whole, 10 * 32), "the 10 piece hashes");
        byte[] pad = MerkleTree.padHash(2);
        for (int i = 10; i < 16; i++) {
            assertArrayEquals(pad, Arrays.copyOfRange(whole, i * 32, i * 32 + 32), "past the file: a subtree of zero leaves");
        }
        byte[] half = answerAndVerify(bigTree, bigFile, 1, 8, 8, 3);       // 8 hashes and 1 uncle
        assertArrayEquals(Arrays.copyOfRange(whole, 8 * 32, 16 * 32), half);
        assertEquals((2 + 3) * 32, bigTree.answer(1, 4, 2, 3, this::piece).length, "2 hashes and 3 uncles");
        assertArrayEquals(Arrays.copyOfRange(whole, 4 * 32, 6 * 32), answerAndVerify(bigTree, bigFile, 1, 4, 2, 3));
    }

    @Test
    void blockHashesAreAnsweredFromThePieceOnDisk() throws Exception {
        assertArrayEquals(MerkleTree.leaves(piece(3), 0, PIECE), answerAndVerify(bigTree, bigFile, 0, 6, 2, 4));
        byte[] last = answerAndVerify(bigTree, bigFile, 0, 18, 2, 4); // the last piece: one short block, then a zero leaf
        assertArrayEquals(MerkleTree.leaves(piece(9), 0, 5000), Arrays.copyOf(last, 32));
        assertArrayEquals(new byte[32], Arrays.copyOfRange(last, 32, 64));
        assertArrayEquals(new byte[64], answerAndVerify(bigTree, bigFile, 0, 20, 2, 4), "past the file's pieces: zero leaves");
        FileHashes smallTree = new FileHashes(smallFile, PIECE);
        byte[] blocks = smallTree.answer(0, 0, 2, 0, k -> small);
        assertArrayEquals(MerkleTree.leaves(small, 0, small.length),
                FileHashes.verify(smallFile.piecesRoot(), small.length, 0, 0, 2, 0, blocks), "a file of one piece");
    }

    @Test
    void requestsOutsideTheTreeOrTooCostlyAreRefused() {
        assertRefused("span more than one piece", 0, 0, 4, 4);
        assertRefused("outside layer 0 of 32", 0, 32, 2, 4);
        assertRefused("outside layer 1 of 16", 1, 16, 16, 3);
        assertRefused("go past the root layer 5", 0, 0, 2, 5);
        assertRefused("base layer 5 not below the root layer 5", 5, 0, 2, 0);
        FileHashes.Refused missing = assertThrows(FileHashes.Refused.class, () -> bigTree.answer(0, 4, 2, 4, k -> null));
        assertTrue(missing.getMessage().contains("piece 2 is not here"), missing.getMessage());
    }

    void assertRefused(String reason, int base, int index, int length, int proof) {
        FileHashes.Refused e = assertThrows(FileHashes.Refused.class, () -> bigTree.answer(base, index, length, proof, this::piece));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void aTamperedAnswerIsRefused() throws Exception {
        byte[] answer = bigTree.answer(1, 4, 2, 3, this::piece);
        assertNotNull(FileHashes.verify(bigFile.piecesRoot(), bigFile.length(), 1, 4, 2, 3, answer));
        for (int at : new int[] {0, 40, 2 * 32 + 5, answer.length - 1}) { // base hashes, then each kind of uncle
            byte[] bad = answer.clone();
            bad[at] ^= 1;
            assertNull(FileHashes.verify(bigFile.piecesRoot(), bigFile.length(), 1, 4, 2, 3, bad), "byte " + at + " flipped");
        }
        byte[] swapped = answer.clone(); // the two base hashes in the wrong order
        System.arraycopy(answer, 32, swapped, 0, 32);
        System.arraycopy(answer, 0, swapped, 32, 32);
        assertNull(FileHashes.verify(bigFile.piecesRoot(), bigFile.length(), 1, 4, 2, 3, swapped));
        assertNull(FileHashes.verify(bigFile.piecesRoot(), bigFile.length(), 1, 6, 2, 3, answer), "the right hashes at the wrong place");
        assertNull(FileHashes.verify(smallFile.piecesRoot(), bigFile.length(), 1, 4, 2, 3, answer), "another file's root");
        byte[] short3 = bigTree.answer(1, 4, 2, 2, this::piece);
        assertNull(FileHashes.verify(bigFile.piecesRoot(), bigFile.length(), 1, 4, 2, 2, short3), "proof layers short of the root");
    }
}
