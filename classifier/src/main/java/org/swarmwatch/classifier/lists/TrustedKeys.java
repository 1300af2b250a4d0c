package org.swarmwatch.classifier.lists;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.openssl.PEMParser;

/**
 * The Ed25519 public keys that may sign lists: one PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo,
 * RFC 8410) per file, as {@code openssl pkey -pubout} writes it. Immutable.
 */
public final class TrustedKeys {
    /** Longest key file read; an Ed25519 public key in PEM is 113 bytes. */
    private static final long MAX_KEY_FILE_BYTES = 16 * 1024;

    private record Key(Signer signer, Ed25519PublicKeyParameters key) {
    }

    private final List<Key> keys;

    private TrustedKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * Reads every {@code *.pem} and {@code *.pub} file of {@code directory} (hidden files aside).
     *
     * @throws IOException when the directory cannot be read, or a key file is not an Ed25519 public
     *     key in PEM (the message names the file): a mistake in the trust configuration stops the
     *     start rather than silently trusting fewer keys
     */
    public static TrustedKeys fromDirectory(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory)) {
            for (Path f : dir) {
                String name = f.getFileName().toString();
                if (!name.startsWith(".") && (name.endsWith(".pem") || name.endsWith(".pub"))
                        && Files.isRegularFile(f)) {
                    files.add(f);
                }
            }
        }
        files.sort(null);
        List<Key> keys = new ArrayList<>();
        for (Path f : files) {
            keys.add(read(f));
        }
        return new TrustedKeys(keys);
    }

    /** Keys given as PEM text, each named as if it were a file (for tests and embedding). */
    public static TrustedKeys of(List<String> names, List<String> pems) throws IOException {
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            keys.add(parse(names.get(i), new java.io.StringReader(pems.get(i))));
        }
        return new TrustedKeys(keys);
    }

    public static TrustedKeys none() {
        return new TrustedKeys(List.of());
    }

    /** The signers these keys stand for, in file name order. */
    public List<Signer> signers() {
        return keys.stream().map(Key::signer).toList();
    }

    public int size() {
        return keys.size();
    }

    /**
     * The first key whose pure Ed25519 signature (RFC 8032 section 5.1) over {@code data[0, length)}
     * is {@code signature}, or null when none verifies it.
     */
    Signer verify(byte[] data, int length, byte[] signature) {
        if (signature.length != Ed25519.SIGNATURE_SIZE) {
            return null;
        }
        for (Key k : keys) {
            if (k.key.verify(Ed25519.Algorithm.Ed25519, null, data, 0, length, signature, 0)) {
                return k.signer;
            }
        }
        return null;
    }

    private static Key read(Path file) throws IOException {
        if (Files.size(file) > MAX_KEY_FILE_BYTES) {
            throw new IOException("trusted key " + file + ": larger than " + MAX_KEY_FILE_BYTES + " bytes");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return parse(file.getFileName().toString(), r);
        }
    }

    private static Key parse(String name, Reader r) throws IOException {
        Object o;
        try (PEMParser pem = new PEMParser(r)) {
            o = pem.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IOException("trusted key " + name + ": not PEM (" + e.getMessage() + ")", e);
        }
        if (!(o instanceof SubjectPublicKeyInfo spki)) {
            throw new IOException("trusted key " + name + ": expected a '-----BEGIN PUBLIC KEY-----' block, found "
                    + (o == null ? "none" : o.getClass().getSimpleName()));
        }
        if (!EdECObjectIdentifiers.id_Ed25519.equals(spki.getAlgorithm().getAlgorithm())) {
            throw new IOException("trusted key " + name + ": algorithm " + spki.getAlgorithm().getAlgorithm()
                    + ", expected Ed25519 (1.3.101.112)");
        }
        byte[] raw = spki.getPublicKeyData().getOctets();
        if (raw.length != Ed25519.PUBLIC_KEY_SIZE || !Ed25519.validatePublicKeyFull(raw, 0)) {
            throw new IOException("trusted key " + name + ": not a valid Ed25519 public key");
        }
        try {
            byte[] der = spki.getEncoded("DER");
            String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
            return new Key(new Signer(name, fingerprint), new Ed25519PublicKeyParameters(raw, 0));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
