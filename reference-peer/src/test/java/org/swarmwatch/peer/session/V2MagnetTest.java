package org.swarmwatch.peer.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.peer.torrent.FileHashes;
import org.swarmwatch.peer.torrent.Magnet;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.TorrentBuilder;
import org.swarmwatch.peer.torrent.TorrentBuilder.Version;
import org.swarmwatch.peer.torrent.V2View.V2File;
import org.swarmwatch.peer.tracker.Announce;
import org.swarmwatch.peer.tracker.LocalTracker;
import org.swarmwatch.peer.tracker.TrackerClient;
import org.swarmwatch.peer.wire.Extensions;
import org.swarmwatch.peer.wire.Extensions.Metadata;
import org.swarmwatch.peer.wire.Handshake;
import org.swarmwatch.peer.wire.Message;
import org.swarmwatch.peer.wire.Message.Extended;
import org.swarmwatch.peer.wire.Message.HashReject;
import org.swarmwatch.peer.wire.Message.HashRequest;
import org.swarmwatch.peer.wire.Message.Hashes;
import org.swarmwatch.peer.wire.MessageCodec;

/**
 * v2-only magnet links ({@code urn:btmh:1220...}) between reference peers on 127.0.0.1: the
 * metadata by BEP 9 (checked by its SHA-256), the piece layers of the files longer than a piece
 * by BEP 52 hash requests the seeder answers, then the download; and a peer whose hashes do not
 * verify against the pieces root is refused.
 */
class V2MagnetTest {
    static final int PIECE = V2SessionTest.PIECE;

    @Test
    void aV2TorrentArrivesIntactFromItsV2Magnet(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed"), leech = Files.createDirectories(dir.resolve("leech"));
        Path root = V2SessionTest.album(seed);
        try (LocalTracker tracker = LocalTracker.start()) {
            TorrentBuilder.Torrent t = TorrentBuilder.create(root, Version.V2, PIECE, tracker.announceUrl());
            Metainfo meta = Metainfo.parse(t.metainfo());
            String link = t.magnet(List.of(tracker.announceUrl()));
            assertTrue(link.startsWith("magnet:?xt=urn:btmh:1220") && !link.contains("btih"), link);
            Magnet magnet = Magnet.parse(link);
            assertTrue(magnet.v2Only());
            assertArrayEquals(meta.infoHash(), magnet.infoHash(), "the 20-byte truncation");
            assertEquals(1, Metainfo.v2FilesNeedingLayers(t.info()).size(), "a/big.bin (5 pieces) needs its piece layer");
            assertThrows(Exception.class, () -> Metainfo.fromInfo(null, t.info()), "the info dictionary alone is not enough");
            try (TorrentSession seeder = TorrentSession.start(meta, seed, SwarmTest.fast())) {
                Metainfo fetched = MetadataFetcher.fetch(magnet, SwarmTest.fast(), SwarmTest.WAIT);
                assertTrue(fetched.isV2());
                assertArrayEquals(meta.v2().infoHash(), fetched.v2().infoHash());
                assertArrayEquals(meta.v2().files().get(0).pieceLayer(), fetched.v2().files().get(0).pieceLayer(),
                        "the piece layer fetched by hash requests is the torrent's");
                try (TorrentSession leecher = TorrentSession.start(fetched, leech, SwarmTest.fast())) {
                    assertTrue(leecher.awaitComplete(SwarmTest.WAIT), "download finished");
                }
            }
        }
        for (String f : List.of("a/big.bin", "small.bin", "tiny.bin", "empty.bin")) {
            assertArrayEquals(Files.readAllBytes(root.resolve(f)), Files.readAllBytes(leech.resolve("album").resolve(f)), f);
        }
    }

    @Test
    void aPeerWhoseHashesDoNotVerifyIsRefused(@TempDir Path dir) throws Exception {
        Path root = V2SessionTest.album(dir.resolve("seed"));
        try (LocalTracker tracker = LocalTracker.start();
                ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TorrentBuilder.Torrent t = TorrentBuilder.create(root, Version.V2, PIECE, tracker.announceUrl());
            Metainfo meta = Metainfo.parse(t.metainfo());
            new TrackerClient(Duration.ofSeconds(5), a -> a.isLoopbackAddress()).announce(tracker.announceUrl(),
                    new Announce.Request(meta.infoHash(), PeerConfig.newPeerId(), fake.getLocalPort(), 0, 0, 0, Announce.Event.STARTED, 50));
            AtomicInteger tampered = new AtomicInteger();
            CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> serveTamperedHashes(fake, meta, root, tampered));
            IOException e = assertThrows(IOException.class,
                    () -> MetadataFetcher.fetch(Magnet.parse(t.magnet(List.of(tracker.announceUrl()))), SwarmTest.fast(),
                            Duration.ofSeconds(4)));
            assertTrue(e.getMessage().contains("no peer gave the metadata"), e.getMessage());
            assertTrue(closed.get(SwarmTest.WAIT.toSeconds(), TimeUnit.SECONDS), "the fetcher dropped the peer");
            assertEquals(1, tampered.get(), "the tampered hashes were sent (and refused)");
        }
    }

    @Test
    void aSeederAnswersHashRequestsItCanAndRejectsTheRest(@TempDir Path dir) throws Exception {
        Path root = V2SessionTest.album(dir);
        Metainfo meta = Metainfo.parse(TorrentBuilder.create(root, Version.V2, PIECE, null).metainfo());
        V2File big = meta.v2().files().get(0); // 5 pieces of 4 leaves: 32 leaves, the piece layer 2, the root layer 5
        try (TorrentSession seeder = TorrentSession.start(meta, dir, SwarmTest.fast());
                Socket s = new Socket(InetAddress.getLoopbackAddress(), seeder.address().getPort())) {
            s.setSoTimeout((int) SwarmTest.WAIT.toMillis());
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            new Handshake(Handshake.v2Reserved(), meta.infoHash(), PeerConfig.newPeerId()).writeTo(out);
            Handshake.readFrom(in);
            MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_LENGTH);
            byte[] unknown = new byte[32];
            for (HashRequest r : List.of(new HashRequest(unknown, 2, 0, 8, 2),   // no such file
                    new HashRequest(big.piecesRoot(), 2, 8, 8, 1),               // the piece layer is 8 wide
                    new HashRequest(big.piecesRoot(), 2, 0, 8, 3),               // past the root
                    new HashRequest(big.piecesRoot(), 0, 0, 8, 4),               // blocks of two pieces
                    new HashRequest(big.piecesRoot(), 2, 0, 8, 2))) {            // the whole piece layer
                out.write(MessageCodec.encode(r));
                out.flush();
                Message m = codec.read(in);
                while (!(m instanceof Hashes || m instanceof HashReject)) {
                    m = codec.read(in); // bitfield, extension handshake
                }
                if (r.proofLayers() == 2 && r.piecesRoot() == big.piecesRoot()) {
                    Hashes h = (Hashes) m;
                    assertArrayEquals(big.pieceLayer(), Arrays.copyOf(
                            FileHashes.verify(big.piecesRoot(), big.length(), 2, 0, 8, 2, h.hashes()), 5 * 32));
                } else {
                    assertTrue(m instanceof HashReject j && j.index() == r.index() && j.length() == r.length(), r + ": " + m);
                }
            }
            assertEquals(1, seeder.hashRequestsAnswered());
            byte[] malformed = MessageCodec.encode(new HashRequest(big.piecesRoot(), 2, 0, 4, 2));
            malformed[4 + 1 + 32 + 8 + 3] = 3; // length 3: not a power of two
            out.write(malformed);
            out.flush();
            assertThrows(IOException.class, () -> {
                while (true) {
                    codec.read(in);
                }
            }, "the seeder closes a connection that sends a malformed hash request");
        }
    }

    /**
     * One connection as a v2 peer that hands over the true metadata but answers each hash request
     * with one byte of the hashes flipped; true once the other side closes the connection.
     */
    static boolean serveTamperedHashes(ServerSocket server, Metainfo meta, Path root, AtomicInteger tampered) {
        try (Socket s = server.accept()) {
            s.setSoTimeout((int) SwarmTest.WAIT.toMillis());
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            Handshake.readFrom(in);
            new Handshake(Handshake.v2Reserved(), meta.infoHash(), PeerConfig.newPeerId()).writeTo(out);
            out.write(MessageCodec.encode(new Extended(0, Extensions.handshake(meta.info().length, 16))));
            out.flush();
            MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_LENGTH);
            V2File big = meta.v2().files().get(0);
            FileHashes tree = new FileHashes(big, PIECE);
            byte[] data = Files.readAllBytes(root.resolve("a/big.bin"));
            while (true) {
                Message m = codec.read(in);
                if (m instanceof Extended e && e.id() == Extensions.UT_METADATA) {
                    Metadata md = Extensions.readMetadata(e.payload());
                    int from = md.piece() * Extensions.METADATA_PIECE;
                    byte[] part = Arrays.copyOfRange(meta.info(), from, Math.min(meta.info().length, from + Extensions.METADATA_PIECE));
                    out.write(MessageCodec.encode(new Extended(Extensions.UT_METADATA,
                            Extensions.encode(new Metadata(Metadata.DATA, md.piece(), meta.info().length, part)))));
                } else if (m instanceof HashRequest r) {
                    byte[] hashes = tree.answer(r.base(), r.index(), r.length(), r.proofLayers(),
                            k -> Arrays.copyOfRange(data, k * PIECE, Math.min(data.length, (k + 1) * PIECE)));
                    hashes[33] ^= 1; // the second piece hash
                    out.write(MessageCodec.encode(new Hashes(r.piecesRoot(), r.base(), r.index(), r.length(), r.proofLayers(), hashes)));
                    tampered.incrementAndGet();
                }
                out.flush();
            }
        } catch (EOFException | java.net.SocketException closed) {
            return true;
        } catch (IOException | FileHashes.Refused e) {
            return false;
        }
    }
}
