package org.swarmwatch.peer.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.TorrentBuilder;
import org.swarmwatch.peer.torrent.TorrentBuilder.Version;
import org.swarmwatch.peer.tracker.LocalTracker;
import org.swarmwatch.peer.wire.Handshake;

/**
 * v2-only torrents (BEP 52) between reference peers on 127.0.0.1: a multi-file download with
 * the v2 piece numbering, the handshake (truncated SHA-256, the v2 reserved bit), and a peer that
 * serves corrupted blocks, whose pieces are refused.
 */
class V2SessionTest {
    static final int PIECE = 65536; // 4 leaves a piece

    static Path album(Path parent) throws IOException {
        Path root = parent.resolve("album");
        SwarmTest.write(root.resolve("a/big.bin"), 4 * PIECE + 20000, 31); // 5 pieces, the last 2 leaves of data and 2 zero ones
        SwarmTest.write(root.resolve("small.bin"), 40000, 32);             // 3 blocks in one piece
        SwarmTest.write(root.resolve("tiny.bin"), 10, 33);
        Files.createDirectories(root);
        Files.write(root.resolve("empty.bin"), new byte[0]);
        return root;
    }

    @Test
    void aV2DirectoryArrivesIntactFileByFile(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed"), leech = Files.createDirectories(dir.resolve("leech"));
        Path root = album(seed);
        try (LocalTracker tracker = LocalTracker.start()) {
            Metainfo meta = Metainfo.parse(TorrentBuilder.create(root, Version.V2, PIECE, tracker.announceUrl()).metainfo());
            assertEquals(5 + 1 + 1, meta.pieceCount(), "each file starts on a new piece; the empty one takes none");
            assertEquals(5 * PIECE + 2 * PIECE, meta.totalLength(), "implied pads up to each piece boundary");
            try (TorrentSession seeder = TorrentSession.start(meta, seed, SwarmTest.fast());
                    TorrentSession leecher = TorrentSession.start(meta, leech, SwarmTest.fast())) {
                assertTrue(seeder.isComplete());
                assertFalse(leecher.isComplete());
                assertTrue(leecher.awaitComplete(SwarmTest.WAIT), "download finished");
            }
        }
        for (String f : List.of("a/big.bin", "small.bin", "tiny.bin", "empty.bin")) {
            assertArrayEquals(Files.readAllBytes(root.resolve(f)), Files.readAllBytes(leech.resolve("album").resolve(f)), f);
        }
        try (var files = Files.walk(leech)) {
            assertEquals(4, files.filter(Files::isRegularFile).count(), "no pad file was written");
        }
    }

    @Test
    void theHandshakeCarriesTheTruncatedSha256AndTheV2Bit(@TempDir Path dir) throws Exception {
        Path root = album(dir);
        TorrentBuilder.Torrent t = TorrentBuilder.create(root, Version.V2, PIECE, null);
        Metainfo meta = Metainfo.parse(t.metainfo());
        byte[] truncated = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(t.info()), 20);
        assertArrayEquals(truncated, meta.infoHash());
        try (TorrentSession seeder = TorrentSession.start(meta, dir, SwarmTest.fast());
                Socket s = new Socket()) {
            s.connect(seeder.address(), 2000);
            s.setSoTimeout(10_000);
            new Handshake(Handshake.v2Reserved(), truncated, PeerConfig.newPeerId()).writeTo(s.getOutputStream());
            Handshake answer = Handshake.readFrom(new DataInputStream(s.getInputStream()));
            assertArrayEquals(truncated, answer.infoHash());
            assertTrue(answer.supportsV2(), "reserved[7] & 0x10");
            assertTrue(answer.supportsExtensions());
        }
    }

    @Test
    void piecesWithACorruptedBlockAreRefusedAndThePeerDropped(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed"), leech = Files.createDirectories(dir.resolve("leech"));
        Path root = album(seed);
        Metainfo meta = Metainfo.parse(TorrentBuilder.create(root, Version.V2, PIECE, null).metainfo());
        byte[] big = Files.readAllBytes(root.resolve("a/big.bin"));
        AtomicInteger served = new AtomicInteger();
        try (ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                TorrentSession leecher = TorrentSession.start(meta, leech, SwarmTest.fast())) {
            CompletableFuture<Boolean> closedByLeecher = CompletableFuture.supplyAsync(() -> serveCorrupted(fake, meta, big, served));
            leecher.connect(new InetSocketAddress(fake.getInetAddress(), fake.getLocalPort()));
            assertTrue(closedByLeecher.get(SwarmTest.WAIT.toSeconds(), TimeUnit.SECONDS), "the leecher dropped the peer");
            assertFalse(leecher.isComplete());
            assertTrue(served.get() >= 3 * (PIECE / 16384), "whole pieces were served (" + served.get() + " blocks) and refused");
        }
        Path got = leech.resolve("album/a/big.bin");
        assertTrue(!Files.exists(got) || Arrays.equals(new byte[(int) Files.size(got)], Files.readAllBytes(got)),
                "nothing of a refused piece was written");
    }

    /**
     * One connection as a seeder of {@code a/big.bin}'s pieces whose second block has one bit
     * flipped; true once the other side closes it.
     */
    static boolean serveCorrupted(ServerSocket server, Metainfo meta, byte[] big, AtomicInteger served) {
        try (Socket s = server.accept()) {
            s.setSoTimeout((int) SwarmTest.WAIT.toMillis());
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            Handshake.readFrom(in);
            new Handshake(Handshake.v2Reserved(), meta.infoHash(), PeerConfig.newPeerId()).writeTo(out);
            byte[] bitfield = new byte[(meta.pieceCount() + 7) / 8];
            bitfield[0] = (byte) 0xf8; // pieces 0..4: a/big.bin
            out.writeInt(1 + bitfield.length);
            out.writeByte(5);
            out.write(bitfield);
            out.writeInt(1);
            out.writeByte(1); // unchoke
            out.flush();
            while (true) {
                int length = in.readInt();
                if (length == 0) {
                    continue;
                }
                int id = in.readUnsignedByte();
                byte[] body = in.readNBytes(length - 1);
                if (id != 6) {
                    continue;
                }
                java.nio.ByteBuffer r = java.nio.ByteBuffer.wrap(body);
                int index = r.getInt(), begin = r.getInt(), len = r.getInt();
                byte[] block = new byte[len];
                long at = (long) index * PIECE + begin;
                if (at < big.length) {
                    System.arraycopy(big, (int) at, block, 0, (int) Math.min(len, big.length - at));
                }
                if (begin == 16384) {
                    block[100] ^= 1;
                }
                out.writeInt(9 + len);
                out.writeByte(7);
                out.writeInt(index);
                out.writeInt(begin);
                out.write(block);
                out.flush();
                served.incrementAndGet();
            }
        } catch (EOFException | java.net.SocketException closed) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
