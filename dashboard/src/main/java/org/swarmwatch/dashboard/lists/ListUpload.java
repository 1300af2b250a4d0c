package org.swarmwatch.dashboard.lists;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.swarmwatch.classifier.lists.ListFileException;
import org.swarmwatch.classifier.lists.ListLimits;
import org.swarmwatch.classifier.lists.ListLoader;
import org.swarmwatch.classifier.lists.ListVersion;
import org.swarmwatch.classifier.lists.SignaturePolicy;
import org.swarmwatch.classifier.lists.TrustedKeys;
import org.swarmwatch.dashboard.audit.AuditUnavailableException;
import org.swarmwatch.dashboard.audit.ListUploadAudit;

/**
 * A new rights-holder list from the compliance page into the classifier's list directory, after
 * the classifier's own checks: the same {@link ListLoader} (size, Ed25519 signature against the
 * same trusted keys, every row parsed and checked), run on the uploaded bytes before anything
 * reaches the directory. A list refused here never reaches the classifier; one accepted is
 * published the way docs/rights-lists.md asks (signature first, list last, each renamed into
 * place), and the classifier loads it at its next scan and records the version in
 * {@code swarmwatch-lists}.
 *
 * <p>The classifier still has the last word: it refuses a list whose id another file in the
 * directory holds, and records that rejection where the lists page shows it.
 */
@Service
public class ListUpload {
    private static final Logger LOG = LoggerFactory.getLogger(ListUpload.class);
    /** A plain file name: no directory, not hidden (the classifier ignores hidden files), a list extension. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,119}\\.(csv|json)");
    /** The classifier reads at most 1 KiB of a signature file. */
    private static final int MAX_SIGNATURE_BYTES = 1024;

    private final ListUploadProperties properties;
    private final ListUploadAudit audit;
    private final ListLoader loader;

    public ListUpload(ListUploadProperties properties, ListUploadAudit audit) throws IOException {
        this.properties = properties;
        this.audit = audit;
        if (properties.directory() == null) {
            this.loader = null;
            return;
        }
        if (!Files.isDirectory(properties.directory())) {
            throw new IllegalStateException("swarmwatch.dashboard.lists.directory: " + properties.directory() + " is not a directory");
        }
        if (properties.trustedKeys() == null && !properties.unsigned()) {
            throw new IllegalStateException("swarmwatch.dashboard.lists.directory is set but neither lists.trusted-keys nor "
                    + "lists.unsigned=true: set the classifier's --trusted-keys directory (or, in a lab, allow unsigned lists as the classifier does)");
        }
        TrustedKeys keys = properties.trustedKeys() == null ? TrustedKeys.none() : TrustedKeys.fromDirectory(properties.trustedKeys());
        long max = Math.min(properties.maxUploadBytes(), ListLimits.DEFAULTS.maxFileBytes());
        this.loader = new ListLoader(keys, properties.unsigned() ? SignaturePolicy.OPTIONAL : SignaturePolicy.REQUIRED,
                new ListLimits(max, ListLimits.DEFAULTS.maxFieldChars()), Clock.systemUTC());
    }

    /** Whether uploads are configured (a list directory is set). */
    public boolean enabled() {
        return loader != null;
    }

    /** Whether a list without a signature is accepted. */
    public boolean signatureRequired() {
        return !properties.unsigned();
    }

    public long maxUploadBytes() {
        return Math.min(properties.maxUploadBytes(), ListLimits.DEFAULTS.maxFileBytes());
    }

    /** What became of an upload: the version published, or why it was refused. */
    public record Outcome(ListVersion version, String refusal) {
        public boolean accepted() {
            return version != null;
        }
    }

    /**
     * Checks the list (and its signature, may be null), records the upload in the audit log and
     * publishes it under {@code fileName}. Never throws for a bad upload: the outcome names the
     * file, the line and what is wrong. Every outcome is in the audit log ({@link ListUploadAudit});
     * a list whose record the audit log does not take is not published.
     */
    public synchronized Outcome upload(Authentication user, String fileName, InputStream list, InputStream signature) {
        if (!enabled()) {
            return refused(user, fileName, "uploads are not configured (swarmwatch.dashboard.lists.directory)");
        }
        if (fileName == null || !FILE_NAME.matcher(fileName).matches()) {
            return refused(user, fileName, "file name '" + shorten(fileName) + "': expected a plain name ending in .csv or .json "
                    + "(letters, digits, '.', '_', '-'; at most 124 characters; not starting with a dot)");
        }
        Path dir = properties.directory();
        Path staging = null;
        try {
            // a hidden directory beside the lists (the classifier ignores it), so the final renames stay on one file system
            staging = Files.createTempDirectory(dir, ".upload-");
            Path file = staging.resolve(fileName);
            Path sig = ListLoader.signatureFile(file);
            String tooLarge = copyBounded(list, file, maxUploadBytes());
            if (tooLarge != null) {
                return refused(user, fileName, fileName + ": " + tooLarge);
            }
            if (signature != null) {
                String sigTooLarge = copyBounded(signature, sig, MAX_SIGNATURE_BYTES);
                if (sigTooLarge != null) {
                    return refused(user, fileName, sig.getFileName() + ": " + sigTooLarge + " (a signature file holds 88 base64 characters)");
                }
            }
            ListVersion version;
            try {
                version = loader.load(file).version();
            } catch (ListFileException refused) {
                return refused(user, fileName, refused.getMessage());
            }
            try {
                audit.accepted(user, version);
            } catch (AuditUnavailableException e) {
                return new Outcome(null, e.getMessage());
            }
            Path target = dir.resolve(fileName);
            Path targetSig = ListLoader.signatureFile(target);
            if (signature != null) {
                move(sig, targetSig);
            } else {
                // an old signature beside the new unsigned list would make the classifier refuse it
                Files.deleteIfExists(targetSig);
            }
            move(file, target);
            LOG.info("list upload by {}: {} list {} sha256 {} {} entries, signer {}", user.getName(), fileName, version.listId(), version.sha256(),
                    version.entryCount(), version.signer() == null ? "none (unsigned)" : version.signer().keyFile());
            return new Outcome(version, null);
        } catch (IOException e) {
            LOG.warn("list upload by {} of {} failed", user.getName(), fileName, e);
            String reason = fileName + ": could not be written to the list directory";
            audit.refused(user, fileName, reason);
            return new Outcome(null, reason);
        } finally {
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    /**
     * An upload refused before or instead of {@link #upload} (too large for the page's or the
     * container's limit, nothing chosen), recorded as every refusal is: logged with the user's
     * name and the reason, in the audit log, nothing written to the list directory.
     */
    public Outcome refused(Authentication user, String fileName, String reason) {
        LOG.info("list upload by {} of {} refused: {}", user.getName(), fileName == null ? "(no file name)" : shorten(fileName), reason);
        audit.refused(user, fileName == null ? null : shorten(fileName), reason);
        return new Outcome(null, reason);
    }

    /** Copies at most {@code max} bytes; what is wrong when there are more, null when it fits. */
    private static String copyBounded(InputStream in, Path to, long max) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (InputStream input = in; var out = Files.newOutputStream(to)) {
            int n;
            while ((n = input.read(buffer)) > 0) {
                total += n;
                if (total > max) {
                    return "more than the limit of " + max + " bytes";
                }
                out.write(buffer, 0, n);
            }
        }
        return null;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not remove the staging directory {}", dir, e);
        }
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
