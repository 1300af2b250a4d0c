package org.swarmwatch.events.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing, the signature file format and offline verification, including against openssl. */
class ExportSignatureTest {
    private static final String ID = "0123456789abcdef0123456789abcdef";
    private static final Instant CREATED = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path dir;

    private ExportSignature signFile(SigningKey key, Path file) throws Exception {
        return key.sign(ID, CREATED, file.getFileName().toString(), Files.size(file), ExportVerification.sha256(file));
    }

    private Path export(String content) throws Exception {
        return Files.writeString(dir.resolve("export.csv"), content);
    }

    @Test
    void aSignedFileVerifiesAndOneChangedByteDoesNot() throws Exception {
        SigningKey key = SigningKey.generate();
        Path file = export("id,subscriber\n1,sub_00\n");
        ExportSignature sig = signFile(key, file);
        ExportVerification.Result ok = ExportVerification.verify(file, sig, key.verificationKey());
        assertEquals(ExportVerification.Outcome.VALID, ok.outcome(), ok.message());
        assertTrue(ok.message().contains(key.verificationKey().fingerprint()), ok.message());

        byte[] b = Files.readAllBytes(file);
        b[3] ^= 0x01;
        Files.write(file, b);
        ExportVerification.Result tampered = ExportVerification.verify(file, sig, key.verificationKey());
        assertEquals(ExportVerification.Outcome.FILE_DOES_NOT_MATCH, tampered.outcome());
        assertTrue(tampered.message().contains("does not match its signature"), tampered.message());
    }

    @Test
    void anotherKeyIsNamed() throws Exception {
        Path file = export("x");
        ExportSignature sig = signFile(SigningKey.generate(), file);
        VerificationKey other = SigningKey.generate().verificationKey();
        ExportVerification.Result r = ExportVerification.verify(file, sig, other);
        assertEquals(ExportVerification.Outcome.OTHER_KEY, r.outcome());
        assertTrue(r.message().contains(sig.keyFingerprint()) && r.message().contains(other.fingerprint()), r.message());
    }

    @Test
    void anAlteredSignedFieldBreaksTheSignature() throws Exception {
        SigningKey key = SigningKey.generate();
        Path file = export("x");
        String json = new String(signFile(key, file).toJson(), StandardCharsets.UTF_8).replace("2026-11-23T12:00:00Z", "2026-11-22T12:00:00Z");
        ExportSignature altered = ExportSignature.parse("sig", json.getBytes(StandardCharsets.UTF_8));
        assertEquals(ExportVerification.Outcome.SIGNATURE_INVALID, ExportVerification.verify(file, altered, key.verificationKey()).outcome());
    }

    @Test
    void theFileFormatRoundTrips() throws Exception {
        SigningKey key = SigningKey.generate();
        ExportSignature sig = signFile(key, export("abc"));
        ExportSignature back = ExportSignature.parse("sig", sig.toJson());
        assertEquals(sig, back);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", back.fileSha256(), "SHA-256 of abc");
        assertEquals(3, back.fileSize());
        assertEquals(key.verificationKey().fingerprint(), back.keyFingerprint());
        assertArrayEquals(("swarmwatch-export-signature/1\nsha256 " + back.fileSha256() + "\nsize 3\ncreated 2026-11-23T12:00:00Z\nexport " + ID
                + "\n").getBytes(StandardCharsets.UTF_8), back.signedMessage());
    }

    @Test
    void malformedSignatureFilesAreNamedAndExplained() throws Exception {
        String good = new String(signFile(SigningKey.generate(), export("abc")).toJson(), StandardCharsets.UTF_8);
        assertMessage("not JSON", "%PDF-1.7 binary");
        assertMessage("expected a JSON object", "[1,2]");
        assertMessage("field 'signature' missing", good.replaceAll("(?m)^.*\"signature\".*$", "").replace("\",\n\n}", "\"\n}"));
        assertMessage("format 'other/2'", good.replace("swarmwatch-export-signature/1", "other/2"));
        assertMessage("algorithm 'RSA'", good.replace("\"Ed25519\"", "\"RSA\""));
        assertMessage("file_sha256 is not 64 lower-case hex digits", good.replaceAll("\"file_sha256\" : \"[0-9a-f]+\"", "\"file_sha256\" : \"xyz\""));
        assertMessage("signature is not base64", good.replaceAll("\"signature\" : \"[^\"]+\"", "\"signature\" : \"***\""));
        assertMessage("signature has 3 bytes", good.replaceAll("\"signature\" : \"[^\"]+\"", "\"signature\" : \"AAAA\""));
        assertMessage("unknown field 'comment'", good.replace("{", "{ \"comment\" : \"x\","));
        assertMessage("field 'format' given twice", good.replace("{", "{ \"format\" : \"x\","));
        assertMessage("created is not an ISO-8601 instant", good.replace("2026-11-23T12:00:00Z", "yesterday"));
        Path big = Files.write(dir.resolve("big.sig"), new byte[ExportSignature.MAX_BYTES + 1]);
        SignatureFormatException e = assertThrows(SignatureFormatException.class, () -> ExportSignature.read(big));
        assertTrue(e.getMessage().startsWith(big.toString()) && e.getMessage().contains("more than"), e.getMessage());
    }

    private static void assertMessage(String expected, String json) {
        SignatureFormatException e = assertThrows(SignatureFormatException.class,
                () -> ExportSignature.parse("the.sig", json.getBytes(StandardCharsets.UTF_8)), json);
        assertTrue(e.getMessage().startsWith("the.sig: ") && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void keysAreReadAsOpensslWritesThemAndAnyoneCanVerifyWithOpenssl() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "run scripts/system-deps.sh openssl");
        Path priv = dir.resolve("key.pem");
        Path pub = dir.resolve("key.pub.pem");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.toString());
        run("openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString());
        SigningKey key = SigningKey.read(priv);
        VerificationKey verification = VerificationKey.read(pub);
        assertEquals(verification.fingerprint(), key.verificationKey().fingerprint());
        run("sh", "-c", "openssl pkey -pubin -in '" + pub + "' -outform DER | sha256sum > '" + dir.resolve("fp") + "'");
        assertEquals(verification.fingerprint(), Files.readString(dir.resolve("fp")).split(" ")[0], "the fingerprint as documented");

        ExportSignature sig = signFile(key, export("incidents"));
        Files.write(dir.resolve("message"), sig.signedMessage());
        Files.write(dir.resolve("sig.bin"), sig.signature());
        assertEquals(0, run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin", "-in", dir.resolve("message").toString(),
                "-sigfile", dir.resolve("sig.bin").toString()), "openssl accepts the signature");
        byte[] m = sig.signedMessage();
        m[40] ^= 1;
        Files.write(dir.resolve("message"), m);
        assertTrue(run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin", "-in", dir.resolve("message").toString(),
                "-sigfile", dir.resolve("sig.bin").toString()) != 0, "openssl refuses a changed message");
    }

    @Test
    void badKeyFilesAreNamedAndExplained() throws Exception {
        SigningKey key = SigningKey.generate();
        SignatureFormatException e = assertThrows(SignatureFormatException.class, () -> VerificationKey.parse("k.pem", key.privatePem()));
        assertTrue(e.getMessage().contains("this is a private key"), e.getMessage());
        e = assertThrows(SignatureFormatException.class, () -> SigningKey.parse("k.pem", key.verificationKey().pem()));
        assertTrue(e.getMessage().contains("a 'PUBLIC KEY' block, expected an Ed25519 private key"), e.getMessage());
        e = assertThrows(SignatureFormatException.class, () -> SigningKey.parse("k.pem", "hello"));
        assertTrue(e.getMessage().contains("k.pem: no PEM block"), e.getMessage());
        e = assertThrows(SignatureFormatException.class, () -> SigningKey.parse("k.pem",
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n"));
        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
        Path rsa = dir.resolve("rsa.pem");
        run("openssl", "genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:1024", "-out", rsa.toString());
        e = assertThrows(SignatureFormatException.class, () -> SigningKey.read(rsa));
        assertTrue(e.getMessage().contains("expected Ed25519"), e.getMessage());
        assertEquals(key.verificationKey().fingerprint(), VerificationKey.parse("p", key.verificationKey().pem()).fingerprint());
        assertEquals(key.verificationKey().fingerprint(), SigningKey.parse("p", key.privatePem()).verificationKey().fingerprint());
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        if (p.exitValue() != 0 && !List.of(command).contains("-verify")) { // a verification may fail: its result is the answer
            throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
        }
        return p.exitValue();
    }
}
