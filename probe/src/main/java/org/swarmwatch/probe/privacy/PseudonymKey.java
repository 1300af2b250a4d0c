package org.swarmwatch.probe.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * The secret behind subscriber pseudonyms. It comes from a file or an environment variable, never
 * from the code: whoever holds it can test a guessed address against a pseudonym, so it belongs
 * to the operator, rotates with their policy, and is kept apart from the data (docs/privacy.md).
 *
 * <p>Without a configured key the probe makes an {@linkplain #ephemeral() ephemeral} one: random,
 * held only in memory, so pseudonyms cannot be linked across runs. Safe, but useless for
 * correlating over time; production configures a key.
 */
public final class PseudonymKey {
    /** Environment variable holding the key (hex or base64). */
    public static final String ENVIRONMENT_VARIABLE = "SWARMWATCH_PSEUDONYM_KEY";
    /** Shortest key accepted: 128 bits. 256 bits (32 bytes) recommended. */
    public static final int MIN_BYTES = 16;

    private final byte[] key;

    private PseudonymKey(byte[] key) {
        this.key = key;
    }

    /**
     * Reads a key file: hex or base64 text (whitespace ignored), at least {@link #MIN_BYTES}
     * bytes once decoded. Refuses a file that group or others may read.
     */
    public static PseudonymKey fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("pseudonym key file " + file + " does not exist or is not a regular file");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                throw new IOException("pseudonym key file " + file + " is readable by group or others; chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        return new PseudonymKey(decode(text, "pseudonym key file " + file));
    }

    /** Reads the key from {@link #ENVIRONMENT_VARIABLE}; null if unset. */
    public static PseudonymKey fromEnvironment(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return new PseudonymKey(decode(value, "environment variable " + ENVIRONMENT_VARIABLE));
    }

    /** A random key that lives only as long as this process. */
    public static PseudonymKey ephemeral() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new PseudonymKey(k);
    }

    static byte[] decode(String text, String where) {
        String t = text.replaceAll("\\s+", "");
        byte[] bytes;
        if (t.matches("(?i)[0-9a-f]+") && t.length() % 2 == 0) {
            bytes = HexFormat.of().parseHex(t.toLowerCase());
        } else {
            try {
                bytes = Base64.getDecoder().decode(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": the key must be hex or base64 text");
            }
        }
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException(where + ": the key has " + bytes.length + " bytes; at least " + MIN_BYTES
                    + " are needed (32 recommended, e.g. `head -c 32 /dev/urandom | xxd -p -c 64`)");
        }
        return bytes;
    }

    byte[] bytes() {
        return key.clone();
    }
}
