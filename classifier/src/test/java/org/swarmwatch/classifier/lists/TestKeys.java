package org.swarmwatch.classifier.lists;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** An Ed25519 key pair made for one test (never written to the repository), and signing with it. */
final class TestKeys {
    private final AsymmetricCipherKeyPair pair;

    TestKeys() {
        Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
        g.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        pair = g.generateKeyPair();
    }

    /** The public key as {@code openssl pkey -pubout} writes it. */
    String publicPem() throws IOException {
        StringWriter out = new StringWriter();
        try (PemWriter pem = new PemWriter(out)) {
            pem.writeObject(new PemObject("PUBLIC KEY",
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic()).getEncoded("DER")));
        }
        return out.toString();
    }

    Path writePublic(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), publicPem());
    }

    byte[] sign(byte[] data) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, (Ed25519PrivateKeyParameters) pair.getPrivate());
        s.update(data, 0, data.length);
        return s.generateSignature();
    }

    /** Writes {@code FILE.sig} beside {@code file}: the base64 signature, as the docs' openssl pipeline makes. */
    void signFile(Path file) throws IOException {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(sign(Files.readAllBytes(file)));
        Files.writeString(ListLoader.signatureFile(file), b64 + "\n");
    }
}
