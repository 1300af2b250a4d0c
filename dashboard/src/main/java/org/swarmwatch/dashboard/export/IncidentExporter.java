package org.swarmwatch.dashboard.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Service;
import org.swarmwatch.dashboard.api.IncidentQueries;
import org.swarmwatch.dashboard.audit.AuditLog;
import org.swarmwatch.events.signature.ExportSignature;
import org.swarmwatch.events.signature.ExportVerification;
import org.swarmwatch.events.signature.SignatureFormatException;
import org.swarmwatch.events.signature.SigningKey;

/**
 * Makes one export: the incidents of a filter written to a temporary file (never held in memory)
 * through SHA-256, signed, and recorded in the audit index, in that order, before a byte of it
 * is handed out; a failure anywhere deletes the file and hands out nothing. Bounded by
 * {@code swarmwatch.exports.max-rows} per export and {@code max-concurrent} exports at once.
 */
@Service
public class IncidentExporter {
    /** The audit action of an export. */
    public static final String ACTION = "incidents.export";
    private static final int PAGE = 500;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final IncidentQueries queries;
    private final ExportSigner signer;
    private final AuditLog audit;
    private final ExportProperties properties;
    private final Semaphore running;
    private final Clock clock;

    public IncidentExporter(IncidentQueries queries, ExportSigner signer, AuditLog audit, ExportProperties properties) {
        this.queries = queries;
        this.signer = signer;
        this.audit = audit;
        this.properties = properties;
        this.running = new Semaphore(properties.maxConcurrent());
        this.clock = Clock.systemUTC();
    }

    /** The audit record of an export: who, when, roles, filter, format, rows, size, SHA-256, key; and the signature file itself. */
    private static AuditLog.Event auditEvent(ExportHeader header, ExportFormat format, long rows, ExportSignature signature) {
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("id", header.id());
        export.put("format", format.extension());
        export.put("filter", header.filter());
        export.put("rows", rows);
        export.put("bytes", signature.fileSize());
        export.put("sha256", signature.fileSha256());
        export.put("file_name", header.fileName());
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("algorithm", signature.algorithm());
        sig.put("key_fingerprint", signature.keyFingerprint());
        sig.put("file", new String(signature.toJson(), StandardCharsets.UTF_8));
        return new AuditLog.Event(header.id(), header.created(), ACTION, header.user(), header.roles(), Map.of("export", export, "signature", sig));
    }

    /** The signature of the export {@code id}, from its audit record; empty for an unknown id. */
    public Optional<ExportSignature> signature(String id) throws IOException {
        Optional<Map<String, Object>> record = audit.find(id);
        if (record.isEmpty() || !(IncidentFields.value(record.get(), AuditLog.SIGNATURE_FILE) instanceof String file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ExportSignature.parse("audit record " + id, file.getBytes(StandardCharsets.UTF_8)));
        } catch (SignatureFormatException e) {
            throw new IllegalStateException("the audit record of export " + id + " holds no readable signature: " + e.getMessage(), e);
        }
    }

    /** A made export: its file (deleted by {@link #close}), name, format, incident count and signature. */
    public record Export(Path file, String fileName, ExportFormat format, long rows, ExportSignature signature) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            Files.deleteIfExists(file);
        }
    }

    /**
     * @param filterParameters the filter as the request gave it (parameter name to value), for
     *     the file, the audit record and a person reading either
     * @throws ExportRefusedException 503 without a signing key or with too many exports running,
     *     400 when the filter matches more than {@code max-rows} incidents
     */
    public Export export(IncidentQueries.Filter filter, Map<String, String> filterParameters, ExportFormat format, String user, List<String> roles)
            throws IOException {
        SigningKey key = signer.required();
        if (!running.tryAcquire()) {
            throw new ExportRefusedException(503, "the dashboard is already making " + properties.maxConcurrent()
                    + " exports (swarmwatch.exports.max-concurrent); try again in a moment");
        }
        try {
            byte[] random = new byte[16];
            RANDOM.nextBytes(random);
            String id = HexFormat.of().formatHex(random);
            Instant created = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            String fileName = "swarmwatch-incidents-" + FILE_TIME.format(created) + "-" + id.substring(0, 8) + "." + format.extension();
            ExportHeader header = new ExportHeader(id, created, user, roles, new LinkedHashMap<>(filterParameters),
                    key.verificationKey().fingerprint(), fileName);
            Path file = Files.createTempFile("swarmwatch-export-", "." + format.extension());
            try {
                MessageDigest sha256 = ExportVerification.sha256();
                long[] rows = {0};
                try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file)), sha256);
                        IncidentWriter writer = format.writer(out, header)) {
                    queries.scan(filter, properties.maxRows(), PAGE, new IncidentQueries.Scan() {
                        @Override
                        public void total(long total) throws IOException {
                            writer.begin(total);
                        }

                        @Override
                        public void incident(Map<String, Object> incident) throws IOException {
                            writer.incident(incident);
                            rows[0]++;
                        }
                    });
                    writer.finish();
                } catch (IncidentQueries.TooManyIncidents e) {
                    throw new ExportRefusedException(400, "the filter matches " + e.total() + " incidents, more than the " + properties.maxRows()
                            + " an export may hold (swarmwatch.exports.max-rows): narrow the filter");
                }
                String digest = HexFormat.of().formatHex(sha256.digest());
                ExportSignature signature = key.sign(id, created, fileName, Files.size(file), digest);
                audit.record(auditEvent(header, format, rows[0], signature));
                return new Export(file, fileName, format, rows[0], signature);
            } catch (IOException | RuntimeException | Error e) {
                Files.deleteIfExists(file);
                throw e;
            }
        } finally {
            running.release();
        }
    }
}
