package org.swarmwatch.peer.tracker;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The UDP tracker protocol (BEP 15), client side: a connect exchange for a connection id, then
 * the announce; each request is sent up to {@link #ATTEMPTS} times, waiting {@code timeout} for the
 * answer whose transaction id matches (BEP 15's 15 x 2^n s schedule is for the Internet; a test's
 * tracker answers at once). Answers are bounded by the datagram size; an error packet becomes an
 * {@link IOException} with the tracker's message.
 */
public final class UdpTracker {
    static final long PROTOCOL_ID = 0x41727101980L;
    static final int CONNECT = 0, ANNOUNCE = 1, ERROR = 3;
    static final int ATTEMPTS = 3;

    private final Duration timeout;
    private final Predicate<InetAddress> mayContact;
    private final InetAddress bind;
    private final SecureRandom random = new SecureRandom();

    /** @param bind the local address to send from (the peer's own), or null for any */
    public UdpTracker(Duration timeout, Predicate<InetAddress> mayContact, InetAddress bind) {
        this.timeout = timeout;
        this.mayContact = mayContact;
        this.bind = bind;
    }

    public Announce.Response announce(String announceUrl, Announce.Request r) throws IOException {
        URI uri = URI.create(announceUrl);
        if (!"udp".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
            throw new IOException("not a UDP tracker: " + announceUrl);
        }
        InetAddress host = InetAddress.getByName(uri.getHost());
        if (!mayContact.test(host)) {
            throw new IOException("refusing to contact tracker " + host.getHostAddress() + " (not an allowed address)");
        }
        InetSocketAddress tracker = new InetSocketAddress(host, uri.getPort());
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bind, 0))) {
            socket.setSoTimeout((int) timeout.toMillis());
            ByteBuffer connect = ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(CONNECT).putInt(0);
            ByteBuffer answer = exchange(socket, tracker, connect, CONNECT, 16);
            long connection = answer.getLong();
            int event = switch (r.event()) {
                case NONE -> 0;
                case COMPLETED -> 1;
                case STARTED -> 2;
                case STOPPED -> 3;
            };
            ByteBuffer announce = ByteBuffer.allocate(98).putLong(connection).putInt(ANNOUNCE).putInt(0).put(r.infoHash()).put(r.peerId())
                    .putLong(r.downloaded()).putLong(r.left()).putLong(r.uploaded()).putInt(event).putInt(0).putInt(random.nextInt())
                    .putInt(r.numWant()).putShort((short) r.port());
            ByteBuffer a = exchange(socket, tracker, announce, ANNOUNCE, 20);
            int interval = a.getInt();
            a.getInt(); // leechers
            a.getInt(); // seeders
            List<InetSocketAddress> peers = new ArrayList<>();
            while (a.remaining() >= 6) {
                byte[] ip = new byte[4];
                a.get(ip);
                peers.add(new InetSocketAddress(InetAddress.getByAddress(ip), a.getShort() & 0xffff));
            }
            return new Announce.Response(interval, peers);
        }
    }

    /**
     * Sends {@code request} (its transaction id is set here) until an answer with the same
     * transaction comes; returns the answer positioned after action and transaction id.
     */
    private ByteBuffer exchange(DatagramSocket socket, InetSocketAddress tracker, ByteBuffer request, int action, int minLength)
            throws IOException {
        int transaction = random.nextInt();
        request.putInt(12, transaction);
        byte[] buffer = new byte[2048];
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            socket.send(new DatagramPacket(request.array(), request.position(), tracker));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(in);
                } catch (SocketTimeoutException e) {
                    break;
                }
                ByteBuffer a = ByteBuffer.wrap(in.getData(), 0, in.getLength());
                if (!in.getSocketAddress().equals(tracker) || a.remaining() < 8) {
                    continue;
                }
                int got = a.getInt();
                if (a.getInt() != transaction) {
                    continue;
                }
                if (got == ERROR) {
                    throw new IOException("tracker error: " + new String(in.getData(), 8, in.getLength() - 8, StandardCharsets.UTF_8));
                }
                if (got != action || in.getLength() < minLength) {
                    throw new IOException("tracker answered action " + got + " in " + in.getLength() + " bytes to action " + action);
                }
                return a;
            }
        }
        throw new IOException("UDP tracker " + tracker + " did not answer " + ATTEMPTS + " times in " + timeout);
    }
}
