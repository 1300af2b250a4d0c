package org.swarmwatch.events.signature;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The detached signature of a dashboard export: a small JSON file (docs/dashboard.md,
 * "Signature file"). The Ed25519 signature covers {@link #signedMessage()}, a few lines of text
 * with the export file's SHA-256 and size, the time it was made and its export id, so that a
 * recipient can check it with openssl alone; the file name is not signed (files get renamed).
 *
 * @param format {@value #FORMAT}
 * @param algorithm {@value #ALGORITHM}
 * @param keyFingerprint SHA-256 of the signer's public key (SubjectPublicKeyInfo DER), hex
 * @param exportId the dashboard's id of the export (its audit record), 32 hex digits
 * @param created when the export was made
 * @param fileName the name the dashboard gave the file
 * @param fileSize the file's length in bytes
 * @param fileSha256 the file's SHA-256, 64 lower-case hex digits
 * @param signature the 64-byte Ed25519 signature of {@link #signedMessage()}
 */
public record ExportSignature(String format, String algorithm, String keyFingerprint, String exportId, Instant created, String fileName,
        long fileSize, String fileSha256, byte[] signature) {
    public static final String FORMAT = "swarmwatch-export-signature/1";
    public static final String ALGORITHM = "Ed25519";
    /** Longest signature file read; one is about 500 bytes. */
    public static final int MAX_BYTES = 16 * 1024;

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern EXPORT_ID = Pattern.compile("[0-9a-f]{32}");
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).maxStringLength(4096).build()).build();

    /**
     * The bytes the signature covers: UTF-8 text, each line ending in {@code \n}:
     *
     * <pre>
     * swarmwatch-export-signature/1
     * sha256 &lt;file_sha256&gt;
     * size &lt;file_size&gt;
     * created &lt;created, ISO-8601&gt;
     * export &lt;export_id&gt;
     * </pre>
     */
    public byte[] signedMessage() {
        return (FORMAT + "\nsha256 " + fileSha256 + "\nsize " + fileSize + "\ncreated " + created + "\nexport " + exportId + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    ExportSignature withSignature(byte[] value) {
        return new ExportSignature(format, algorithm, keyFingerprint, exportId, created, fileName, fileSize, fileSha256, value.clone());
    }

    /** The signature file's JSON, fields in a fixed order, ending in a newline. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("format", format);
            g.writeStringField("algorithm", algorithm);
            g.writeStringField("key_fingerprint", keyFingerprint);
            g.writeStringField("export_id", exportId);
            g.writeStringField("created", created.toString());
            g.writeStringField("file_name", fileName);
            g.writeNumberField("file_size", fileSize);
            g.writeStringField("file_sha256", fileSha256);
            g.writeStringField("signature", Base64.getEncoder().encodeToString(signature));
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** Reads a signature file (at most {@value #MAX_BYTES} bytes). */
    public static ExportSignature read(Path file) throws IOException, SignatureFormatException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(MAX_BYTES + 1);
            if (b.length > MAX_BYTES) {
                throw new SignatureFormatException(file + ": more than " + MAX_BYTES + " bytes, not a Swarmwatch signature file");
            }
            return parse(file.toString(), b);
        }
    }

    /**
     * Parses a signature file's JSON; {@code name} is for messages. Every field is required and
     * checked; an unknown field or one given twice is refused, so that nothing unsigned passes
     * for part of the signature.
     */
    public static ExportSignature parse(String name, byte[] json) throws SignatureFormatException {
        Map<String, Object> f = new HashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SignatureFormatException(name + ": not a Swarmwatch signature file (expected a JSON object)");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    throw new SignatureFormatException(name + ": not a Swarmwatch signature file (malformed JSON)");
                }
                String field = p.currentName();
                JsonToken v = p.nextToken();
                Object value = switch (v) {
                    case VALUE_STRING -> p.getText();
                    case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.INT || p.getNumberType() == JsonParser.NumberType.LONG
                            ? (Object) p.getLongValue() : "";
                    default -> throw new SignatureFormatException(name + ": field '" + shorten(field) + "' is not a string or a whole number");
                };
                if (f.put(field, value) != null) {
                    throw new SignatureFormatException(name + ": field '" + shorten(field) + "' given twice");
                }
            }
            if (p.nextToken() != null) {
                throw new SignatureFormatException(name + ": text after the JSON object");
            }
        } catch (IOException e) {
            throw new SignatureFormatException(name + ": not a Swarmwatch signature file (not JSON: " + firstLine(e.getMessage()) + ")", e);
        }
        String format = string(name, f, "format");
        if (!FORMAT.equals(format)) {
            throw new SignatureFormatException(name + ": format '" + shorten(format) + "', expected '" + FORMAT + "'");
        }
        String algorithm = string(name, f, "algorithm");
        if (!ALGORITHM.equals(algorithm)) {
            throw new SignatureFormatException(name + ": algorithm '" + shorten(algorithm) + "', expected '" + ALGORITHM + "'");
        }
        String fingerprint = matching(name, f, "key_fingerprint", HEX64, "64 lower-case hex digits");
        String exportId = matching(name, f, "export_id", EXPORT_ID, "32 lower-case hex digits");
        Instant created;
        try {
            created = Instant.parse(string(name, f, "created"));
        } catch (DateTimeParseException e) {
            throw new SignatureFormatException(name + ": created is not an ISO-8601 instant");
        }
        String fileName = string(name, f, "file_name");
        Object size = f.remove("file_size");
        if (!(size instanceof Long fileSize) || fileSize < 0) {
            throw new SignatureFormatException(name + ": file_size " + (size == null ? "missing" : "is not a byte count"));
        }
        String sha256 = matching(name, f, "file_sha256", HEX64, "64 lower-case hex digits");
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(string(name, f, "signature"));
        } catch (IllegalArgumentException e) {
            throw new SignatureFormatException(name + ": signature is not base64");
        }
        if (signature.length != 64) {
            throw new SignatureFormatException(name + ": signature has " + signature.length + " bytes, an Ed25519 signature has 64");
        }
        if (!f.isEmpty()) {
            throw new SignatureFormatException(name + ": unknown field '" + shorten(f.keySet().iterator().next()) + "'");
        }
        return new ExportSignature(format, algorithm, fingerprint, exportId, created, fileName, fileSize, sha256, signature);
    }

    private static String string(String name, Map<String, Object> f, String field) throws SignatureFormatException {
        Object v = f.remove(field);
        if (v == null) {
            throw new SignatureFormatException(name + ": field '" + field + "' missing");
        }
        if (!(v instanceof String s)) {
            throw new SignatureFormatException(name + ": field '" + field + "' is not a string");
        }
        return s;
    }

    private static String matching(String name, Map<String, Object> f, String field, Pattern p, String what) throws SignatureFormatException {
        String v = string(name, f, field);
        if (!p.matcher(v).matches()) {
            throw new SignatureFormatException(name + ": " + field + " is not " + what);
        }
        return v;
    }

    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExportSignature e && java.util.Arrays.equals(toJson(), e.toJson());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(toJson());
    }

    @Override
    public String toString() {
        return new String(toJson(), StandardCharsets.UTF_8);
    }
}
