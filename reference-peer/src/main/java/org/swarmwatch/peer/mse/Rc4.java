package org.swarmwatch.peer.mse;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * RC4 as MSE/PE uses it: keyed with a 20-byte SHA-1 value, its first 1024 bytes of key stream
 * thrown away (the spec's answer to RC4's weak early output), then applied byte for byte in one
 * direction of a connection. The cipher is the JDK's {@code ARCFOUR} (SunJCE); one instance per
 * direction, never shared between threads.
 */
final class Rc4 {
    static final int DISCARD = 1024;
    private final Cipher cipher;

    Rc4(byte[] key) {
        try {
            cipher = Cipher.getInstance("ARCFOUR");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no ARCFOUR cipher", e);
        }
        cipher.update(new byte[DISCARD]);
    }

    /** XORs the next key stream bytes into a copy of {@code b[off, off + len)}. */
    byte[] apply(byte[] b, int off, int len) {
        byte[] out = cipher.update(b, off, len);
        return out == null ? new byte[0] : out;
    }

    byte[] apply(byte[] b) {
        return apply(b, 0, b.length);
    }

    /** XORs the next key stream bytes into {@code b[off, off + len)} in place. */
    void applyInPlace(byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        try {
            cipher.update(b, off, len, b, off);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // a stream cipher's output is as long as its input
        }
    }

    /** Decrypts what is read through it. */
    static final class Input extends FilterInputStream {
        private final Rc4 rc4;

        Input(InputStream in, Rc4 rc4) {
            super(in);
            this.rc4 = rc4;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                rc4.applyInPlace(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] sink = new byte[(int) Math.min(n, 8192)];
            int r = read(sink, 0, sink.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /** Encrypts what is written through it (the caller's arrays are left as they were). */
    static final class Output extends FilterOutputStream {
        private final Rc4 rc4;

        Output(OutputStream out, Rc4 rc4) {
            super(out);
            this.rc4 = rc4;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(rc4.apply(b, off, len));
        }
    }
}
