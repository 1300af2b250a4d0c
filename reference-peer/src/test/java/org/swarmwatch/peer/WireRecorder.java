package org.swarmwatch.peer;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 that forwards each accepted connection to one target and keeps the
 * bytes of both directions (the first {@link #LIMIT} of each), so that a test can say what was on
 * the wire: whether the BitTorrent handshake or the file's bytes appear in the clear. Closing it
 * closes every socket and stops its threads.
 */
public final class WireRecorder implements AutoCloseable {
    public static final int LIMIT = 8 << 20;
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream toTarget = new ByteArrayOutputStream(), fromTarget = new ByteArrayOutputStream();
    private volatile boolean closed;

    public WireRecorder(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "wire-recorder");
        t.setDaemon(true);
        t.start();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void accept() {
        while (!closed) {
            try {
                Socket a = server.accept();
                Socket b = new Socket();
                sockets.add(a);
                sockets.add(b);
                b.connect(target, 5000);
                pump(a, b, toTarget);
                pump(b, a, fromTarget);
            } catch (IOException e) {
                // closed, or the target is not there: the dialling side sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to, ByteArrayOutputStream record) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (record) {
                        record.write(buf, 0, Math.max(0, Math.min(n, LIMIT - record.size())));
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "wire-recorder-pump");
        t.setDaemon(true);
        t.start();
    }

    /** What the dialling side sent towards the target. */
    public byte[] toTarget() {
        synchronized (toTarget) {
            return toTarget.toByteArray();
        }
    }

    /** What the target sent back. */
    public byte[] fromTarget() {
        synchronized (fromTarget) {
            return fromTarget.toByteArray();
        }
    }

    /** Whether {@code needle} occurs in {@code haystack}. */
    public static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    public static final byte[] PROTOCOL = "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        sockets.forEach(WireRecorder::closeQuietly);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
