package org.swarmwatch.events.signature;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/** One PEM block (RFC 7468) read from a small file, or written. */
final class Pem {
    /** Longest key file read: an Ed25519 key in PEM is about 120 bytes. */
    static final long MAX_KEY_FILE_BYTES = 16 * 1024;

    private Pem() {
    }

    static String readFile(Path file) throws IOException, SignatureFormatException {
        long size = Files.size(file);
        if (size > MAX_KEY_FILE_BYTES) {
            throw new SignatureFormatException(file + ": " + size + " bytes, not a key file (at most " + MAX_KEY_FILE_BYTES + ")");
        }
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    /** The first PEM block of {@code text}; {@code name} is for messages. */
    static PemObject first(String name, String text) throws SignatureFormatException {
        try (PemReader r = new PemReader(new StringReader(text))) {
            PemObject o = r.readPemObject();
            if (o == null) {
                throw new SignatureFormatException(name + ": no PEM block (-----BEGIN ...-----) in it");
            }
            return o;
        } catch (IOException | RuntimeException e) {
            throw new SignatureFormatException(name + ": not PEM (" + e.getMessage() + ")", e);
        }
    }

    static String write(String type, byte[] der) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory", e);
        }
        return out.toString();
    }

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
