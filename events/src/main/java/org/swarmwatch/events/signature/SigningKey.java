package org.swarmwatch.events.signature;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * An Ed25519 private key that signs exports (Bouncy Castle's lightweight API). Read from an
 * unencrypted PKCS#8 PEM file ({@code -----BEGIN PRIVATE KEY-----}, as {@code openssl genpkey
 * -algorithm ed25519} writes it); the file's permissions protect it. Thread-safe.
 */
public final class SigningKey {
    private final Ed25519PrivateKeyParameters key;
    private final VerificationKey verificationKey;

    private SigningKey(Ed25519PrivateKeyParameters key) {
        this.key = key;
        this.verificationKey = VerificationKey.of(key.generatePublicKey());
    }

    /** Reads a PEM PKCS#8 Ed25519 private key file (at most 16 KiB). */
    public static SigningKey read(Path file) throws IOException, SignatureFormatException {
        return parse(file.toString(), Pem.readFile(file));
    }

    /** A PEM PKCS#8 Ed25519 private key; {@code name} says where it came from, in messages. */
    public static SigningKey parse(String name, String pem) throws SignatureFormatException {
        PemObject o = Pem.first(name, pem);
        switch (o.getType()) {
            case "PRIVATE KEY" -> {
            }
            case "ENCRYPTED PRIVATE KEY" -> throw new SignatureFormatException(name
                    + ": an encrypted private key; give it unencrypted (openssl pkey -in KEY -out PLAIN) and protect the file's permissions");
            default -> throw new SignatureFormatException(name + ": a '" + o.getType()
                    + "' block, expected an Ed25519 private key in PKCS#8 ('-----BEGIN PRIVATE KEY-----', openssl genpkey -algorithm ed25519)");
        }
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(o.getContent());
        } catch (RuntimeException e) {
            throw new SignatureFormatException(name + ": not a PKCS#8 PrivateKeyInfo structure", e);
        }
        if (!VerificationKey.ED25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
            throw new SignatureFormatException(name + ": algorithm " + info.getPrivateKeyAlgorithm().getAlgorithm()
                    + ", expected Ed25519 (1.3.101.112)");
        }
        try {
            return new SigningKey((Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(info));
        } catch (IOException | RuntimeException e) {
            throw new SignatureFormatException(name + ": not a valid Ed25519 private key", e);
        }
    }

    /** A fresh key pair (the dashboard's {@code demo} profile). */
    public static SigningKey generate() {
        Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
        g.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        AsymmetricCipherKeyPair pair = g.generateKeyPair();
        return new SigningKey((Ed25519PrivateKeyParameters) pair.getPrivate());
    }

    public VerificationKey verificationKey() {
        return verificationKey;
    }

    /** The PKCS#8 PEM of this key (for tests and tools that must write one; the dashboard never does). */
    public String privatePem() {
        try {
            return Pem.write("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded("DER"));
        } catch (IOException e) {
            throw new IllegalStateException("encoding a private key in memory", e);
        }
    }

    /**
     * Signs the facts of one export file: the signature covers {@link ExportSignature#signedMessage()}
     * (its SHA-256, size, time and export id), not the file name.
     */
    public ExportSignature sign(String exportId, Instant created, String fileName, long fileSize, String fileSha256) {
        ExportSignature unsigned = new ExportSignature(ExportSignature.FORMAT, ExportSignature.ALGORITHM, verificationKey.fingerprint(),
                exportId, created, fileName, fileSize, fileSha256, new byte[64]);
        byte[] message = unsigned.signedMessage();
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return unsigned.withSignature(signer.generateSignature());
    }
}
