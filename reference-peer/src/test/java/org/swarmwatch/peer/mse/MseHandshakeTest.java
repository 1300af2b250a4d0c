package org.swarmwatch.peer.mse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.swarmwatch.peer.WireRecorder;
import org.swarmwatch.peer.wire.ProtocolException;

/**
 * Both sides of the MSE/PE handshake over a real loopback connection (through a
 * {@link WireRecorder}, so that what went over the wire can be checked).
 */
class MseHandshakeTest {
    static final SecureRandom RANDOM = new SecureRandom();
    static final byte[] HASH_A = sha("a"), HASH_B = sha("b"), HASH_C = sha("c");

    ServerSocket server;
    WireRecorder wire;
    Socket a, b;

    @BeforeEach
    void connect() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        wire = new WireRecorder(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()));
        a = new Socket();
        a.connect(wire.address(), 5000);
        b = server.accept();
        a.setSoTimeout(10_000);
        b.setSoTimeout(10_000);
    }

    @AfterEach
    void close() throws IOException {
        a.close();
        b.close();
        server.close();
        wire.close();
    }

    record Ends(MseHandshake.Established a, MseHandshake.Established b) {
    }

    Ends handshake(int provide, int allowed, boolean preferPlaintext, byte[] ia) throws Exception {
        CompletableFuture<MseHandshake.Established> receiver = CompletableFuture.supplyAsync(() -> {
            try {
                return MseHandshake.receive(new BufferedInputStream(b.getInputStream()), new BufferedOutputStream(b.getOutputStream()),
                        List.of(HASH_A, HASH_B, HASH_C), allowed, preferPlaintext, RANDOM);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        MseHandshake.Established ea = MseHandshake.initiate(new BufferedInputStream(a.getInputStream()),
                new BufferedOutputStream(a.getOutputStream()), HASH_B, provide, ia, RANDOM);
        return new Ends(ea, receiver.get(10, TimeUnit.SECONDS));
    }

    @Test
    void rc4CarriesBothDirectionsAndHidesThePayload() throws Exception {
        byte[] ia = "initial payload: the handshake, say".getBytes();
        Ends e = handshake(MseHandshake.PLAINTEXT | MseHandshake.RC4, MseHandshake.PLAINTEXT | MseHandshake.RC4, false, ia);
        assertEquals(MseHandshake.RC4, e.a().selected());
        assertEquals(MseHandshake.RC4, e.b().selected());
        assertArrayEquals(HASH_B, e.b().infoHash(), "the receiver found the torrent req2 names among three");
        byte[] fromA = pattern(100_000, 1), fromB = pattern(70_000, 2);
        send(e.a().out(), fromA);
        send(e.b().out(), fromB);
        assertArrayEquals(concat(ia, fromA), read(e.b().in(), ia.length + fromA.length));
        assertArrayEquals(fromB, read(e.a().in(), fromB.length));
        byte[] sample = Arrays.copyOfRange(fromA, 5000, 5032);
        // the recorder keeps bytes before it forwards them: what B has read is recorded
        assertFalse(WireRecorder.contains(wire.toTarget(), sample), "A's payload is not on the wire in the clear");
        assertFalse(WireRecorder.contains(wire.toTarget(), ia), "nor its initial payload");
        assertFalse(WireRecorder.contains(wire.fromTarget(), Arrays.copyOfRange(fromB, 100, 132)), "nor B's");
    }

    @Test
    void plaintextSelectedLeavesOnlyThePayloadInTheClear() throws Exception {
        byte[] ia = "initial payload".getBytes();
        Ends e = handshake(MseHandshake.PLAINTEXT | MseHandshake.RC4, MseHandshake.PLAINTEXT | MseHandshake.RC4, true, ia);
        assertEquals(MseHandshake.PLAINTEXT, e.a().selected());
        assertEquals(MseHandshake.PLAINTEXT, e.b().selected());
        byte[] fromA = pattern(20_000, 3), fromB = pattern(20_000, 4);
        send(e.a().out(), fromA);
        send(e.b().out(), fromB);
        assertArrayEquals(concat(ia, fromA), read(e.b().in(), ia.length + fromA.length));
        assertArrayEquals(fromB, read(e.a().in(), fromB.length));
        assertTrue(WireRecorder.contains(wire.toTarget(), fromA), "A's payload after the handshake is in the clear");
        assertFalse(WireRecorder.contains(wire.toTarget(), ia), "the initial payload is RC4 even so");
    }

    @Test
    void onlyRc4OfferedIsTakenByAPeerPreferringPlaintext() throws Exception {
        Ends e = handshake(MseHandshake.RC4, MseHandshake.PLAINTEXT | MseHandshake.RC4, true, new byte[0]);
        assertEquals(MseHandshake.RC4, e.a().selected());
        send(e.a().out(), new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, read(e.b().in(), 3));
    }

    @Test
    void noCommonMethodIsRefusedWithBothSidesSayingWhy() throws Exception {
        CompletableFuture<String> receiver = refusingReceiver(MseHandshake.RC4, List.of(HASH_B));
        EOFException e = assertThrows(EOFException.class, () -> MseHandshake.initiate(new BufferedInputStream(a.getInputStream()),
                new BufferedOutputStream(a.getOutputStream()), HASH_B, MseHandshake.PLAINTEXT, new byte[0], RANDOM));
        assertEquals("MSE: the peer provides plaintext, this peer allows only RC4", receiver.get(10, TimeUnit.SECONDS));
        assertTrue(e.getMessage().startsWith("the peer closed the connection during the MSE handshake (we offered plaintext"),
                e.getMessage());
    }

    @Test
    void aTorrentNotServedIsNamedAsTheReason() throws Exception {
        CompletableFuture<String> receiver = refusingReceiver(MseHandshake.RC4, List.of(HASH_A, HASH_C));
        assertThrows(EOFException.class, () -> MseHandshake.initiate(new BufferedInputStream(a.getInputStream()),
                new BufferedOutputStream(a.getOutputStream()), HASH_B, MseHandshake.RC4, new byte[0], RANDOM));
        assertEquals("MSE: the peer asks for a torrent not served here (req2 matches none of 2 info hashes)",
                receiver.get(10, TimeUnit.SECONDS));
    }

    /** A receiver that closes the connection when it refuses, as a real peer does, and reports why. */
    CompletableFuture<String> refusingReceiver(int allowed, List<byte[]> hashes) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                MseHandshake.receive(new BufferedInputStream(b.getInputStream()), b.getOutputStream(), hashes, allowed, false, RANDOM);
                return "accepted";
            } catch (IOException e) {
                return e.getMessage();
            } finally {
                try {
                    b.close();
                } catch (IOException ignored) {
                    // closed
                }
            }
        });
    }

    @Test
    void garbageIsRefusedAfterBoundedBytes() throws Exception {
        // a valid-looking Ya (2), then endless noise: B must give up after 512 bytes of "PadA"
        CompletableFuture<String> receiver = CompletableFuture.supplyAsync(() -> {
            try {
                MseHandshake.receive(new BufferedInputStream(b.getInputStream()), b.getOutputStream(), List.of(HASH_A),
                        MseHandshake.RC4, false, RANDOM);
                return "accepted";
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        OutputStream out = a.getOutputStream();
        byte[] ya = new byte[96];
        ya[95] = 2;
        out.write(ya);
        out.write(pattern(532, 9));
        out.flush();
        assertEquals("MSE: no HASH('req1', S) within 512 bytes of PadA (not an MSE handshake)", receiver.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aPublicKeyOutOfRangeIsRefused() throws Exception {
        CompletableFuture<String> receiver = CompletableFuture.supplyAsync(() -> {
            try {
                MseHandshake.receive(new BufferedInputStream(b.getInputStream()), b.getOutputStream(), List.of(HASH_A),
                        MseHandshake.RC4, false, RANDOM);
                return "accepted";
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        a.getOutputStream().write(new byte[96]); // Y = 0
        assertTrue(receiver.get(10, TimeUnit.SECONDS).contains("Diffie-Hellman value is out of range"));
    }

    @Test
    void diffieHellmanAgreesAndKeepsLeadingZeros() {
        for (int i = 0; i < 20; i++) {
            BigInteger xa = MseHandshake.privateKey(RANDOM), xb = MseHandshake.privateKey(RANDOM);
            byte[] ya = MseHandshake.publicKey(xa), yb = MseHandshake.publicKey(xb);
            assertEquals(96, ya.length);
            assertArrayEquals(MseHandshake.secret(new BigInteger(1, yb), xa), MseHandshake.secret(new BigInteger(1, ya), xb));
            assertEquals(160, xa.bitLength());
        }
        assertArrayEquals(HexFormat.of().parseHex("0".repeat(190) + "04"), MseHandshake.publicKey(BigInteger.TWO));
    }

    @Test
    void rc4DropsTheFirst1024BytesOfKeyStream() {
        // RC4 with key 01 02 03 04 05 (RFC 6229): key stream at offset 1024 starts 30 ab bc c7 c2 0b 01 60
        byte[] key = {1, 2, 3, 4, 5};
        assertArrayEquals(HexFormat.of().parseHex("30abbcc7c20b0160"), new Rc4(key).apply(new byte[8]));
    }

    static void send(OutputStream out, byte[] data) throws IOException {
        CompletableFuture.runAsync(() -> {
            try {
                out.write(data);
                out.flush();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    static byte[] read(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        new DataInputStream(in).readFully(b);
        return b;
    }

    static byte[] pattern(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] concat(byte[] x, byte[] y) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(x);
        o.writeBytes(y);
        return o.toByteArray();
    }

    static byte[] sha(String s) {
        return MseHandshake.sha1(s.getBytes());
    }

    static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof ProtocolException ? t.getMessage() : t.toString();
    }
}
