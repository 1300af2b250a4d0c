package org.swarmwatch.peer.session;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmwatch.peer.dht.DhtNode;
import org.swarmwatch.peer.torrent.BencodeReader;
import org.swarmwatch.peer.torrent.BencodeReader.BencodeException;
import org.swarmwatch.peer.torrent.FileHashes;
import org.swarmwatch.peer.torrent.Magnet;
import org.swarmwatch.peer.torrent.MerkleTree;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.tracker.Announce;
import org.swarmwatch.peer.tracker.Announce.Event;
import org.swarmwatch.peer.torrent.V2View.V2File;
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
import org.swarmwatch.peer.wire.ProtocolException;

/**
 * Turns a magnet link into a {@link Metainfo}: asks the magnet's first tracker for peers (and
 * the DHT, through a short-lived {@link DhtNode}, if {@link PeerConfig#dhtBootstrap()} names
 * nodes; a magnet without a tracker needs them), and from each in turn the info dictionary
 * through the extension protocol (BEP 10) and metadata exchange (BEP 9), until one hands over
 * bytes whose SHA-1 is the magnet's info hash (for a v2-only magnet, {@code urn:btmh}: whose SHA-256
 * is its v2 info hash; then the piece layers of its files longer than a piece are fetched from the
 * same peer by BEP 52 hash requests, each answer verified against the file's pieces root).
 *
 * <p>Bounded: one peer at a time, metadata of at most {@link Metainfo#MAX_METAINFO_BYTES}, the
 * whole fetch within the caller's timeout (socket reads time out at the deadline), trackers and
 * peers only where {@link PeerConfig#mayContact()} allows. A peer that breaks the protocol, has
 * no metadata or sends wrong metadata is logged and skipped. The handshake follows the
 * configuration's {@link Encryption} policy, falling back once as a session does.
 */
public final class MetadataFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataFetcher.class);

    /** Piece hashes asked for in one hash request (BEP 52: a length SHOULD NOT be greater than 512). */
    static final int LAYER_CHUNK = 512;
    /** Hash requests outstanding at once. */
    static final int HASH_WINDOW = 8;

    private MetadataFetcher() {
    }

    public static Metainfo fetch(Magnet magnet, PeerConfig config, Duration timeout) throws IOException, InterruptedException {
        if (magnet.trackers().isEmpty() && config.dhtBootstrap().isEmpty()) {
            throw new IOException("the magnet link names no tracker, and no DHT node to ask is given (--dht-bootstrap)");
        }
        String tracker = magnet.trackers().isEmpty() ? null : magnet.trackers().get(0);
        TrackerClient client = new TrackerClient(Duration.ofSeconds(10), config.mayContact());
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<InetSocketAddress> tried = new HashSet<>();
        try (DhtNode dht = config.dhtBootstrap().isEmpty() ? null : DhtNode.start(config.dhtConfig())) {
            while (System.nanoTime() < deadline) {
                List<InetSocketAddress> peers = new ArrayList<>();
                if (tracker != null) {
                    // left=1: the size is not known yet; port 1: not listening yet (the session announces its own)
                    try {
                        peers.addAll(client.announce(tracker, new Announce.Request(magnet.infoHash(), config.peerId(), 1, 0, 0, 1,
                                Event.NONE, 50)).peers());
                    } catch (IOException e) {
                        if (dht == null) {
                            throw e;
                        }
                        LOG.info("tracker {}: {}; asking the DHT", tracker, e.getMessage());
                    }
                }
                if (dht != null) {
                    peers.addAll(dht.getPeers(magnet.infoHash()).peers());
                }
                for (InetSocketAddress peer : peers) {
                    if (!tried.add(peer) || System.nanoTime() >= deadline) {
                        continue;
                    }
                    if (!config.mayContact().test(peer.getAddress())) {
                        LOG.warn("refusing to contact peer {} (not an allowed address)", peer);
                        continue;
                    }
                    Encryption policy = config.encryption();
                    try {
                        try {
                            return fetchFrom(peer, magnet, tracker, config, deadline, policy.dialsMseFirst());
                        } catch (Refused e) {
                            if (!policy.fallsBack()) {
                                throw e;
                            }
                            LOG.info("{} refused the {} handshake ({}); trying {}", peer, policy.dialsMseFirst() ? "MSE" : "plaintext",
                                    e.getMessage(), policy.dialsMseFirst() ? "plaintext" : "MSE");
                            return fetchFrom(peer, magnet, tracker, config, deadline, !policy.dialsMseFirst());
                        }
                    } catch (IOException e) {
                        LOG.info("no metadata from {}: {}", peer, e.getMessage());
                    }
                }
                Thread.sleep(500);
                if (tried.size() > 1000) {
                    tried.clear();
                }
            }
        }
        throw new IOException("no peer gave the metadata within " + timeout.toSeconds() + " s");
    }

    /**
     * The piece layers of a v2-only torrent's files longer than a piece, from the same peer by
     * BEP 52 hash requests (at most {@value #LAYER_CHUNK} piece hashes each, with the proof layers
     * up to the file's pieces root, {@value #HASH_WINDOW} requests outstanding); each answer is
     * verified against the pieces root, and a peer whose hashes do not verify, or that rejects a
     * request, is refused (the caller goes on to the next peer).
     */
    private static Metainfo withPieceLayers(String tracker, byte[] info, MessageCodec codec, DataInputStream in, OutputStream out,
            InetSocketAddress peer) throws IOException {
        List<V2File> files;
        long pieceLength;
        try {
            files = Metainfo.v2FilesNeedingLayers(info); // checks the piece length too
            pieceLength = (Long) ((Map<?, ?>) BencodeReader.decode(info)).get("piece length");
        } catch (BencodeException e) {
            throw new ProtocolException("metadata that is no v2 info dictionary: " + e.getMessage());
        }
        int pieceLayer = Long.numberOfTrailingZeros(pieceLength / MerkleTree.BLOCK);
        Map<String, byte[]> layers = new HashMap<>();
        Map<Key, V2File> pending = new HashMap<>();
        ArrayDeque<HashRequest> toSend = new ArrayDeque<>();
        Map<Key, V2File> fileOf = new HashMap<>();
        for (V2File f : files) {
            layers.put(new String(f.piecesRoot(), StandardCharsets.ISO_8859_1), new byte[f.pieces() * MerkleTree.HASH]);
            int width = (int) MerkleTree.width(f.pieces());  // the tree's width at the piece layer
            // proof layers up to the pieces root: the root is log2(width) layers above the piece layer
            int chunk = Math.min(LAYER_CHUNK, width), proof = Integer.numberOfTrailingZeros(width) - 1;
            for (int index = 0; index < f.pieces(); index += chunk) {
                HashRequest r = new HashRequest(f.piecesRoot(), pieceLayer, index, chunk, proof);
                toSend.add(r);
                fileOf.put(Key.of(r), f);
            }
        }
        while (!toSend.isEmpty() || !pending.isEmpty()) {
            while (!toSend.isEmpty() && pending.size() < HASH_WINDOW) {
                HashRequest r = toSend.poll();
                pending.put(Key.of(r), fileOf.get(Key.of(r)));
                out.write(MessageCodec.encode(r));
            }
            out.flush();
            Message m = codec.read(in);
            if (m instanceof HashReject j) {
                throw new ProtocolException("the peer rejected the hash request for " + j.length() + " piece hashes from "
                        + j.index() + " of pieces root " + HexFormat.of().formatHex(j.piecesRoot()));
            }
            if (!(m instanceof Hashes h)) {
                continue; // bitfield, have, extension messages: not needed here
            }
            V2File f = pending.remove(Key.of(h.request()));
            if (f == null) {
                throw new ProtocolException("hashes never asked for (" + h.length() + " from " + h.index() + " of layer " + h.base() + ")");
            }
            byte[] base = FileHashes.verify(f.piecesRoot(), f.length(), h.base(), h.index(), h.length(), h.proofLayers(), h.hashes());
            String shown = String.join("/", f.path());
            if (base == null) {
                throw new ProtocolException("hashes for file " + shown + " do not verify against its pieces root "
                        + HexFormat.of().formatHex(f.piecesRoot()));
            }
            byte[] layer = layers.get(new String(f.piecesRoot(), StandardCharsets.ISO_8859_1));
            int n = Math.min(h.length(), f.pieces() - h.index());
            System.arraycopy(base, 0, layer, h.index() * MerkleTree.HASH, n * MerkleTree.HASH);
        }
        LOG.info("piece layers of {} files from {}", files.size(), peer);
        try {
            return Metainfo.fromInfo(tracker, info, layers);
        } catch (BencodeException e) {
            throw new ProtocolException("piece layers that do not fit the metadata: " + e.getMessage());
        }
    }

    /** A hash request as a map key (its pieces root by value). */
    private record Key(String root, int base, int index, int length, int proofLayers) {
        static Key of(HashRequest r) {
            return new Key(HexFormat.of().formatHex(r.piecesRoot()), r.base(), r.index(), r.length(), r.proofLayers());
        }
    }

    /** The peer closed or reset the connection before its handshake: it may want the other kind (MSE or plaintext). */
    private static final class Refused extends IOException {
        Refused(IOException cause) {
            super(cause.getMessage() != null ? cause.getMessage()
                    : cause instanceof EOFException ? "closed by the peer" : cause.toString(), cause);
        }
    }

    private static Metainfo fetchFrom(InetSocketAddress peer, Magnet magnet, String tracker, PeerConfig config, long deadline,
            boolean mse) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(config.bindAddress(), 0)); // from the peer's own address
            s.connect(peer, (int) config.connectTimeout().toMillis());
            s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            BufferedInputStream raw = new BufferedInputStream(s.getInputStream(), 1 << 16);
            Handshake ours = new Handshake(magnet.v2Only() ? Handshake.v2Reserved() : Handshake.extensionReserved(),
                    magnet.infoHash(), config.peerId());
            DataInputStream in;
            OutputStream out;
            Handshake theirs;
            try {
                PeerHandshake.Streams streams = PeerHandshake.dial(raw, new BufferedOutputStream(s.getOutputStream()), ours, config, mse);
                in = streams.in();
                out = streams.out();
                theirs = Handshake.readFrom(in);
            } catch (ProtocolException e) {
                throw e;
            } catch (IOException e) {
                throw new Refused(e);
            }
            if (!Arrays.equals(theirs.infoHash(), magnet.infoHash())) {
                throw new ProtocolException("handshake for another torrent");
            }
            if (!theirs.supportsExtensions()) {
                throw new ProtocolException("the peer does not speak the extension protocol");
            }
            out.write(MessageCodec.encode(new Extended(0, Extensions.handshake(0, config.maxQueuedRequests()))));
            out.flush();
            MessageCodec codec = new MessageCodec(config.maxMessageLength());
            byte[] info = null;
            BitSet got = new BitSet();
            int pieces = 0;
            while (true) {
                Message m = codec.read(in);
                if (!(m instanceof Extended e)) {
                    continue; // bitfield, have, ...: not needed for metadata
                }
                if (e.id() == 0 && info == null) {
                    Extensions.Handshake hs = Extensions.readHandshake(e.payload());
                    if (hs.utMetadata() == 0 || hs.metadataSize() == 0) {
                        throw new ProtocolException("the peer offers no metadata");
                    }
                    if (hs.metadataSize() > Metainfo.MAX_METAINFO_BYTES) {
                        throw new ProtocolException("metadata of " + hs.metadataSize() + " bytes is above the limit");
                    }
                    info = new byte[(int) hs.metadataSize()];
                    pieces = (info.length + Extensions.METADATA_PIECE - 1) / Extensions.METADATA_PIECE;
                    for (int i = 0; i < pieces; i++) {
                        out.write(MessageCodec.encode(new Extended(hs.utMetadata(),
                                Extensions.encode(new Metadata(Metadata.REQUEST, i, 0, null)))));
                    }
                    out.flush();
                } else if (e.id() == Extensions.UT_METADATA && info != null) {
                    Metadata md = Extensions.readMetadata(e.payload());
                    if (md.type() == Metadata.REJECT) {
                        throw new ProtocolException("the peer rejected metadata piece " + md.piece());
                    }
                    int from = md.piece() * Extensions.METADATA_PIECE;
                    if (md.type() != Metadata.DATA || md.piece() >= pieces || md.totalSize() != info.length
                            || md.data().length != Math.min(Extensions.METADATA_PIECE, info.length - from)) {
                        throw new ProtocolException("metadata piece " + md.piece() + " does not fit the announced size");
                    }
                    System.arraycopy(md.data(), 0, info, from, md.data().length);
                    got.set(md.piece());
                    if (got.cardinality() == pieces) {
                        if (magnet.v2Only()) {
                            if (!Arrays.equals(MerkleTree.sha256().digest(info), magnet.v2InfoHash())) {
                                throw new ProtocolException("metadata whose SHA-256 is not the v2 info hash");
                            }
                        } else if (!Arrays.equals(Metainfo.sha1(info), magnet.infoHash())) {
                            throw new ProtocolException("metadata whose SHA-1 is not the info hash");
                        }
                        LOG.info("metadata ({} bytes) from {}", info.length, peer);
                        return magnet.v2Only() ? withPieceLayers(tracker, info, codec, in, out, peer)
                                : Metainfo.fromInfo(tracker, info);
                    }
                }
            }
        }
    }
}
