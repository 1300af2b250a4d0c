package org.swarmwatch.peer.session;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.List;
import org.swarmwatch.peer.mse.MseHandshake;
import org.swarmwatch.peer.mse.MseHandshake.Established;
import org.swarmwatch.peer.wire.Handshake;
import org.swarmwatch.peer.wire.ProtocolException;

/**
 * The layer under the BEP 3 handshake: nothing, or an MSE/PE handshake, as the {@link Encryption}
 * policy allows. It hands back the streams the peer wire handshake and messages then go through
 * (decrypting and encrypting when RC4 was selected).
 */
final class PeerHandshake {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int HEADER = 20;

    /**
     * @param in     the peer's bytes, buffered and decrypted as needed
     * @param out    where our bytes go, encrypted as needed (not flushed by itself: flush after writing)
     * @param method "plaintext", "MSE, plaintext" or "MSE, RC4", for logs
     */
    record Streams(DataInputStream in, OutputStream out, String method) {
    }

    private PeerHandshake() {
    }

    /**
     * The dialling side: sends our BEP 3 handshake, in the clear or as MSE's initial payload;
     * the caller then reads the peer's.
     */
    static Streams dial(BufferedInputStream in, OutputStream out, Handshake ours, PeerConfig config, boolean mse) throws IOException {
        if (!mse) {
            ours.writeTo(out);
            return new Streams(new DataInputStream(in), out, "plaintext");
        }
        Established e = MseHandshake.initiate(in, out, ours.infoHash(), config.encryption().methods(), ours.encode(), RANDOM);
        return streams(e);
    }

    /**
     * The accepting side: tells a BEP 3 handshake (its first 20 bytes are fixed) from an MSE one
     * and refuses the kind the policy does not allow; the caller then reads the peer's BEP 3
     * handshake and answers.
     */
    static Streams answer(BufferedInputStream in, OutputStream out, List<byte[]> infoHashes, PeerConfig config) throws IOException {
        Encryption policy = config.encryption();
        in.mark(HEADER);
        byte[] head = in.readNBytes(HEADER);
        in.reset();
        if (Handshake.isHeader(head)) {
            if (!policy.acceptsPlainHandshake()) {
                throw new ProtocolException("a plaintext BitTorrent handshake, but this peer requires encryption ("
                        + policy.cliName() + ")");
            }
            return new Streams(new DataInputStream(in), out, "plaintext");
        }
        if (head.length < HEADER) {
            throw new EOFException("the peer closed the connection before its handshake");
        }
        if (!policy.acceptsMse()) {
            throw new ProtocolException("not a plaintext BitTorrent handshake (an MSE/PE one, or garbage), and this peer "
                    + "allows plaintext only");
        }
        return streams(MseHandshake.receive(in, out, infoHashes, policy.methods(), policy.selectsPlaintext(), RANDOM));
    }

    private static Streams streams(Established e) {
        boolean rc4 = e.selected() == MseHandshake.RC4;
        // RC4 decrypts whatever it reads, so it gets its own buffer above it; plaintext reads the buffered socket directly
        DataInputStream in = new DataInputStream(rc4 ? new BufferedInputStream(e.in(), 1 << 16) : e.in());
        return new Streams(in, e.out(), "MSE, " + e.method());
    }
}
