package org.swarmwatch.peer.dht;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmwatch.peer.dht.KrpcMessage.AnnouncePeer;
import org.swarmwatch.peer.dht.KrpcMessage.FindNode;
import org.swarmwatch.peer.dht.KrpcMessage.GetPeers;
import org.swarmwatch.peer.dht.KrpcMessage.Ping;
import org.swarmwatch.peer.dht.KrpcMessage.Query;
import org.swarmwatch.peer.dht.KrpcMessage.Response;

/**
 * A Mainline DHT node (BEP 5) on one UDP socket: it answers ping, find_node, get_peers and
 * announce_peer, and looks up and announces info hashes itself (the iterative get_peers of
 * BEP 5's overview), so a {@code TorrentSession} or a magnet link can find peers without a tracker.
 *
 * <p>Safe by construction: it starts only from {@link DhtConfig#bootstrap()} (never a well-known
 * router), and every datagram it sends, answer or query, to a configured node or one learnt from
 * another node's {@code nodes}, goes through one check of {@link DhtConfig#mayContact()};
 * datagrams from addresses it may not contact are ignored.
 *
 * <p>Bounded against hostile input: datagrams longer than {@link DhtConfig#maxDatagram()} are
 * dropped unread; bencoding is strict and at most {@code BencodeReader.MAX_DEPTH} deep; at most
 * {@link DhtConfig#maxQueriesPerSecond()} queries are answered per second; the routing table holds
 * at most 1280 nodes and the peer store {@code maxTorrents x maxPeersPerTorrent} peers; at most
 * {@link DhtConfig#maxPending()} queries of ours wait for answers, and a lookup sends at most
 * {@link #MAX_LOOKUP_QUERIES}. A malformed query is answered with error 203 (204 for an unknown
 * method, 202 if answering failed); nothing a datagram holds ends the receive loop.
 *
 * <p>Threads: one receiver (answers queries, completes our queries' futures), one for
 * maintenance (store expiry, re-bootstrap while the table is thin); lookups run on the caller's
 * thread.
 */
public final class DhtNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DhtNode.class);

    /** Queries of one lookup in flight at once (Kademlia's alpha). */
    static final int ALPHA = 3;
    /** Queries one lookup sends at most, however many nodes the answers name. */
    static final int MAX_LOOKUP_QUERIES = 64;
    /** Nodes one lookup keeps track of at most. */
    static final int MAX_LOOKUP_CANDIDATES = 512;
    /** Peers in one get_peers answer (50 x 8 bytes bencoded keeps it well inside a datagram). */
    static final int MAX_VALUES = 50;
    /** Peers one lookup collects at most. */
    static final int MAX_LOOKUP_PEERS = 200;

    /** What a lookup found: peers for the info hash, how many nodes were asked, answered, took our announce. */
    public record Lookup(List<InetSocketAddress> peers, int queried, int answered, int announced) {
    }

    /** Counts of what was refused or dropped, for tests and the command line. */
    public record Stats(long oversized, long malformed, long flooded, long refused, long unexpected, int nodes, int torrents,
            int peers) {
    }

    private record Pending(InetSocketAddress to, CompletableFuture<Response> future) {
    }

    private final DhtConfig config;
    private final NodeId id = NodeId.random();
    private final DatagramSocket socket;
    private final RoutingTable table;
    private final PeerStore store;
    private final Tokens tokens;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextTransaction = new AtomicInteger(new SecureRandom().nextInt());
    private final AtomicLong oversized = new AtomicLong(), malformed = new AtomicLong(), flooded = new AtomicLong(),
            refused = new AtomicLong(), unexpected = new AtomicLong();
    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dht-maintenance"));
    private final Thread receiver;
    private long windowStart = System.nanoTime();
    private int windowQueries;
    private volatile boolean closed;

    private DhtNode(DhtConfig config) throws IOException {
        if (!(config.bindAddress() instanceof Inet4Address)) {
            throw new IOException("the DHT node binds to IPv4 only (BEP 5's compact forms), not " + config.bindAddress());
        }
        this.config = config;
        this.table = new RoutingTable(id);
        this.store = new PeerStore(config.maxTorrents(), config.maxPeersPerTorrent(), config.peerTtl().toNanos());
        this.tokens = new Tokens(config.tokenRotation());
        this.socket = new DatagramSocket(new InetSocketAddress(config.bindAddress(), config.port()));
        this.receiver = daemon(this::receive, "dht-receive");
    }

    /** Binds, starts answering, and bootstraps in the background from the configured nodes. */
    public static DhtNode start(DhtConfig config) throws IOException {
        DhtNode n = new DhtNode(config);
        n.receiver.start();
        long every = config.refreshInterval().toMillis();
        n.maintenance.scheduleWithFixedDelay(n::refresh, 0, every, TimeUnit.MILLISECONDS);
        LOG.info("DHT node {} on {}, bootstrap {}", n.id, n.address(), config.bootstrap());
        return n;
    }

    public NodeId id() {
        return id;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
    }

    public Stats stats() {
        return new Stats(oversized.get(), malformed.get(), flooded.get(), refused.get(), unexpected.get(), table.size(),
                store.torrentCount(), store.peerCount());
    }

    /** The peers announced to this node for an info hash (what its get_peers answers hold). */
    public List<InetSocketAddress> storedPeers(byte[] infoHash) {
        return store.peers(NodeId.of(infoHash), Integer.MAX_VALUE);
    }

    /** Looks up our own id from the configured nodes and those they name; returns the table's size after. */
    public int bootstrap() throws InterruptedException {
        walk(id, false);
        return table.size();
    }

    /** The iterative get_peers lookup of BEP 5: peers of the info hash the nodes closest to it know. */
    public Lookup getPeers(byte[] infoHash) throws InterruptedException {
        Walk w = walk(NodeId.of(infoHash), true);
        return new Lookup(w.peers, w.queried, w.answered.size(), 0);
    }

    /**
     * A get_peers lookup, then announce_peer to the (at most 8) closest nodes that answered with a
     * token: they will name us, at {@code port} (or, {@code impliedPort}, the UDP port our
     * announce comes from), to whoever looks the info hash up.
     */
    public Lookup announce(byte[] infoHash, int port, boolean impliedPort) throws InterruptedException {
        NodeId target = NodeId.of(infoHash);
        Walk w = walk(target, true);
        List<CompletableFuture<Response>> acks = new ArrayList<>();
        for (Candidate c : w.answered) {
            if (c.token != null && acks.size() < RoutingTable.K) {
                byte[] token = c.token;
                acks.add(query(c.address, t -> new AnnouncePeer(t, id, false, target, port, impliedPort, token)));
            }
        }
        int announced = 0;
        for (CompletableFuture<Response> a : acks) {
            if (await(a) != null) {
                announced++;
            }
        }
        return new Lookup(w.peers, w.queried + acks.size(), w.answered.size(), announced);
    }

    // ---- lookups

    private static final class Candidate {
        final InetSocketAddress address;
        NodeId id; // null for a bootstrap node until it answers
        boolean asked, failed;
        byte[] token;

        Candidate(InetSocketAddress address, NodeId id) {
            this.address = address;
            this.id = id;
        }
    }

    private record Walk(List<InetSocketAddress> peers, List<Candidate> answered, int queried) {
    }

    /**
     * Kademlia's iterative lookup, in rounds: ask up to {@link #ALPHA} of the 8 closest nodes not
     * yet asked (bootstrap nodes, whose ids are unknown, first), add the nodes their answers name,
     * until the 8 closest nodes still standing have all been asked.
     */
    private Walk walk(NodeId target, boolean getPeers) throws InterruptedException {
        Map<InetSocketAddress, Candidate> candidates = new LinkedHashMap<>();
        List<Contact> seeds = table.closest(target, RoutingTable.K);
        seeds.forEach(c -> candidates.put(c.address(), new Candidate(c.address(), c.id())));
        if (seeds.size() < RoutingTable.K) {
            config.bootstrap().forEach(b -> candidates.putIfAbsent(b, new Candidate(b, null)));
        }
        Set<InetSocketAddress> peers = new LinkedHashSet<>();
        int queried = 0;
        while (!closed && queried < MAX_LOOKUP_QUERIES) {
            List<Candidate> round = nextRound(candidates, target, MAX_LOOKUP_QUERIES - queried);
            if (round.isEmpty()) {
                break;
            }
            List<CompletableFuture<Response>> answers = new ArrayList<>();
            for (Candidate c : round) {
                c.asked = true;
                answers.add(query(c.address, t -> getPeers ? new GetPeers(t, id, false, target) : new FindNode(t, id, false, target)));
            }
            queried += round.size();
            for (int i = 0; i < round.size(); i++) {
                Candidate c = round.get(i);
                Response r = await(answers.get(i));
                if (r == null) {
                    c.failed = true;
                    table.failed(c.address);
                    continue;
                }
                c.id = r.nodeId();
                c.token = r.token();
                for (Contact n : r.nodes()) {
                    if (candidates.size() < MAX_LOOKUP_CANDIDATES && n.address().getPort() > 0 && !n.id().equals(id)
                            && !n.address().equals(address()) && config.mayContact().test(n.address().getAddress())) {
                        candidates.putIfAbsent(n.address(), new Candidate(n.address(), n.id()));
                    } else if (!config.mayContact().test(n.address().getAddress())) {
                        refused.incrementAndGet();
                    }
                }
                for (InetSocketAddress p : r.values()) {
                    if (peers.size() < MAX_LOOKUP_PEERS && p.getPort() > 0) {
                        peers.add(p);
                    }
                }
            }
        }
        List<Candidate> answered = new ArrayList<>();
        for (Candidate c : candidates.values()) {
            if (c.asked && !c.failed && c.id != null) {
                answered.add(c);
            }
        }
        answered.sort((a, b) -> target.compareDistance(a.id, b.id));
        return new Walk(List.copyOf(peers), answered, queried);
    }

    private static List<Candidate> nextRound(Map<InetSocketAddress, Candidate> candidates, NodeId target, int budget) {
        List<Candidate> round = new ArrayList<>();
        for (Candidate c : candidates.values()) {
            if (c.id == null && !c.asked && round.size() < budget) {
                round.add(c); // a bootstrap node: where the lookup starts
            }
        }
        if (!round.isEmpty()) {
            return round;
        }
        List<Candidate> live = new ArrayList<>();
        for (Candidate c : candidates.values()) {
            if (c.id != null && !c.failed) {
                live.add(c);
            }
        }
        live.sort((a, b) -> target.compareDistance(a.id, b.id));
        for (Candidate c : live.subList(0, Math.min(RoutingTable.K, live.size()))) {
            if (!c.asked && round.size() < Math.min(ALPHA, budget)) {
                round.add(c);
            }
        }
        return round;
    }

    /** The answer, or null if the query failed, timed out or was refused. */
    private Response await(CompletableFuture<Response> f) throws InterruptedException {
        try {
            return f.get(config.queryTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("DHT query failed: {}", e.getCause() == null ? e.toString() : e.getCause().toString());
            return null;
        }
    }

    // ---- sending

    private CompletableFuture<Response> query(InetSocketAddress to, Function<byte[], Query> make) {
        CompletableFuture<Response> f = new CompletableFuture<>();
        if (closed || pending.size() >= config.maxPending()) {
            f.completeExceptionally(new IOException(closed ? "the DHT node is closed" : config.maxPending() + " queries pending already"));
            return f;
        }
        int key = nextTransaction.getAndIncrement();
        Pending p = new Pending(to, f);
        pending.put(key, p);
        f.orTimeout(config.queryTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> pending.remove(key, p));
        if (!send(to, Krpc.encode(make.apply(ByteBuffer.allocate(4).putInt(key).array())))) {
            f.completeExceptionally(new IOException("refusing to contact " + to + " (not an allowed address)"));
        }
        return f;
    }

    /** The one place datagrams leave: only to addresses {@code mayContact} allows. */
    private boolean send(InetSocketAddress to, byte[] datagram) {
        if (!config.mayContact().test(to.getAddress())) {
            refused.incrementAndGet();
            LOG.debug("refusing to send to {} (not an allowed address)", to);
            return false;
        }
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, to));
            return true;
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("could not send to {}: {}", to, e.toString());
            return false;
        }
    }

    // ---- receiving

    private void receive() {
        byte[] buffer = new byte[config.maxDatagram() + 1];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("DHT receive failed: {}", e.toString());
                }
                continue;
            }
            InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
            try {
                if (p.getLength() > config.maxDatagram()) {
                    oversized.incrementAndGet();
                } else if (!config.mayContact().test(from.getAddress())) {
                    refused.incrementAndGet();
                } else {
                    handle(from, Arrays.copyOf(buffer, p.getLength()));
                }
            } catch (RuntimeException e) {
                LOG.warn("DHT datagram from {} not handled: {}", from, e.toString());
            }
        }
    }

    private void handle(InetSocketAddress from, byte[] datagram) {
        KrpcMessage m;
        try {
            m = Krpc.decode(datagram);
        } catch (KrpcException e) {
            malformed.incrementAndGet();
            LOG.debug("malformed KRPC from {}: {}", from, e.getMessage());
            if (e.transaction() != null && allowQuery()) {
                send(from, Krpc.encode(new KrpcMessage.Error(e.transaction(), e.code(), e.getMessage())));
            }
            return;
        }
        if (m instanceof Query q) {
            if (allowQuery()) {
                answer(from, q);
            } else {
                flooded.incrementAndGet();
            }
            return;
        }
        byte[] t = m.transaction();
        Pending p = t.length == 4 ? pending.get(ByteBuffer.wrap(t).getInt()) : null;
        if (p == null || !p.to.equals(from)) {
            unexpected.incrementAndGet(); // late, unasked for, or from another address than we asked
            return;
        }
        if (m instanceof Response r) {
            table.heard(new Contact(r.nodeId(), from));
            p.future.complete(r);
        } else if (m instanceof KrpcMessage.Error e) {
            p.future.completeExceptionally(new KrpcException(from + " answered error " + e.code() + ": " + e.message(), t, e.code()));
        }
    }

    private void answer(InetSocketAddress from, Query q) {
        byte[] t = q.transaction();
        KrpcMessage reply;
        try {
            if (q instanceof Ping) {
                reply = new Response(t, id, List.of(), List.of(), null);
            } else if (q instanceof FindNode f) {
                reply = new Response(t, id, closestExcept(f.target(), from), List.of(), null);
            } else if (q instanceof GetPeers g) {
                byte[] token = tokens.issue(from.getAddress());
                List<InetSocketAddress> peers = store.peers(g.infoHash(), MAX_VALUES);
                reply = peers.isEmpty() ? new Response(t, id, closestExcept(g.infoHash(), from), List.of(), token)
                        : new Response(t, id, List.of(), peers, token);
            } else {
                AnnouncePeer a = (AnnouncePeer) q;
                if (!tokens.valid(a.token(), from.getAddress())) {
                    send(from, Krpc.encode(new KrpcMessage.Error(t, KrpcException.PROTOCOL, "bad token")));
                    return;
                }
                store.add(a.infoHash(), new InetSocketAddress(from.getAddress(), a.impliedPort() ? from.getPort() : a.port()));
                reply = new Response(t, id, List.of(), List.of(), null);
            }
        } catch (RuntimeException e) {
            LOG.warn("DHT {} from {} failed: {}", q.method(), from, e.toString());
            reply = new KrpcMessage.Error(t, KrpcException.SERVER, "server error");
        }
        send(from, Krpc.encode(reply));
        if (!q.readOnly()) {
            table.heard(new Contact(q.nodeId(), from));
        }
    }

    private List<Contact> closestExcept(NodeId target, InetSocketAddress querier) {
        List<Contact> out = new ArrayList<>(RoutingTable.K);
        for (Contact c : table.closest(target, RoutingTable.K + 1)) {
            if (!c.address().equals(querier) && out.size() < RoutingTable.K) {
                out.add(c);
            }
        }
        return out;
    }

    /** At most {@code maxQueriesPerSecond} answered, counted in one-second windows. */
    private synchronized boolean allowQuery() {
        long now = System.nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            windowQueries = 0;
        }
        return ++windowQueries <= config.maxQueriesPerSecond();
    }

    private void refresh() {
        try {
            store.expire();
            if (table.size() < RoutingTable.K && !closed) {
                bootstrap();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("DHT refresh failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        maintenance.shutdownNow();
        pending.values().forEach(p -> p.future.completeExceptionally(new IOException("the DHT node is closed")));
        try {
            receiver.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
