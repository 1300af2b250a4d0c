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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmwatch.peer.dht.DhtNode;
import org.swarmwatch.peer.torrent.Magnet;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.tracker.Announce;
import org.swarmwatch.peer.tracker.Announce.Event;
import org.swarmwatch.peer.tracker.TrackerClient;
import org.swarmwatch.peer.wire.Extensions;
import org.swarmwatch.peer.wire.Extensions.Metadata;
import org.swarmwatch.peer.wire.Handshake;
import org.swarmwatch.peer.wire.Message;
import org.swarmwatch.peer.wire.Message.Extended;
import org.swarmwatch.peer.wire.MessageCodec;
import org.swarmwatch.peer.wire.ProtocolException;

/**
 * Turns a magnet link into a {@link Metainfo}: asks the magnet's first tracker for peers (and
 * the DHT, through a short-lived {@link DhtNode}, if {@link PeerConfig#dhtBootstrap()} names
 * nodes; a magnet without a tracker needs them), and from each in turn the info dictionary
 * through the extension protocol (BEP 10) and metadata exchange (BEP 9), until one hands over
 * bytes whose SHA-1 is the magnet's info hash.
 *
 * <p>Bounded: one peer at a time, metadata of at most {@link Metainfo#MAX_METAINFO_BYTES}, the
 * whole fetch within the caller's timeout (socket reads time out at the deadline), trackers and
 * peers only where {@link PeerConfig#mayContact()} allows. A peer that breaks the protocol, has
 * no metadata or sends wrong metadata is logged and skipped. The handshake follows the
 * configuration's {@link Encryption} policy, falling back once as a session does.
 */
public final class MetadataFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataFetcher.class);

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
            Handshake ours = new Handshake(Handshake.extensionReserved(), magnet.infoHash(), config.peerId());
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
                        if (!Arrays.equals(Metainfo.sha1(info), magnet.infoHash())) {
                            throw new ProtocolException("metadata whose SHA-1 is not the info hash");
                        }
                        LOG.info("metadata ({} bytes) from {}", info.length, peer);
                        return Metainfo.fromInfo(tracker, info);
                    }
                }
            }
        }
    }
}
