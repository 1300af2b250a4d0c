package org.swarmwatch.events.signature;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * An Ed25519 public key (RFC 8410 SubjectPublicKeyInfo, PEM {@code PUBLIC KEY} as
 * {@code openssl pkey -pubout} writes it) that checks export signatures. Its fingerprint is the
 * SHA-256 of that DER encoding, in hex, as the classifier names list signers: {@code openssl pkey
 * -pubin -in key.pem -outform DER | sha256sum} prints the same. Immutable.
 */
public final class VerificationKey {
    /** id-Ed25519, RFC 8410 section 3 (Bouncy Castle keeps its constant in bcutil, which this module does without). */
    static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
    private final Ed25519PublicKeyParameters key;
    private final byte[] encoded;
    private final String fingerprint;

    private VerificationKey(Ed25519PublicKeyParameters key) {
        this.key = key;
        try {
            this.encoded = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded("DER");
            this.fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded));
        } catch (IOException e) {
            throw new IllegalStateException("encoding a public key in memory", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static VerificationKey of(Ed25519PublicKeyParameters key) {
        return new VerificationKey(key);
    }

    /** Reads a PEM public key file (at most 16 KiB). */
    public static VerificationKey read(Path file) throws IOException, SignatureFormatException {
        return parse(file.toString(), Pem.readFile(file));
    }

    /** A PEM public key; {@code name} says where it came from, in messages. */
    public static VerificationKey parse(String name, String pem) throws SignatureFormatException {
        PemObject o = Pem.first(name, pem);
        if (!o.getType().equals("PUBLIC KEY")) {
            throw new SignatureFormatException(name + ": a '" + o.getType() + "' block, expected '-----BEGIN PUBLIC KEY-----'"
                    + (o.getType().contains("PRIVATE") ? " (this is a private key: give the public one, openssl pkey -in KEY -pubout)" : ""));
        }
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(o.getContent());
        } catch (RuntimeException e) {
            throw new SignatureFormatException(name + ": not a SubjectPublicKeyInfo structure", e);
        }
        if (!ED25519.equals(spki.getAlgorithm().getAlgorithm())) {
            throw new SignatureFormatException(name + ": algorithm " + spki.getAlgorithm().getAlgorithm() + ", expected Ed25519 (1.3.101.112)");
        }
        byte[] raw = spki.getPublicKeyData().getOctets();
        if (raw.length != Ed25519.PUBLIC_KEY_SIZE || !Ed25519.validatePublicKeyFull(raw, 0)) {
            throw new SignatureFormatException(name + ": not a valid Ed25519 public key");
        }
        return new VerificationKey(new Ed25519PublicKeyParameters(raw, 0));
    }

    /** SHA-256 of the SubjectPublicKeyInfo DER, 64 lower-case hex digits. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The PEM text ({@code -----BEGIN PUBLIC KEY-----}). */
    public String pem() {
        return Pem.write("PUBLIC KEY", encoded);
    }

    /** Whether {@code signature} is this key's pure Ed25519 signature (RFC 8032 section 5.1) of {@code message}. */
    boolean verifies(byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }
}
