package org.swarmwatch.peer.session;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmwatch.peer.dht.DhtNode;
import org.swarmwatch.peer.storage.PieceStore;
import org.swarmwatch.peer.torrent.FileHashes;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.V2View.V2File;
import org.swarmwatch.peer.tracker.Announce;
import org.swarmwatch.peer.tracker.Announce.Event;
import org.swarmwatch.peer.tracker.TrackerClient;

/**
 * One torrent, seeded or downloaded: the files under a directory, a listening socket, the
 * connections to peers, and the announces to the torrent's tracker and, if
 * {@link PeerConfig#dhtBootstrap()} names nodes, to the DHT through a {@link DhtNode} of its own.
 *
 * <p>On start the data on disk is checked piece by piece (SHA-1 in the v1 view, or the merkle
 * trees of a v2-only torrent, see {@link org.swarmwatch.peer.torrent.V2View}); if every piece is
 * there the session seeds, otherwise it downloads the rest, connecting to the peers the tracker
 * names (or that {@link #connect} is given), verifying each piece before it is written, and then
 * seeds. Seeding: any interested peer is unchoked, up to {@code maxUnchoked}. Picking: the
 * lowest-numbered piece the peer has that no other connection is fetching; no rarest-first and
 * no endgame mode (fine for the small swarms of tests, stated so nobody measures it).
 *
 * <p>Lock order: a connection's lock, then this session's; the session never calls into a
 * connection while holding its own lock (broadcasts go through a single event thread).
 */
public final class TorrentSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TorrentSession.class);

    private final Metainfo meta;
    private final PieceStore store;
    private final PeerConfig config;
    private final ServerSocket server;
    private final TrackerClient tracker;
    private final BitSet have;
    private final Set<Integer> inProgress = new HashSet<>();
    private final Map<Integer, FileHashes> fileHashes = new ConcurrentHashMap<>();
    private final Set<InetSocketAddress> dialled = new HashSet<>();
    private final List<PeerConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger unchoked = new AtomicInteger();
    private final AtomicLong uploaded = new AtomicLong(), downloaded = new AtomicLong(), hashRequestsAnswered = new AtomicLong();
    private final CountDownLatch complete = new CountDownLatch(1);
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> daemon(r, "session-events"));
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "session-watchdog"));
    private final Object announceSignal = new Object();
    private final boolean startedComplete;
    private volatile boolean closing, completedPending;
    private volatile String lastHandshakeFailure;
    private Thread acceptor, announcer, dhtAnnouncer;
    private DhtNode dht;

    private TorrentSession(Metainfo meta, Path directory, PeerConfig config) throws IOException {
        this.meta = meta;
        this.config = config;
        this.store = new PieceStore(meta, directory);
        this.have = store.verify();
        this.startedComplete = have.cardinality() == meta.pieceCount();
        if (startedComplete) {
            store.createEmptyFiles();
            complete.countDown();
        }
        this.tracker = new TrackerClient(Duration.ofSeconds(10), config.mayContact(), config.bindAddress());
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(config.bindAddress(), config.port()), 16);
    }

    /** Checks the data under {@code directory}, listens, and announces (if the torrent has a tracker). */
    public static TorrentSession start(Metainfo meta, Path directory, PeerConfig config) throws IOException {
        TorrentSession s = new TorrentSession(meta, directory, config);
        LOG.info("torrent {}: {} of {} pieces on disk, listening on {}", meta.name(), s.have.cardinality(),
                meta.pieceCount(), s.address());
        s.acceptor = daemon(s::accept, "session-accept");
        s.acceptor.start();
        s.watchdog.scheduleWithFixedDelay(s::checkTimeouts, 1, 1, TimeUnit.SECONDS);
        if (meta.announce() != null) {
            s.announcer = daemon(s::announceLoop, "session-announce");
            s.announcer.start();
        }
        if (!config.dhtBootstrap().isEmpty()) {
            try {
                s.dht = DhtNode.start(config.dhtConfig());
            } catch (IOException e) {
                s.close();
                throw e;
            }
            s.dhtAnnouncer = daemon(s::dhtLoop, "session-dht");
            s.dhtAnnouncer.start();
        }
        return s;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    public boolean isComplete() {
        return complete.getCount() == 0;
    }

    /** Waits until every piece is here and verified. */
    public boolean awaitComplete(Duration timeout) throws InterruptedException {
        return complete.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public long uploaded() {
        return uploaded.get();
    }

    public long downloaded() {
        return downloaded.get();
    }

    /** How many BEP 52 hash requests this session answered with hashes (not rejects). */
    public long hashRequestsAnswered() {
        return hashRequestsAnswered.get();
    }

    public int connectionCount() {
        return connections.size();
    }

    /** Dials a peer directly (it must pass {@code mayContact}), besides those the tracker names. */
    public void connect(InetSocketAddress peer) {
        synchronized (this) {
            if (closing || connections.size() >= config.maxConnections() || peer.equals(address()) || !dialled.add(peer)) {
                return;
            }
        }
        if (!config.mayContact().test(peer.getAddress())) {
            LOG.warn("refusing to contact peer {} (not an allowed address)", peer);
            return;
        }
        dial(peer, config.encryption().dialsMseFirst());
    }

    /** The last reason a connection ended before its handshake was done (refused, wrong torrent, encryption mismatch). */
    public Optional<String> lastHandshakeFailure() {
        return Optional.ofNullable(lastHandshakeFailure);
    }

    private void dial(InetSocketAddress peer, boolean mse) {
        daemon(() -> {
            Socket s = new Socket();
            try {
                s.bind(new InetSocketAddress(config.bindAddress(), 0)); // connections come from the peer's own address
                s.connect(peer, (int) config.connectTimeout().toMillis());
                adopt(s, true, mse);
            } catch (IOException e) {
                LOG.debug("could not connect to {}: {}", peer, e.toString());
                closeQuietly(s);
                synchronized (this) {
                    dialled.remove(peer);
                }
            }
        }, "session-connect").start();
    }

    private void accept() {
        while (!closing) {
            try {
                Socket s = server.accept();
                if (connections.size() >= config.maxConnections()) {
                    LOG.info("refusing {}: {} connections already", s.getRemoteSocketAddress(), config.maxConnections());
                    closeQuietly(s);
                    continue;
                }
                adopt(s, false, false);
            } catch (IOException e) {
                if (!closing) {
                    LOG.warn("accept failed: {}", e.toString());
                }
            }
        }
    }

    private void adopt(Socket s, boolean outbound, boolean mse) {
        PeerConnection c = new PeerConnection(this, s, outbound, mse);
        connections.add(c);
        if (closing) {
            c.close("session closing");
            return;
        }
        c.start();
    }

    private void announceLoop() {
        Event event = Event.STARTED;
        while (!closing) {
            long waitMs = config.announceInterval().toMillis();
            try {
                if (completedPending) {
                    completedPending = false;
                    event = event == Event.STARTED ? Event.STARTED : Event.COMPLETED;
                }
                Announce.Response r = tracker.announce(meta.announce(), request(event));
                event = Event.NONE;
                waitMs = Math.min(waitMs, r.interval() * 1000L);
                if (!isComplete()) {
                    r.peers().forEach(this::connect);
                }
            } catch (IOException e) {
                LOG.warn("announce to {} failed: {}", meta.announce(), e.getMessage());
            }
            synchronized (announceSignal) {
                if (!closing && !completedPending) {
                    try {
                        announceSignal.wait(waitMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Through the DHT, as often as to the tracker: a get_peers lookup of the info hash, our
     * listening port announced to the closest nodes, and (while downloading) the peers found dialled.
     */
    private void dhtLoop() {
        while (!closing) {
            try {
                DhtNode.Lookup l = dht.announce(meta.infoHash(), address().getPort(), false);
                LOG.debug("DHT: {} peers, {} of {} nodes answered, announced to {}", l.peers().size(), l.answered(), l.queried(),
                        l.announced());
                if (!isComplete()) {
                    l.peers().forEach(this::connect);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("DHT announce failed: {}", e.toString());
            }
            synchronized (announceSignal) {
                if (!closing) {
                    try {
                        announceSignal.wait(config.announceInterval().toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    private Announce.Request request(Event event) {
        long left = 0;
        synchronized (this) {
            for (int i = have.nextClearBit(0); i < meta.pieceCount(); i = have.nextClearBit(i + 1)) {
                left += meta.pieceSize(i);
            }
        }
        return new Announce.Request(meta.infoHash(), config.peerId(), address().getPort(), uploaded.get(), downloaded.get(),
                left, event, 50);
    }

    private void checkTimeouts() {
        long now = System.nanoTime();
        for (PeerConnection c : connections) {
            c.checkTimeouts(now);
        }
    }

    // ---- called by connections

    Metainfo meta() {
        return meta;
    }

    PeerConfig config() {
        return config;
    }

    PieceStore store() {
        return store;
    }

    /**
     * The merkle tree of the file of this v2-only torrent whose pieces root is {@code root}, built
     * once per file (its layers from the piece layer up); null if there is none (or the torrent is
     * v1 or hybrid, checked through SHA-1 here).
     */
    FileHashes fileHashes(byte[] root) {
        V2File f = v2File(root);
        return f == null ? null : fileHashes.computeIfAbsent(f.firstPiece(), k -> new FileHashes(f, meta.pieceLength()));
    }

    /** Piece {@code k} of that file, its data without padding, or null if it is not here (yet). */
    byte[] readPieceOfFile(byte[] root, int k) throws IOException {
        V2File f = v2File(root);
        int index = f.firstPiece() + k;
        synchronized (this) {
            if (!have.get(index)) {
                return null;
            }
        }
        return store.readBlock(index, 0, meta.v2().dataLength(index));
    }

    private V2File v2File(byte[] root) {
        if (!meta.isV2()) {
            return null;
        }
        for (V2File f : meta.v2().files()) {
            if (Arrays.equals(f.piecesRoot(), root)) {
                return f;
            }
        }
        return null;
    }

    synchronized BitSet have() {
        return (BitSet) have.clone();
    }

    /** Whether the peer has a piece that is neither here nor being fetched. */
    synchronized boolean wants(BitSet peerHas) {
        for (int i = peerHas.nextSetBit(0); i >= 0; i = peerHas.nextSetBit(i + 1)) {
            if (!have.get(i) && !inProgress.contains(i)) {
                return true;
            }
        }
        return false;
    }

    /** A piece for this peer to send, now marked in progress; -1 if none. */
    synchronized int pick(BitSet peerHas) {
        for (int i = peerHas.nextSetBit(0); i >= 0 && i < meta.pieceCount(); i = peerHas.nextSetBit(i + 1)) {
            if (!have.get(i) && inProgress.add(i)) {
                return i;
            }
        }
        return -1;
    }

    /** A whole piece arrived: verified, written, announced. False if its hash was wrong. */
    boolean pieceDone(int index, byte[] data, PeerConnection from) throws IOException {
        if (!store.matches(index, data)) {
            LOG.warn("{}: piece {} failed its {} check; it will be fetched again", from.name(), index,
                    meta.isV2() ? "merkle" : "SHA-1");
            synchronized (this) {
                inProgress.remove(index);
            }
            return false;
        }
        store.writePiece(index, data);
        boolean done;
        synchronized (this) {
            inProgress.remove(index);
            have.set(index);
            done = have.cardinality() == meta.pieceCount();
        }
        if (done) {
            store.createEmptyFiles();
            LOG.info("torrent {}: complete ({} pieces verified)", meta.name(), meta.pieceCount());
            complete.countDown();
            synchronized (announceSignal) {
                completedPending = !startedComplete;
                announceSignal.notifyAll();
            }
        }
        events.execute(() -> connections.forEach(c -> c.announceHave(index)));
        return true;
    }

    boolean takeUnchokeSlot() {
        return unchoked.getAndUpdate(n -> n < config.maxUnchoked() ? n + 1 : n) < config.maxUnchoked();
    }

    void closed(PeerConnection c, List<Integer> abandoned, boolean hadSlot) {
        connections.remove(c);
        if (hadSlot) {
            unchoked.decrementAndGet();
        }
        synchronized (this) {
            abandoned.forEach(inProgress::remove);
        }
    }

    /**
     * A connection ended before its handshake was done. If the peer closed or reset an outgoing
     * one ({@code refused}) and the policy prefers but does not require a handshake, the peer is
     * dialled once more with the other one (MSE after plaintext, or plaintext after MSE).
     */
    void handshakeFailed(PeerConnection c, String reason, boolean refused) {
        lastHandshakeFailure = c.name() + ": " + reason;
        Encryption policy = config.encryption();
        if (c.outbound() && refused && !closing && policy.fallsBack() && c.mse() == policy.dialsMseFirst()) {
            LOG.info("{}: refused with {} handshake ({}); trying {}", c.name(), c.mse() ? "an MSE" : "a plaintext", reason,
                    c.mse() ? "plaintext" : "MSE");
            dial(c.remote(), !c.mse());
        }
    }

    void hashRequestAnswered() {
        hashRequestsAnswered.incrementAndGet();
    }

    void uploaded(long n) {
        uploaded.addAndGet(n);
    }

    void downloaded(long n) {
        downloaded.addAndGet(n);
    }

    /** Closes every connection and the listener, tells the tracker {@code stopped}, closes the files. */
    @Override
    public void close() throws IOException {
        closing = true;
        synchronized (announceSignal) {
            announceSignal.notifyAll();
        }
        closeQuietly(server);
        connections.forEach(c -> c.close("session closing"));
        watchdog.shutdownNow();
        events.shutdownNow();
        if (dht != null) {
            dht.close();
            try {
                dhtAnnouncer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (announcer != null) {
            try {
                announcer.join(10_000);
                tracker.announce(meta.announce(), request(Event.STOPPED));
            } catch (IOException e) {
                LOG.debug("stopped announce failed: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        store.close();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
