package org.swarmwatch.launcher.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The demo's rights-holder lists: two small lists naming the content of the shared lab captures
 * (one claimed by a fictional rights holder, one licensed), signed the way a rights holder signs
 * (a detached Ed25519 signature beside each file, docs/rights-lists.md) with a key pair made for
 * this run. Only the public key is written (into the classifier's trusted-keys directory); the
 * private key exists in memory while the lists are signed and nowhere else. So the demo runs the
 * classifier with signatures required, as production does.
 */
final class DemoLists {
    static final List<String> FILES = List.of("rights-list.csv", "licensed.csv");

    private DemoLists() {
    }

    /**
     * Writes the signed lists into {@code lists} and the public key into {@code trustedKeys}.
     *
     * @return the SHA-256 fingerprint of the signing key (as the classifier records it)
     */
    static String write(Path lists, Path trustedKeys) throws IOException {
        Files.createDirectories(lists);
        Files.createDirectories(trustedKeys);
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Signature signer = Signature.getInstance("Ed25519");
            for (String name : FILES) {
                byte[] content;
                try (InputStream in = DemoLists.class.getResourceAsStream("/demo/" + name)) {
                    if (in == null) {
                        throw new IOException("demo list " + name + " is missing from the launcher's resources");
                    }
                    content = in.readAllBytes();
                }
                signer.initSign(pair.getPrivate());
                signer.update(content);
                byte[] signature = signer.sign();
                // the signature first: a list without its signature would be rejected on a scan in between
                Files.writeString(lists.resolve(name + ".sig"), Base64.getEncoder().encodeToString(signature) + "\n");
                Files.write(lists.resolve(name), content);
            }
            byte[] publicKey = pair.getPublic().getEncoded(); // X.509 SubjectPublicKeyInfo
            String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(publicKey) + "\n-----END PUBLIC KEY-----\n";
            Files.writeString(trustedKeys.resolve("demo-rights-holder.pub.pem"), pem);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign the demo lists: this JVM lacks Ed25519 (" + e.getMessage() + ")", e);
        }
    }
}
