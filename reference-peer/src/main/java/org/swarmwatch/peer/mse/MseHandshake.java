package org.swarmwatch.peer.mse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.math.BigInteger;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collection;
import org.swarmwatch.peer.wire.ProtocolException;

/**
 * Message Stream Encryption / Protocol Encryption (MSE/PE), the handshake that Azureus (Vuze)
 * specified and every major client speaks, before the BEP 3 handshake. A is the side that
 * connects, B the side that accepts; HASH is SHA-1, SKEY the torrent's v1 info hash:
 *
 * <pre>
 * 1 A-&gt;B: Ya, PadA
 * 2 B-&gt;A: Yb, PadB
 * 3 A-&gt;B: HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S),
 *         ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA)), ENCRYPT(IA)
 * 4 B-&gt;A: ENCRYPT(VC, crypto_select, len(PadD), PadD), ENCRYPT2(payload)
 * 5 A-&gt;B: ENCRYPT2(payload)
 * </pre>
 *
 * <p>Y = G^X mod P with the 768-bit prime P, G = 2 and a random 160-bit X, sent as 96 big-endian
 * bytes; S = the shared Diffie-Hellman secret, also 96 bytes. ENCRYPT is RC4 keyed with
 * HASH('keyA', S, SKEY) from A and HASH('keyB', S, SKEY) from B, the first 1024 bytes of key
 * stream discarded. VC is 8 zero bytes. crypto_provide and crypto_select are 32-bit masks:
 * {@link #PLAINTEXT} 0x01, {@link #RC4} 0x02; B selects exactly one of what A provides. With RC4
 * selected, ENCRYPT2 is the same RC4 stream carried on; with plaintext selected the payload
 * after step 4 is sent in the clear (IA, the initial payload, was still RC4-encrypted).
 *
 * <p>Bounded: pads of at most 512 bytes each (PadA and PadB are found by scanning for the value
 * that follows them, at most 512 bytes), len(IA) at most 65535 by its width; whatever breaks this
 * is a {@link ProtocolException} naming what was wrong. Reads and writes block on the given
 * streams (the caller sets a socket timeout); nothing here buffers beyond what it consumes, so
 * the payload that follows is left in the caller's stream.
 */
public final class MseHandshake {
    /** crypto_provide / crypto_select bits. */
    public static final int PLAINTEXT = 0x01, RC4 = 0x02;
    static final BigInteger P = new BigInteger("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
            + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576"
            + "625E7EC6F44C42E9A63A36210000000000090563", 16);
    static final BigInteger G = BigInteger.TWO;
    static final int KEY_BYTES = 96, MAX_PAD = 512, VC_LENGTH = 8;
    private static final byte[] VC = new byte[VC_LENGTH];

    private MseHandshake() {
    }

    /**
     * The payload streams once the handshake is done.
     *
     * @param in       what the peer sends next (already decrypted when RC4 was selected; on B's
     *                 side it starts with A's initial payload)
     * @param out      where our payload goes (encrypted when RC4 was selected)
     * @param selected {@link #PLAINTEXT} or {@link #RC4}
     * @param infoHash the SKEY both sides proved they know
     */
    public record Established(InputStream in, OutputStream out, int selected, byte[] infoHash) {
        public String method() {
            return describe(selected);
        }
    }

    /**
     * Side A: sends Ya and PadA, reads Yb, sends step 3 offering {@code provide} with
     * {@code initialPayload} as IA (the caller's BEP 3 handshake, so it costs no round trip), and
     * reads B's choice. Closing before the handshake ends is an {@link EOFException} saying so.
     */
    public static Established initiate(InputStream rawIn, OutputStream out, byte[] infoHash, int provide,
            byte[] initialPayload, SecureRandom random) throws IOException {
        if ((provide & (PLAINTEXT | RC4)) == 0 || initialPayload.length > 0xffff) {
            throw new IllegalArgumentException("provide plaintext or RC4, an initial payload of at most 65535 bytes");
        }
        DataInputStream in = new DataInputStream(rawIn);
        BigInteger x = privateKey(random);
        out.write(concat(publicKey(x), pad(random, true)));
        out.flush();
        try {
            byte[] s = secret(readPublicKey(in), x);
            Rc4 encrypt = new Rc4(sha1(ascii("keyA"), s, infoHash));
            ByteArrayOutputStream step3 = new ByteArrayOutputStream();
            step3.write(sha1(ascii("req1"), s));
            step3.write(xor(sha1(ascii("req2"), infoHash), sha1(ascii("req3"), s)));
            ByteArrayOutputStream clear = new ByteArrayOutputStream();
            clear.write(VC);
            clear.write(int32(provide));
            byte[] padC = pad(random, false);
            clear.write(int16(padC.length));
            clear.write(padC);
            clear.write(int16(initialPayload.length));
            clear.write(initialPayload);
            step3.write(encrypt.apply(clear.toByteArray()));
            out.write(step3.toByteArray());
            out.flush();

            // step 4: find ENCRYPT(VC) behind PadB, then B's choice
            byte[] keyB = sha1(ascii("keyB"), s, infoHash);
            byte[] encryptedVc = new Rc4(keyB).apply(VC);
            if (!scanFor(in, encryptedVc)) {
                throw new ProtocolException("MSE: no encrypted verification constant within " + MAX_PAD
                        + " bytes of PadB (the peer has another key: not this torrent, or not MSE)");
            }
            Rc4 decrypt = new Rc4(keyB);
            decrypt.apply(VC); // the VC just matched: its key stream is used up
            byte[] head = decrypt.apply(readN(in, 6));
            int select = int32(head, 0), padD = int16(head, 4);
            if (Integer.bitCount(select) != 1 || (select & provide) == 0) {
                throw new ProtocolException("MSE: the peer selected crypto 0x" + Integer.toHexString(select) + ", we offered "
                        + describe(provide));
            }
            if (padD > MAX_PAD) {
                throw new ProtocolException("MSE: PadD of " + padD + " bytes (at most " + MAX_PAD + ")");
            }
            decrypt.apply(readN(in, padD));
            return select == RC4 ? new Established(new Rc4.Input(rawIn, decrypt), new Rc4.Output(out, encrypt), RC4, infoHash)
                    : new Established(rawIn, out, PLAINTEXT, infoHash);
        } catch (EOFException | SocketException e) { // a reset too: a refusing peer that had not read all we sent
            throw new EOFException("the peer closed the connection during the MSE handshake (we offered "
                    + describe(provide) + "; it may not accept encryption, or not this torrent)");
        }
    }

    /**
     * Side B: reads Ya (the caller has seen that the connection does not open with a BEP 3
     * handshake), answers Yb and PadB, finds req1, tells from req2 which of {@code infoHashes}
     * the peer wants, and selects one method of those the peer provides and {@code allowed}
     * permits: plaintext when both are possible and {@code preferPlaintext}, else RC4.
     */
    public static Established receive(InputStream rawIn, OutputStream out, Collection<byte[]> infoHashes, int allowed,
            boolean preferPlaintext, SecureRandom random) throws IOException {
        DataInputStream in = new DataInputStream(rawIn);
        try {
            BigInteger ya = readPublicKey(in);
            BigInteger x = privateKey(random);
            out.write(concat(publicKey(x), pad(random, true)));
            out.flush();
            byte[] s = secret(ya, x);
            if (!scanFor(in, sha1(ascii("req1"), s))) {
                throw new ProtocolException("MSE: no HASH('req1', S) within " + MAX_PAD + " bytes of PadA (not an MSE handshake)");
            }
            byte[] req2 = xor(readN(in, 20), sha1(ascii("req3"), s));
            byte[] infoHash = null;
            for (byte[] candidate : infoHashes) {
                if (MessageDigest.isEqual(req2, sha1(ascii("req2"), candidate))) {
                    infoHash = candidate;
                }
            }
            if (infoHash == null) {
                throw new ProtocolException("MSE: the peer asks for a torrent not served here (req2 matches none of "
                        + infoHashes.size() + " info hashes)");
            }
            Rc4 decrypt = new Rc4(sha1(ascii("keyA"), s, infoHash));
            byte[] head = decrypt.apply(readN(in, 14));
            if (!Arrays.equals(head, 0, VC_LENGTH, VC, 0, VC_LENGTH)) {
                throw new ProtocolException("MSE: the verification constant is not zero (the peer derived another key)");
            }
            int provide = int32(head, 8), padC = int16(head, 12);
            if (padC > MAX_PAD) {
                throw new ProtocolException("MSE: PadC of " + padC + " bytes (at most " + MAX_PAD + ")");
            }
            decrypt.apply(readN(in, padC));
            int ia = int16(decrypt.apply(readN(in, 2)), 0);
            byte[] initialPayload = decrypt.apply(readN(in, ia));
            int common = provide & allowed & (PLAINTEXT | RC4);
            if (common == 0) {
                throw new ProtocolException("MSE: the peer provides " + describe(provide) + ", this peer allows only "
                        + describe(allowed));
            }
            int select = common == (PLAINTEXT | RC4) ? (preferPlaintext ? PLAINTEXT : RC4) : common;
            Rc4 encrypt = new Rc4(sha1(ascii("keyB"), s, infoHash));
            byte[] padD = pad(random, false);
            out.write(encrypt.apply(concat(VC, int32(select), int16(padD.length), padD)));
            out.flush();
            InputStream rest = select == RC4 ? new Rc4.Input(rawIn, decrypt) : rawIn;
            InputStream payload = ia == 0 ? rest : new SequenceInputStream(new ByteArrayInputStream(initialPayload), rest);
            return new Established(payload, select == RC4 ? new Rc4.Output(out, encrypt) : out, select, infoHash);
        } catch (EOFException | SocketException e) {
            throw new EOFException("the peer closed the connection during the MSE handshake");
        }
    }

    /** "RC4", "plaintext", "plaintext or RC4", or the bits in hexadecimal when neither is set. */
    public static String describe(int methods) {
        boolean plain = (methods & PLAINTEXT) != 0, rc4 = (methods & RC4) != 0;
        return plain && rc4 ? "plaintext or RC4" : plain ? "plaintext" : rc4 ? "RC4" : "0x" + Integer.toHexString(methods) + " (nothing known)";
    }

    // ---- Diffie-Hellman

    static BigInteger privateKey(SecureRandom random) {
        return new BigInteger(160, random).setBit(159); // 160 bits, as the spec asks
    }

    static byte[] publicKey(BigInteger x) {
        return unsigned(G.modPow(x, P));
    }

    private static BigInteger readPublicKey(DataInputStream in) throws IOException {
        BigInteger y = new BigInteger(1, readN(in, KEY_BYTES));
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
            throw new ProtocolException("MSE: the peer's Diffie-Hellman value is out of range (not an MSE handshake)");
        }
        return y;
    }

    static byte[] secret(BigInteger theirs, BigInteger x) {
        return unsigned(theirs.modPow(x, P));
    }

    /** A value below P as exactly 96 big-endian bytes (leading zeros kept, BigInteger's sign byte dropped). */
    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray(), out = new byte[KEY_BYTES];
        int n = Math.min(b.length, KEY_BYTES);
        System.arraycopy(b, b.length - n, out, KEY_BYTES - n, n);
        return out;
    }

    // ---- helpers

    /**
     * Reads until the last {@code pattern.length} bytes equal {@code pattern}, at most
     * {@link #MAX_PAD} bytes before it. Worked example: with a 20-byte req1 and 300 bytes of PadA
     * the match ends after 320 bytes; with 513 bytes of pad it is never reached and this says no
     * after 532 bytes.
     */
    private static boolean scanFor(DataInputStream in, byte[] pattern) throws IOException {
        int n = pattern.length;
        byte[] window = new byte[MAX_PAD + n];
        in.readFully(window, 0, n);
        for (int have = n; ; have++) {
            if (Arrays.equals(window, have - n, have, pattern, 0, n)) {
                return true;
            }
            if (have == window.length) {
                return false;
            }
            window[have] = in.readByte();
        }
    }

    private static byte[] readN(DataInputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** PadA/PadB: random bytes; PadC/PadD: zeros (the spec keeps them for later use). 0 to 512 long. */
    private static byte[] pad(SecureRandom random, boolean randomBytes) {
        byte[] p = new byte[random.nextInt(MAX_PAD + 1)];
        if (randomBytes) {
            random.nextBytes(p);
        }
        return p;
    }

    static byte[] sha1(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] r = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (byte) (a[i] ^ b[i]);
        }
        return r;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] int16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    private static int int32(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | b[off + 3] & 0xff;
    }

    private static int int16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | b[off + 1] & 0xff;
    }
}
