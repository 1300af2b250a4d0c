package org.swarmwatch.classifier.lists;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Loads one list file: checks its size, its detached signature ({@code FILE.sig}) against the
 * trusted keys, then parses it. Thread-safe; holds no state between loads.
 *
 * <p>A signed file is read once into memory and verified, hashed and parsed from that one array,
 * so that a file replaced between the check and the parse cannot slip in (see {@link ListLimits}
 * for why it must be whole). An unsigned file ({@link SignaturePolicy#OPTIONAL}) is streamed.
 */
public final class ListLoader {
    /** A signature file holds 88 base64 characters and a line break or two. */
    private static final int MAX_SIGNATURE_FILE_BYTES = 1024;

    private final TrustedKeys keys;
    private final SignaturePolicy policy;
    private final ListLimits limits;
    private final Clock clock;

    public ListLoader(TrustedKeys keys, SignaturePolicy policy, ListLimits limits, Clock clock) {
        this.keys = keys;
        this.policy = policy;
        this.limits = limits;
        this.clock = clock;
    }

    /** A loaded list and the record of its version. */
    public record Loaded(RightsList list, ListVersion version) {
    }

    /** The signature file that goes with {@code listFile}: the same name plus {@code .sig}. */
    public static Path signatureFile(Path listFile) {
        return listFile.resolveSibling(listFile.getFileName() + ".sig");
    }

    /**
     * Loads {@code file}, whose format its extension tells.
     *
     * @throws ListFileException when it is missing, too large, unsigned while signatures are
     *     required, badly signed, malformed or inconsistent; the message names the file, the line
     *     and the field where there is one
     */
    public Loaded load(Path file) throws ListFileException {
        String name = file.getFileName().toString();
        ListFormat format = ListFormat.ofFileName(name);
        if (format == null) {
            throw new ListFileException(name, 0, null, "not a list file name (expected .csv or .json)");
        }
        try {
            long size = Files.size(file);
            if (size > limits.maxFileBytes()) {
                throw new ListFileException(name, 0, null,
                        size + " bytes, more than the limit of " + limits.maxFileBytes());
            }
            Path sigFile = signatureFile(file);
            byte[] signature = Files.exists(sigFile) ? readSignature(name, sigFile) : null;
            if (signature == null && policy == SignaturePolicy.REQUIRED) {
                throw new ListFileException(name, 0, null, "unsigned: " + sigFile.getFileName()
                        + " is missing and signatures are required");
            }
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            Signer signer = null;
            InputStream in;
            Bounded streamed = null;
            if (signature != null) {
                byte[] data = readWhole(name, file, size);
                signer = keys.verify(data, data.length, signature);
                if (signer == null) {
                    throw new ListFileException(name, 0, null, "bad signature: " + sigFile.getFileName()
                            + " does not verify with any of the " + keys.size() + " trusted key(s) "
                            + keys.signers().stream().map(Signer::keyFile).toList()
                            + "; the file was changed after signing, or signed with another key");
                }
                sha256.update(data);
                in = new ByteArrayInputStream(data);
            } else {
                streamed = new Bounded(Files.newInputStream(file), limits.maxFileBytes(), name);
                in = new DigestInputStream(new BufferedInputStream(streamed, 1 << 16), sha256);
            }
            try (InputStream input = in) {
                RightsListBuilder builder;
                String description = null;
                if (format == ListFormat.CSV) {
                    builder = CsvListParser.parse(input, name, limits);
                } else {
                    JsonListParser.Parsed parsed = JsonListParser.parse(input, name, limits);
                    builder = parsed.builder();
                    description = parsed.description();
                }
                // the digest covers the whole file, even bytes after a JSON list's end
                input.transferTo(OutputStream.nullOutputStream());
                long length = streamed == null ? size : streamed.count;
                RightsList list = builder.build();
                int allow = 0;
                for (int i = 0; i < list.size(); i++) {
                    if (list.action(i) == ListAction.ALLOW) {
                        allow++;
                    }
                }
                ListVersion version = new ListVersion(list.listId(), name, format,
                        HexFormat.of().formatHex(sha256.digest()), length, signer, list.size(), list.size() - allow,
                        allow, builder.duplicateRows(), description, clock.instant());
                return new Loaded(list, version);
            }
        } catch (NoSuchFileException e) {
            throw new ListFileException(name, 0, null, "disappeared while being read");
        } catch (IOException e) {
            throw new ListFileException(name, 0, null, "cannot be read: " + e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private byte[] readSignature(String name, Path sigFile) throws IOException, ListFileException {
        if (Files.size(sigFile) > MAX_SIGNATURE_FILE_BYTES) {
            throw new ListFileException(name, 0, null, sigFile.getFileName() + " is larger than "
                    + MAX_SIGNATURE_FILE_BYTES + " bytes; it should hold a 64-byte signature in base64");
        }
        String text = new String(Files.readAllBytes(sigFile), StandardCharsets.US_ASCII).replaceAll("\\s", "");
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ListFileException(name, 0, null, sigFile.getFileName() + " is not base64 (" + e.getMessage()
                    + ")");
        }
        if (sig.length != 64) {
            throw new ListFileException(name, 0, null, sigFile.getFileName() + " holds " + sig.length
                    + " bytes, an Ed25519 signature has 64");
        }
        return sig;
    }

    private static byte[] readWhole(String name, Path file, long size) throws IOException, ListFileException {
        byte[] data = new byte[(int) size];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(data, 0, data.length);
            if (n != data.length || in.read() >= 0) {
                throw new ListFileException(name, 0, null, "changed size while being read");
            }
        }
        return data;
    }

    /** Fails the read when a file grows past the limit after its size was checked. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private final String name;
        private long count;

        Bounded(InputStream in, long limit, String name) {
            super(in);
            this.limit = limit;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            count += n;
            if (count > limit) {
                throw new IOException(name + " grew past the limit of " + limit + " bytes while being read");
            }
        }
    }
}
