package org.swarmwatch.classifier.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detached Ed25519 signatures: good, missing, from an untrusted key, over a changed file, made by openssl. */
class ListSignatureTest {
    static final String LIST = ListFormatTest.HEADER + ListFormatTest.V1 + ",btih_v1,Film,Acme,acme,,,incident\n";

    @TempDir
    Path dir;

    private final TestKeys acme = new TestKeys();
    private final TestKeys other = new TestKeys();

    ListLoader loader(SignaturePolicy policy) throws IOException {
        acme.writePublic(dir.resolve("keys"), "acme.pem");
        return new ListLoader(TrustedKeys.fromDirectory(dir.resolve("keys")), policy, ListLimits.DEFAULTS,
                Clock.systemUTC());
    }

    @Test
    void signedByATrustedKeyLoadsAndRecordsTheSigner() throws Exception {
        Path f = Files.writeString(dir.resolve("acme.csv"), LIST);
        acme.signFile(f);
        ListLoader.Loaded loaded = loader(SignaturePolicy.REQUIRED).load(f);
        Signer signer = loaded.version().signer();
        assertEquals("acme.pem", signer.keyFile());
        byte[] der = java.util.Base64.getMimeDecoder().decode(acme.publicPem()
                .replaceAll("-----[A-Z ]+-----", ""));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)), signer.fingerprint());
        assertEquals(1, loaded.list().size());
    }

    @Test
    void unsignedWhenRequiredIsRejected() throws Exception {
        Path f = Files.writeString(dir.resolve("acme.csv"), LIST);
        ListFileException e = assertThrows(ListFileException.class, () -> loader(SignaturePolicy.REQUIRED).load(f));
        assertEquals("acme.csv: unsigned: acme.csv.sig is missing and signatures are required", e.getMessage());
    }

    @Test
    void unsignedWhenOptionalLoadsWithoutSigner() throws Exception {
        Path f = Files.writeString(dir.resolve("acme.csv"), LIST);
        assertNull(loader(SignaturePolicy.OPTIONAL).load(f).version().signer());
    }

    @Test
    void signedByAnUntrustedKeyIsRejectedEvenWhenOptional() throws Exception {
        Path f = Files.writeString(dir.resolve("acme.csv"), LIST);
        other.signFile(f);
        ListFileException e = assertThrows(ListFileException.class, () -> loader(SignaturePolicy.OPTIONAL).load(f));
        assertTrue(e.getMessage().startsWith("acme.csv: bad signature: acme.csv.sig does not verify with any of the 1"
                + " trusted key(s) [acme.pem]"), e.getMessage());
    }

    @Test
    void aFileChangedAfterSigningIsRejected() throws Exception {
        Path f = Files.writeString(dir.resolve("acme.csv"), LIST);
        acme.signFile(f);
        Files.writeString(f, LIST.replace("Film", "Filn"));
        ListFileException e = assertThrows(ListFileException.class, () -> loader(SignaturePolicy.REQUIRED).load(f));
        assertTrue(e.getMessage().contains("bad signature"), e.getMessage());
    }

    @Test
    void aSignatureFileThatIsNotASignatureIsRejected() throws Exception {
        Path f = Files.writeString(dir.resolve("acme.csv"), LIST);
        Files.writeString(ListLoader.signatureFile(f), "bm90IGEgc2lnbmF0dXJl\n");
        ListFileException e = assertThrows(ListFileException.class, () -> loader(SignaturePolicy.REQUIRED).load(f));
        assertEquals("acme.csv: acme.csv.sig holds 15 bytes, an Ed25519 signature has 64", e.getMessage());
        Files.writeString(ListLoader.signatureFile(f), "%%%\n");
        e = assertThrows(ListFileException.class, () -> loader(SignaturePolicy.REQUIRED).load(f));
        assertTrue(e.getMessage().startsWith("acme.csv: acme.csv.sig is not base64"), e.getMessage());
    }

    @Test
    void aKeyFileThatIsNotAnEd25519PublicKeyStopsTheStart() throws Exception {
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/broken.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        IOException e = assertThrows(IOException.class, () -> TrustedKeys.fromDirectory(dir.resolve("keys")));
        assertTrue(e.getMessage().startsWith("trusted key broken.pem: "), e.getMessage());
    }

    /** The commands docs/rights-lists.md gives a rights holder, run for real. */
    @Test
    void aListSignedWithOpensslVerifies() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "no /usr/bin/openssl");
        Path work = Files.createDirectories(dir.resolve("holder"));
        Path keys = Files.createDirectories(dir.resolve("trusted"));
        Path f = Files.writeString(dir.resolve("acme.csv"), LIST);
        sh(work, "openssl genpkey -algorithm ed25519 -out key.pem");
        sh(work, "openssl pkey -in key.pem -pubout -out " + keys.resolve("acme.pub.pem"));
        sh(work, "openssl pkeyutl -sign -inkey key.pem -rawin -in " + f + " | base64 > " + f + ".sig");
        String opensslFingerprint = sh(work, "openssl pkey -pubin -in " + keys.resolve("acme.pub.pem")
                + " -outform DER | sha256sum").split(" ")[0];

        ListLoader loader = new ListLoader(TrustedKeys.fromDirectory(keys), SignaturePolicy.REQUIRED,
                ListLimits.DEFAULTS, Clock.systemUTC());
        ListVersion v = loader.load(f).version();
        assertEquals(new Signer("acme.pub.pem", opensslFingerprint), v.signer());

        Files.writeString(f, LIST + ListFormatTest.V2 + ",btih_v2,Sequel,Acme,acme,,,incident\n");
        assertThrows(ListFileException.class, () -> loader.load(f));
    }

    private static String sh(Path cwd, String command) throws Exception {
        Process p = new ProcessBuilder(List.of("/bin/sh", "-c", command)).directory(cwd.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), command);
        assertEquals(0, p.exitValue(), () -> command + ": " + out);
        return out;
    }
}
