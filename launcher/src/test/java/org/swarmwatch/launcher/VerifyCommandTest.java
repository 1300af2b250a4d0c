package org.swarmwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.events.signature.ExportVerification;
import org.swarmwatch.events.signature.SigningKey;

/**
 * {@code swarmwatch verify} as a person runs it, in its own JVM: an export signed as the dashboard
 * signs it (the same {@link SigningKey}; the dashboard's ExportApiTest checks its real exports with
 * the same verification), then one byte changed, another key, a broken signature file, a missing
 * file and a private key given for the public one. Each answer: its exit code and a clear message.
 */
class VerifyCommandTest {
    @TempDir
    Path dir;
    Path file;
    Path sig;
    Path pub;
    SigningKey key;

    record Run(int exit, String out, String err) {
    }

    static Run verify(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Swarmwatch.class.getName(), "verify"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("swarmwatch verify did not finish in 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @BeforeEach
    void signedExport() throws Exception {
        key = SigningKey.generate();
        file = Files.writeString(dir.resolve("swarmwatch-incidents.csv"), "id,subscriber,title\n0123,sub_00ff,Test Film One\n");
        sig = Files.write(dir.resolve("swarmwatch-incidents.csv.sig"), key.sign("0123456789abcdef0123456789abcdef", Instant.now(),
                file.getFileName().toString(), Files.size(file), ExportVerification.sha256(file)).toJson());
        pub = Files.writeString(dir.resolve("public.pem"), key.verificationKey().pem());
    }

    @Test
    void aValidExportSaysItsSigner() throws Exception {
        Run r = verify(dir, file.toString(), sig.toString(), "--key", pub.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("VALID") && r.out().contains("signer key fingerprint: " + key.verificationKey().fingerprint()), r.out());
    }

    @Test
    void oneChangedByteIsRefused() throws Exception {
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 0x20;
        Files.write(file, b);
        Run r = verify(dir, file.toString(), sig.toString(), "--key", pub.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("NOT VALID") && r.err().contains(file + " does not match its signature"), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @Test
    void anotherKeyIsRefusedAndNamed() throws Exception {
        SigningKey other = SigningKey.generate();
        Path otherPub = Files.writeString(dir.resolve("other.pem"), other.verificationKey().pem());
        Run r = verify(dir, file.toString(), sig.toString(), "--key", otherPub.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("made by key " + key.verificationKey().fingerprint() + ", not by the given key "
                + other.verificationKey().fingerprint()), r.err());
    }

    @Test
    void anAlteredSignatureFileIsRefused() throws Exception {
        Files.writeString(sig, Files.readString(sig).replace("swarmwatch-incidents.csv\"", "renamed.csv\"").replaceFirst("\"created\" : \"(\\d{4})",
                "\"created\" : \"1999"));
        Run r = verify(dir, file.toString(), sig.toString(), "--key", pub.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("the signature file is not valid for key") && r.err().contains("altered"), r.err());
    }

    @Test
    void malformedOrMissingFilesAreNamed() throws Exception {
        Files.writeString(sig, "not a signature\n");
        Run r = verify(dir, file.toString(), sig.toString(), "--key", pub.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(sig + ": not a Swarmwatch signature file"), r.err());

        Path missing = dir.resolve("nothing.sig");
        r = verify(dir, file.toString(), missing.toString(), "--key", pub.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(missing + ": no such file"), r.err());

        Path priv = Files.writeString(dir.resolve("private.pem"), key.privatePem());
        r = verify(dir, file.toString(), sig.toString(), "--key", priv.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("this is a private key"), r.err());

        r = verify(dir, file.toString(), sig.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--key"), r.err());

        r = verify(dir, "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("1   not valid: the file was altered") && !r.out().contains("capture"), "its own exit codes: " + r.out());
    }
}
