package org.swarmwatch.peer.session;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmwatch.peer.torrent.FileHashes;
import org.swarmwatch.peer.wire.Extensions;
import org.swarmwatch.peer.wire.Extensions.Metadata;
import org.swarmwatch.peer.wire.Handshake;
import org.swarmwatch.peer.wire.Message;
import org.swarmwatch.peer.wire.Message.Bitfield;
import org.swarmwatch.peer.wire.Message.Cancel;
import org.swarmwatch.peer.wire.Message.Choke;
import org.swarmwatch.peer.wire.Message.Extended;
import org.swarmwatch.peer.wire.Message.HashReject;
import org.swarmwatch.peer.wire.Message.HashRequest;
import org.swarmwatch.peer.wire.Message.Hashes;
import org.swarmwatch.peer.wire.Message.Have;
import org.swarmwatch.peer.wire.Message.Interested;
import org.swarmwatch.peer.wire.Message.KeepAlive;
import org.swarmwatch.peer.wire.Message.NotInterested;
import org.swarmwatch.peer.wire.Message.Piece;
import org.swarmwatch.peer.wire.Message.Request;
import org.swarmwatch.peer.wire.Message.Unchoke;
import org.swarmwatch.peer.wire.Message.Unknown;
import org.swarmwatch.peer.wire.MessageCodec;
import org.swarmwatch.peer.wire.ProtocolException;

/**
 * One peer wire connection (BEP 3) of a {@link TorrentSession}: a reader thread that does the
 * handshake (inside an MSE/PE one when the {@link Encryption} policy says so, see
 * {@link PeerHandshake}) and then handles each message, and a writer thread that alone writes after the
 * handshake, serving queued requests one block at a time so that a cancel can still take one
 * back.
 *
 * <p>Whatever goes wrong ends this connection only: a {@link ProtocolException} (oversized or
 * malformed message, out-of-range index, a block larger than 16 KiB asked for, repeated bad
 * pieces) is logged as a warning with its reason, I/O errors at debug level. State shared by the
 * two threads and the session is guarded by {@code this}.
 */
final class PeerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
    private static final Object SERVE = new Object(), STOP = new Object();
    /** BEP 3: "close connections which request an amount greater than" 16 KiB. */
    private static final int MAX_BLOCK = 16384;
    private static final int MAX_HASH_FAILURES = 3;

    private final TorrentSession session;
    private final Socket socket;
    private final boolean outbound, mse;
    private final PeerConfig config;
    private final String name;
    private final LinkedBlockingQueue<Object> outbox = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    // guarded by this
    private final ArrayDeque<Request> queued = new ArrayDeque<>();
    private final Map<Integer, PieceDownload> downloads = new LinkedHashMap<>();
    private final Set<Request> outstanding = new HashSet<>();
    private BitSet peerHas = new BitSet();
    private boolean amChoking = true, amInterested, peerChoking = true, peerInterested, unchokeSlot;
    private int hashFailures, peerUtMetadata, metadataServed;
    private long droppedRequests;

    private volatile long lastReceived = System.nanoTime(), lastProgress = System.nanoTime();
    private volatile String closeReason = "";
    private volatile boolean handshakeDone, refused;

    /** {@code mse}: whether an outgoing connection opens with an MSE/PE handshake (ignored for incoming ones). */
    PeerConnection(TorrentSession session, Socket socket, boolean outbound, boolean mse) {
        this.session = session;
        this.socket = socket;
        this.outbound = outbound;
        this.mse = mse;
        this.config = session.config();
        this.name = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    String name() {
        return name;
    }

    boolean outbound() {
        return outbound;
    }

    /** Whether this (outgoing) connection opened with MSE. */
    boolean mse() {
        return mse;
    }

    InetSocketAddress remote() {
        return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    void start() {
        Thread t = new Thread(this::run, "peer-read-" + name);
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) config.handshakeTimeout().toMillis());
            BufferedInputStream raw = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            OutputStream rawOut = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            Handshake ours = new Handshake(session.meta().isV2() ? Handshake.v2Reserved() : Handshake.extensionReserved(),
                    session.meta().infoHash(), config.peerId());
            PeerHandshake.Streams streams = outbound ? PeerHandshake.dial(raw, rawOut, ours, config, mse)
                    : PeerHandshake.answer(raw, rawOut, List.of(session.meta().infoHash()), config);
            DataInputStream in = streams.in();
            OutputStream out = streams.out();
            Handshake theirs = Handshake.readFrom(in);
            if (!Arrays.equals(theirs.infoHash(), session.meta().infoHash())) {
                throw new ProtocolException("handshake for another torrent " + HexFormat.of().formatHex(theirs.infoHash()));
            }
            if (Arrays.equals(theirs.peerId(), config.peerId())) {
                throw new ProtocolException("connected to itself");
            }
            if (!outbound) {
                ours.writeTo(out);
            }
            socket.setSoTimeout(0); // from here the session's watchdog times the connection out
            handshakeDone = true;
            LOG.debug("{}: handshake done ({}), peer id {}", name, streams.method(), printable(theirs.peerId()));
            BitSet have = session.have();
            if (!have.isEmpty()) {
                send(new Bitfield(bitfield(have, session.meta().pieceCount())));
            }
            if (theirs.supportsExtensions()) {
                send(new Extended(0, Extensions.handshake(session.meta().info().length, config.maxQueuedRequests())));
            }
            Thread w = new Thread(() -> write(out), "peer-write-" + name);
            w.setDaemon(true);
            w.start();
            MessageCodec codec = new MessageCodec(config.maxMessageLength());
            while (!closed.get()) {
                Message m = codec.read(in);
                lastReceived = System.nanoTime();
                handle(m);
            }
        } catch (ProtocolException e) {
            LOG.warn("{}: closing: {}", name, e.getMessage());
            closeReason = e.getMessage();
        } catch (EOFException e) {
            closeReason = e.getMessage() != null ? e.getMessage()
                    : handshakeDone ? "closed by the peer" : "closed by the peer during the handshake";
            refused = !handshakeDone;
        } catch (IOException e) {
            closeReason = e.toString();
            refused = !handshakeDone;
            LOG.debug("{}: closing: {}", name, e.toString());
        } catch (RuntimeException e) {
            closeReason = "internal error: " + e;
            LOG.warn("{}: closing after an internal error", name, e);
        } finally {
            close(closeReason.isEmpty() ? "closed" : closeReason);
            if (!handshakeDone) {
                session.handshakeFailed(this, closeReason, refused);
            }
        }
    }

    private void handle(Message m) throws IOException {
        if (m instanceof HashRequest r) {
            hashRequest(r); // outside this connection's lock: it may read a piece from disk
            return;
        }
        int pieces = session.meta().pieceCount();
        synchronized (this) {
            if (m instanceof Choke) {
                peerChoking = true;
                outstanding.clear();
                downloads.values().forEach(PieceDownload::forgetRequests);
            } else if (m instanceof Unchoke) {
                peerChoking = false;
                lastProgress = System.nanoTime();
                fill();
            } else if (m instanceof Interested) {
                peerInterested = true;
                if (amChoking && (unchokeSlot || session.takeUnchokeSlot())) {
                    unchokeSlot = true;
                    amChoking = false;
                    send(new Unchoke());
                }
            } else if (m instanceof NotInterested) {
                peerInterested = false;
                if (!amChoking) {
                    amChoking = true;
                    queued.clear();
                    send(new Choke());
                }
            } else if (m instanceof Have h) {
                if (h.piece() < 0 || h.piece() >= pieces) {
                    throw new ProtocolException("have for piece " + h.piece() + " of " + pieces);
                }
                peerHas.set(h.piece());
                fill();
            } else if (m instanceof Bitfield b) {
                // BEP 3 allows it once, first; aria2 sends it again, so a later one replaces the first
                if (b.bits().length != (pieces + 7) / 8) {
                    throw new ProtocolException("bitfield of " + b.bits().length + " bytes for " + pieces + " pieces");
                }
                BitSet bits = fromBitfield(b.bits());
                if (bits.length() > pieces) {
                    throw new ProtocolException("bitfield sets spare bits past piece " + pieces);
                }
                peerHas = bits;
                fill();
            } else if (m instanceof Request r) {
                request(r, pieces);
            } else if (m instanceof Cancel c) {
                queued.remove(new Request(c.piece(), c.begin(), c.length()));
            } else if (m instanceof Piece p) {
                piece(p);
            } else if (m instanceof Extended e) {
                extended(e);
            } else if (m instanceof Hashes || m instanceof HashReject) {
                LOG.debug("{}: BEP 52 {} never asked for on this connection: ignored", name, m.getClass().getSimpleName());
            } else if (m instanceof Unknown u) {
                LOG.debug("{}: unknown message id {} ({} bytes) skipped", name, u.id(), u.length());
            }
            // keep-alive and port (no DHT node yet): nothing to do
        }
    }

    /** BEP 10's handshake, and BEP 9 requests for the info dictionary; other extensions are ignored. */
    private void extended(Extended e) throws ProtocolException {
        if (e.id() == 0) {
            peerUtMetadata = Extensions.readHandshake(e.payload()).utMetadata();
            return;
        }
        if (e.id() != Extensions.UT_METADATA) {
            LOG.debug("{}: extension message {} ignored", name, e.id());
            return;
        }
        Metadata md = Extensions.readMetadata(e.payload());
        if (md.type() != Metadata.REQUEST || peerUtMetadata == 0) {
            return;
        }
        byte[] info = session.meta().info();
        int pieces = (info.length + Extensions.METADATA_PIECE - 1) / Extensions.METADATA_PIECE;
        if (++metadataServed > 4 * pieces + 4) {
            throw new ProtocolException("more than " + (4 * pieces + 4) + " metadata requests");
        }
        if (md.piece() >= pieces) {
            send(new Extended(peerUtMetadata, Extensions.encode(new Metadata(Metadata.REJECT, md.piece(), 0, null))));
            return;
        }
        int from = md.piece() * Extensions.METADATA_PIECE, to = Math.min(info.length, from + Extensions.METADATA_PIECE);
        send(new Extended(peerUtMetadata, Extensions.encode(
                new Metadata(Metadata.DATA, md.piece(), info.length, Arrays.copyOfRange(info, from, to)))));
    }

    /**
     * BEP 52: the hashes asked for, from the merkle tree of the file whose pieces root the request
     * names (see {@link FileHashes#answer}; at most one piece read from disk), or a hash reject if
     * this torrent has no such file, the request does not fit its tree, or it needs a piece not here.
     */
    private void hashRequest(HashRequest r) throws IOException {
        FileHashes tree = session.fileHashes(r.piecesRoot());
        String refused;
        if (tree == null) {
            refused = "no file of this torrent has the pieces root " + HexFormat.of().formatHex(r.piecesRoot());
        } else {
            try {
                byte[] hashes = tree.answer(r.base(), r.index(), r.length(), r.proofLayers(), k -> session.readPieceOfFile(r.piecesRoot(), k));
                // counted before it is sent: whoever has read the answer sees it counted
                session.hashRequestAnswered();
                send(new Hashes(r.piecesRoot(), r.base(), r.index(), r.length(), r.proofLayers(), hashes));
                return;
            } catch (FileHashes.Refused e) {
                refused = e.getMessage();
            }
        }
        LOG.debug("{}: hash request refused: {}", name, refused);
        send(new HashReject(r.piecesRoot(), r.base(), r.index(), r.length(), r.proofLayers()));
    }

    private void request(Request r, int pieces) throws ProtocolException {
        if (r.piece() < 0 || r.piece() >= pieces) {
            throw new ProtocolException("request for piece " + r.piece() + " of " + pieces);
        }
        int size = session.meta().pieceSize(r.piece());
        if (r.length() <= 0 || r.length() > MAX_BLOCK || r.begin() < 0 || r.begin() > size - r.length()) {
            throw new ProtocolException("request " + r.begin() + "+" + r.length() + " outside piece " + r.piece()
                    + " of " + size + " bytes, or larger than 16 KiB");
        }
        if (!session.have().get(r.piece())) {
            throw new ProtocolException("request for piece " + r.piece() + ", which we never announced");
        }
        if (amChoking) {
            return; // BEP 3: requests while choked are discarded
        }
        if (queued.size() >= config.maxQueuedRequests()) {
            if (droppedRequests++ == 0) {
                LOG.info("{}: more than {} requests queued; dropping the excess", name, config.maxQueuedRequests());
            }
            return;
        }
        queued.add(r);
        if (queued.size() == 1) {
            outbox.add(SERVE); // one token while requests wait; the writer renews it (a cancel loop cannot pile tokens up)
        }
    }

    private void piece(Piece p) throws IOException {
        Request key = new Request(p.piece(), p.begin(), p.block().length);
        if (!outstanding.remove(key)) {
            LOG.debug("{}: block {}+{} of piece {} not asked for (cancelled or late): ignored", name, p.begin(),
                    p.block().length, p.piece());
            return;
        }
        lastProgress = System.nanoTime();
        session.downloaded(p.block().length);
        PieceDownload d = downloads.get(p.piece());
        d.receive(p.begin(), p.block());
        if (d.complete()) {
            downloads.remove(d.index);
            if (!session.pieceDone(d.index, d.data, this) && ++hashFailures >= MAX_HASH_FAILURES) {
                throw new ProtocolException(hashFailures + " pieces failed their hash check");
            }
        }
        fill();
    }

    /** Keeps up to maxOutstandingRequests blocks asked for, and our interest in step with them. */
    private void fill() {
        if (closed.get()) {
            return;
        }
        boolean want = !downloads.isEmpty() || session.wants(peerHas);
        if (want != amInterested) {
            amInterested = want;
            send(want ? new Interested() : new NotInterested());
        }
        if (peerChoking) {
            return;
        }
        if (outstanding.isEmpty()) {
            lastProgress = System.nanoTime();
        }
        while (outstanding.size() < config.maxOutstandingRequests()) {
            Request r = null;
            for (PieceDownload d : downloads.values()) {
                r = d.next();
                if (r != null) {
                    break;
                }
            }
            if (r == null) {
                int index = session.pick(peerHas);
                if (index < 0) {
                    break;
                }
                PieceDownload d = new PieceDownload(index, session.meta().pieceSize(index));
                downloads.put(index, d);
                r = d.next();
            }
            outstanding.add(r);
            send(r);
        }
    }

    /** Called by the session when it completed a piece (from any connection). */
    synchronized void announceHave(int index) {
        send(new Have(index));
        fill();
    }

    /** Called by the session's watchdog. */
    void checkTimeouts(long now) {
        if (now - lastReceived > config.idleTimeout().toNanos()) {
            close("idle for " + config.idleTimeout().toSeconds() + " s");
            return;
        }
        boolean waiting;
        synchronized (this) {
            waiting = !outstanding.isEmpty();
        }
        if (waiting && now - lastProgress > config.requestTimeout().toNanos()) {
            LOG.warn("{}: closing: no block for {} s", name, config.requestTimeout().toSeconds());
            close("requests unanswered");
        }
    }

    private void send(Message m) {
        outbox.add(m);
    }

    private void write(OutputStream out) {
        long keepAlive = config.keepAliveInterval().toMillis();
        try {
            while (!closed.get()) {
                Object item = outbox.poll(keepAlive, TimeUnit.MILLISECONDS);
                if (item == STOP) {
                    break;
                }
                if (item == null) {
                    out.write(MessageCodec.encode(new KeepAlive()));
                } else if (item == SERVE) {
                    Request r;
                    synchronized (this) {
                        r = amChoking ? null : queued.poll();
                        if (!queued.isEmpty()) {
                            outbox.add(SERVE);
                        }
                    }
                    if (r != null) {
                        byte[] block = session.store().readBlock(r.piece(), r.begin(), r.length());
                        // counted before it is written: a peer that has the block sees it counted (a write that fails ends the connection)
                        session.uploaded(block.length);
                        out.write(MessageCodec.encode(new Piece(r.piece(), r.begin(), block)));
                    }
                } else {
                    out.write(MessageCodec.encode((Message) item));
                }
                if (outbox.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            close("write failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close("interrupted");
        }
    }

    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.debug("{}: closed: {}", name, reason);
        outbox.add(STOP);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        List<Integer> abandoned;
        boolean slot;
        synchronized (this) {
            abandoned = List.copyOf(downloads.keySet());
            downloads.clear();
            outstanding.clear();
            slot = unchokeSlot;
            unchokeSlot = false;
        }
        session.closed(this, abandoned, slot);
    }

    static byte[] bitfield(BitSet have, int pieces) {
        byte[] b = new byte[(pieces + 7) / 8];
        for (int i = have.nextSetBit(0); i >= 0 && i < pieces; i = have.nextSetBit(i + 1)) {
            b[i >> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return b;
    }

    static BitSet fromBitfield(byte[] b) {
        BitSet s = new BitSet(b.length * 8);
        for (int i = 0; i < b.length * 8; i++) {
            if ((b[i >> 3] & (0x80 >>> (i & 7))) != 0) {
                s.set(i);
            }
        }
        return s;
    }

    private static String printable(byte[] id) {
        StringBuilder s = new StringBuilder();
        for (byte b : id) {
            s.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return s.toString();
    }
}
