package org.swarmwatch.events.signature;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks an export file against its detached signature and a public key, offline: what
 * {@code swarmwatch verify} does. The file is read once, streamed through SHA-256.
 */
public final class ExportVerification {
    /** What a check found. */
    public enum Outcome {
        /** The key signed these facts and the file matches them. */
        VALID,
        /** The signature names another key than the one given. */
        OTHER_KEY,
        /** The signature does not verify under the given key: the signature file was altered. */
        SIGNATURE_INVALID,
        /** The signature is good but the file is not the one signed: it was altered (or is another file). */
        FILE_DOES_NOT_MATCH
    }

    /** An outcome with a sentence for a person. */
    public record Result(Outcome outcome, String message) {
        public boolean valid() {
            return outcome == Outcome.VALID;
        }
    }

    private ExportVerification() {
    }

    public static Result verify(Path file, ExportSignature signature, VerificationKey key) throws IOException {
        if (!signature.keyFingerprint().equals(key.fingerprint())) {
            return new Result(Outcome.OTHER_KEY, "the signature was made by key " + signature.keyFingerprint()
                    + ", not by the given key " + key.fingerprint() + ": check with the signer's public key");
        }
        if (!key.verifies(signature.signedMessage(), signature.signature())) {
            return new Result(Outcome.SIGNATURE_INVALID, "the signature file is not valid for key " + key.fingerprint()
                    + ": its contents were altered after signing");
        }
        long size = Files.size(file);
        String sha256 = sha256(file);
        if (size != signature.fileSize() || !sha256.equals(signature.fileSha256())) {
            return new Result(Outcome.FILE_DOES_NOT_MATCH, file + " does not match its signature: the signed file has SHA-256 "
                    + signature.fileSha256() + " and " + signature.fileSize() + " bytes, this one " + sha256 + " and " + size
                    + " bytes; it was altered after signing or is another file");
        }
        return new Result(Outcome.VALID, file + ": valid signature by key " + key.fingerprint() + " (export " + signature.exportId()
                + ", made " + signature.created() + ", SHA-256 " + sha256 + ")");
    }

    /** A file's SHA-256 in lower-case hex, read as a stream. */
    public static String sha256(Path file) throws IOException {
        MessageDigest d = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
