package org.swarmwatch.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.swarmwatch.events.signature.ExportSignature;
import org.swarmwatch.events.signature.ExportVerification;
import org.swarmwatch.events.signature.SignatureFormatException;
import org.swarmwatch.events.signature.VerificationKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code swarmwatch verify FILE SIGNATURE --key PUBLIC.pem}: checks a dashboard export against its
 * detached signature, offline (docs/dashboard.md, "Signature file"). The checking itself is
 * {@link ExportVerification}, in {@code events}, which the dashboard's tests use too.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Check a dashboard export (CSV, JSON or PDF) against its detached signature (.sig) and the signer's public key, "
                + "offline.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:valid: the key signed this file (prints the signer's key fingerprint)",
            "1:not valid: the file was altered, the signature file was altered, or another key signed it",
            "2:bad command line, or a file, key or signature file that cannot be read or is not in its format"})
final class VerifyCommand implements Callable<Integer> {
    static final int VALID = 0;
    static final int NOT_VALID = 1;
    static final int UNUSABLE = 2;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the exported file")
    Path file;

    @Parameters(index = "1", paramLabel = "SIGNATURE", description = "its signature file (JSON, from the dashboard)")
    Path signature;

    @Option(names = "--key", required = true, paramLabel = "PUBLIC.pem",
            description = "the signer's Ed25519 public key, PEM ('-----BEGIN PUBLIC KEY-----')")
    Path key;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            VerificationKey k = VerificationKey.read(key);
            ExportSignature s = ExportSignature.read(signature);
            ExportVerification.Result r = ExportVerification.verify(file, s, k);
            if (r.valid()) {
                out.println("VALID: " + r.message());
                out.println("signer key fingerprint: " + k.fingerprint());
                out.flush();
                return VALID;
            }
            err.println("NOT VALID: " + r.message());
            err.flush();
            return NOT_VALID;
        } catch (SignatureFormatException e) {
            err.println("swarmwatch verify: " + e.getMessage());
        } catch (NoSuchFileException e) {
            err.println("swarmwatch verify: " + e.getFile() + ": no such file");
        } catch (IOException e) {
            err.println("swarmwatch verify: cannot read: " + e);
        }
        err.flush();
        return UNUSABLE;
    }
}
