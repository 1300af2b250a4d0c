package org.swarmwatch.dashboard.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON: {@code {"export": {...what, when, who, filter, incidents...}, "incidents": [ ...every
 * field of each incident, as GET /api/incidents/{id} gives it... ]}}, written as a stream.
 */
final class JsonIncidentWriter implements IncidentWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonGenerator g;
    private final ExportHeader header;

    JsonIncidentWriter(OutputStream out, ExportHeader header) {
        try {
            this.g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        g.useDefaultPrettyPrinter();
        this.header = header;
    }

    @Override
    public void begin(long incidents) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("export");
        g.writeStringField("id", header.id());
        g.writeStringField("created", header.created().toString());
        g.writeStringField("user", header.user());
        g.writeObjectField("roles", header.roles());
        g.writeObjectField("filter", header.filter());
        g.writeNumberField("incidents", incidents);
        g.writeStringField("signature_key_fingerprint", header.keyFingerprint());
        g.writeStringField("file_name", header.fileName());
        g.writeEndObject();
        g.writeArrayFieldStart("incidents");
    }

    @Override
    public void incident(Map<String, Object> incident) throws IOException {
        g.writeObject(incident);
    }

    @Override
    public void finish() throws IOException {
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
    }
}
