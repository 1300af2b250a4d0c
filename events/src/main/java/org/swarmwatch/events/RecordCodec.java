package org.swarmwatch.events;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of {@link ProbeRecord}s: one object per record, nested objects for the ECS field
 * paths ({@code source.ip} is {@code {"source":{"ip":...}}}). docs/events.md is the reference.
 *
 * <p>Reading is strict about what it needs and lenient about what it does not know: a missing or
 * mistyped required field, an unknown record type or a newer schema version is a
 * {@link RecordFormatException} naming the field; unknown extra fields are ignored so that older
 * readers accept additions within a schema version. Input is bounded (size, nesting, string and
 * number lengths) so that a hostile record cannot exhaust memory. Thread-safe.
 */
public final class RecordCodec {

    /** Largest record accepted by {@link #decode}: far above any record a probe writes. */
    public static final int MAX_RECORD_BYTES = 1 << 20;

    private final JsonFactory factory;

    public RecordCodec() {
        factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(16)
                        .maxStringLength(64 * 1024)
                        .maxNumberLength(32)
                        .maxNameLength(256)
                        .build())
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build();
    }

    /** Writes one record as a single line of JSON followed by '\n'. */
    public void writeLine(ProbeRecord record, OutputStream out) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            write(record, g);
        }
        out.write('\n');
    }

    public byte[] encode(ProbeRecord record) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
        try (JsonGenerator g = factory.createGenerator(buffer, JsonEncoding.UTF8)) {
            write(record, g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return buffer.toByteArray();
    }

    public String encodeToString(ProbeRecord record) {
        return new String(encode(record), StandardCharsets.UTF_8);
    }

    private void write(ProbeRecord record, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("schema", ProbeRecord.SCHEMA_VERSION);
        g.writeStringField("type", record.type().wireName());
        g.writeStringField("@timestamp", record.timestamp().toString());
        g.writeObjectFieldStart("observer");
        g.writeStringField("name", record.observer());
        g.writeEndObject();
        if (record instanceof FlowRecord f) {
            writeFlow(f, g);
        } else if (record instanceof ObservationRecord o) {
            writeObservation(o, g);
        } else {
            writeStats((StatsRecord) record, g);
        }
        g.writeEndObject();
    }

    private static void writeFlow(FlowRecord f, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("event");
        g.writeStringField("start", f.start().toString());
        g.writeStringField("end", f.end().toString());
        g.writeNumberField("duration", Duration.between(f.start(), f.end()).toNanos());
        g.writeStringField("reason", f.reason().wireName());
        g.writeEndObject();
        g.writeObjectFieldStart("network");
        g.writeStringField("type", "ipv" + f.ipVersion());
        g.writeStringField("transport", f.transport());
        g.writeStringField("iana_number", Integer.toString(f.ianaNumber()));
        g.writeStringField("protocol", f.protocol());
        g.writeNumberField("packets", f.packets());
        g.writeNumberField("bytes", f.bytes());
        if (f.vlanId() >= 0) {
            g.writeObjectFieldStart("vlan");
            g.writeStringField("id", Integer.toString(f.vlanId()));
            g.writeEndObject();
        }
        g.writeEndObject();
        writeEndpoint("source", f.source(), true, g);
        writeEndpoint("destination", f.destination(), true, g);
        g.writeObjectFieldStart("swarmwatch");
        g.writeStringField("addresses", f.addressMode().wireName());
        writeSubscriberSide(f.source(), f.destination(), g);
        g.writeObjectFieldStart("flow");
        g.writeStringField("id", f.flowId());
        g.writeNumberField("segment", f.segment());
        g.writeArrayFieldStart("encapsulation");
        for (String e : f.encapsulation()) {
            g.writeString(e);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeObservation(ObservationRecord o, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("network");
        g.writeStringField("transport", o.transport());
        g.writeStringField("protocol", o.protocol());
        g.writeEndObject();
        writeEndpoint("source", o.source(), false, g);
        writeEndpoint("destination", o.destination(), false, g);
        g.writeStringField("hash", o.hash().hex());
        g.writeStringField("hash_kind", o.hash().kind().wireName());
        g.writeStringField("seen_in", o.seenIn());
        g.writeStringField("role", o.role().wireName());
        g.writeNumberField("confidence", o.confidence());
        if (o.client() != null) {
            g.writeStringField("client", o.client());
        }
        g.writeObjectFieldStart("swarmwatch");
        g.writeStringField("addresses", o.addressMode().wireName());
        writeSubscriberSide(o.source(), o.destination(), g);
        g.writeObjectFieldStart("flow");
        g.writeStringField("id", o.flowId());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeStats(StatsRecord s, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("event");
        g.writeStringField("start", s.start().toString());
        g.writeStringField("end", s.end().toString());
        g.writeEndObject();
        g.writeObjectFieldStart("network");
        g.writeNumberField("packets", s.packets());
        g.writeNumberField("bytes", s.bytes());
        g.writeEndObject();
        g.writeObjectFieldStart("swarmwatch");
        g.writeStringField("addresses", s.addressMode().wireName());
        g.writeObjectFieldStart("stats");
        g.writeStringField("source", s.captureSource());
        if (s.captureReceived() != null || s.captureDropped() != null || s.interfaceDropped() != null) {
            g.writeObjectFieldStart("capture");
            writeOptional("received", s.captureReceived(), g);
            writeOptional("dropped", s.captureDropped(), g);
            writeOptional("interface_dropped", s.interfaceDropped(), g);
            g.writeEndObject();
        }
        g.writeObjectFieldStart("flows");
        g.writeNumberField("active", s.flowsActive());
        g.writeNumberField("created", s.flowsCreated());
        g.writeNumberField("exported", s.flowsExported());
        g.writeNumberField("evicted", s.flowsEvicted());
        g.writeEndObject();
        g.writeObjectFieldStart("decode");
        for (Map.Entry<String, Long> e : s.decode().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("protocols");
        for (Map.Entry<String, StatsRecord.ProtocolCounters> e : s.protocols().entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            g.writeNumberField("flows", e.getValue().flows());
            g.writeNumberField("packets", e.getValue().packets());
            g.writeNumberField("bytes", e.getValue().bytes());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeOptional(String name, Long value, JsonGenerator g) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value);
        }
    }

    private static void writeEndpoint(String name, Endpoint e, boolean counters, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("address", e.address());
        if (e.ip() != null) {
            g.writeStringField("ip", e.ip());
        }
        g.writeNumberField("port", e.port());
        if (counters) {
            g.writeNumberField("packets", e.packets());
            g.writeNumberField("bytes", e.bytes());
        }
        g.writeEndObject();
    }

    /** {@code swarmwatch.subscriber}: which side(s) lie in the subscriber networks. */
    private static void writeSubscriberSide(Endpoint source, Endpoint destination, JsonGenerator g) throws IOException {
        String side = source.subscriber()
                ? (destination.subscriber() ? "both" : "source")
                : (destination.subscriber() ? "destination" : "none");
        g.writeStringField("subscriber", side);
    }

    // ---------------------------------------------------------------- reading

    /** Reads one record; {@code json} must hold exactly one JSON object. */
    public ProbeRecord decode(byte[] json) throws RecordFormatException {
        if (json.length > MAX_RECORD_BYTES) {
            throw new RecordFormatException("record of " + json.length + " bytes exceeds the limit of " + MAX_RECORD_BYTES);
        }
        Map<String, Object> root;
        try (JsonParser p = factory.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new RecordFormatException("a record must be a JSON object");
            }
            root = readObject(p);
            if (p.nextToken() != null) {
                throw new RecordFormatException("trailing data after the record's JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RecordFormatException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RecordFormatException("not valid JSON: " + e.getMessage(), e);
        }
        Fields f = new Fields(root, "");
        long schema = f.requireLong("schema");
        if (schema < 1 || schema > ProbeRecord.SCHEMA_VERSION) {
            throw new RecordFormatException("schema version " + schema + " is not supported (this reader knows 1.."
                    + ProbeRecord.SCHEMA_VERSION + ")");
        }
        RecordType type;
        try {
            type = RecordType.fromWire(f.requireString("type"));
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException("field 'type': " + e.getMessage());
        }
        try {
            return switch (type) {
                case FLOW -> readFlow(f);
                case OBSERVATION -> readObservation(f);
                case STATS -> readStats(f);
            };
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RecordFormatException(type.wireName() + " record: " + e.getMessage(), e);
        }
    }

    public ProbeRecord decode(String json) throws RecordFormatException {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static FlowRecord readFlow(Fields f) throws RecordFormatException {
        Fields sw = f.object("swarmwatch");
        String subscriberSide = sw.requireString("subscriber");
        List<String> encapsulation = new ArrayList<>();
        for (Object o : sw.object("flow").optionalList("encapsulation")) {
            if (!(o instanceof String s)) {
                throw new RecordFormatException("field 'swarmwatch.flow.encapsulation' must hold strings");
            }
            encapsulation.add(s);
        }
        Fields network = f.object("network");
        String type = network.requireString("type");
        int ipVersion = switch (type) {
            case "ipv4" -> 4;
            case "ipv6" -> 6;
            default -> throw new RecordFormatException("field 'network.type' must be ipv4 or ipv6, got '" + type + "'");
        };
        Fields vlan = network.optionalObject("vlan");
        return new FlowRecord(
                f.object("observer").requireString("name"),
                addressMode(sw),
                sw.object("flow").requireString("id"),
                (int) sw.object("flow").requireLong("segment"),
                f.object("event").requireInstant("start"),
                f.object("event").requireInstant("end"),
                enumValue(f.object("event"), "reason", FlowEndReason::fromWire),
                ipVersion,
                network.requireString("transport"),
                network.requireIntString("iana_number"),
                network.requireString("protocol"),
                readEndpoint(f.object("source"), subscriberSide, "source", true),
                readEndpoint(f.object("destination"), subscriberSide, "destination", true),
                vlan == null ? -1 : vlan.requireIntString("id"),
                encapsulation);
    }

    private static ObservationRecord readObservation(Fields f) throws RecordFormatException {
        Fields sw = f.object("swarmwatch");
        String subscriberSide = sw.requireString("subscriber");
        Fields network = f.object("network");
        HashKind kind = enumValue(f, "hash_kind", HashKind::fromWire);
        return new ObservationRecord(
                f.object("observer").requireString("name"),
                addressMode(sw),
                f.requireInstant("@timestamp"),
                sw.object("flow").requireString("id"),
                network.requireString("transport"),
                network.requireString("protocol"),
                readEndpoint(f.object("source"), subscriberSide, "source", false),
                readEndpoint(f.object("destination"), subscriberSide, "destination", false),
                new ContentHash(kind, f.requireString("hash")),
                f.requireString("seen_in"),
                enumValue(f, "role", ObservationRole::fromWire),
                f.requireDouble("confidence"),
                f.optionalString("client"));
    }

    private static StatsRecord readStats(Fields f) throws RecordFormatException {
        Fields sw = f.object("swarmwatch");
        Fields stats = sw.object("stats");
        Fields capture = stats.optionalObject("capture");
        Fields flows = stats.object("flows");
        Map<String, Long> decode = new LinkedHashMap<>();
        Fields decodeFields = stats.object("decode");
        for (String key : decodeFields.keys()) {
            decode.put(key, decodeFields.requireLong(key));
        }
        Map<String, StatsRecord.ProtocolCounters> protocols = new LinkedHashMap<>();
        Fields protocolFields = stats.object("protocols");
        for (String key : protocolFields.keys()) {
            Fields p = protocolFields.object(key);
            protocols.put(key, new StatsRecord.ProtocolCounters(p.requireLong("flows"), p.requireLong("packets"), p.requireLong("bytes")));
        }
        return new StatsRecord(
                f.object("observer").requireString("name"),
                addressMode(sw),
                f.object("event").requireInstant("start"),
                f.object("event").requireInstant("end"),
                stats.requireString("source"),
                f.object("network").requireLong("packets"),
                f.object("network").requireLong("bytes"),
                capture == null ? null : capture.optionalLong("received"),
                capture == null ? null : capture.optionalLong("dropped"),
                capture == null ? null : capture.optionalLong("interface_dropped"),
                flows.requireLong("active"),
                flows.requireLong("created"),
                flows.requireLong("exported"),
                flows.requireLong("evicted"),
                decode,
                protocols);
    }

    private static AddressMode addressMode(Fields sw) throws RecordFormatException {
        return enumValue(sw, "addresses", AddressMode::fromWire);
    }

    private static Endpoint readEndpoint(Fields e, String subscriberSide, String side, boolean counters) throws RecordFormatException {
        boolean subscriber = switch (subscriberSide) {
            case "both" -> true;
            case "none" -> false;
            case "source", "destination" -> subscriberSide.equals(side);
            default -> throw new RecordFormatException("field 'swarmwatch.subscriber' must be source, destination, both or none, got '"
                    + subscriberSide + "'");
        };
        long port = e.requireLong("port");
        if (port < 0 || port > 65535) {
            throw new RecordFormatException("field '" + e.path("port") + "' out of range: " + port);
        }
        return new Endpoint(
                e.requireString("address"),
                e.optionalString("ip"),
                (int) port,
                subscriber,
                counters ? e.requireLong("packets") : 0,
                counters ? e.requireLong("bytes") : 0);
    }

    private interface WireParser<T> {
        T parse(String wire);
    }

    private static <T> T enumValue(Fields f, String name, WireParser<T> parser) throws RecordFormatException {
        String value = f.requireString(name);
        try {
            return parser.parse(value);
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException("field '" + f.path(name) + "': " + e.getMessage());
        }
    }

    /** Reads the object whose START_OBJECT the parser is on into maps, lists, strings, numbers, booleans and nulls. */
    private static Map<String, Object> readObject(JsonParser p) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            map.put(name, readValue(p));
        }
        return map;
    }

    private static Object readValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case START_OBJECT -> readObject(p);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected JSON token " + t);
        };
    }

    /** Typed access to one JSON object, with error messages that name the full field path. */
    private record Fields(Map<String, Object> map, String prefix) {

        String path(String name) {
            return prefix + name;
        }

        Iterable<String> keys() {
            return map.keySet();
        }

        Fields object(String name) throws RecordFormatException {
            Fields o = optionalObject(name);
            if (o == null) {
                throw missing(name);
            }
            return o;
        }

        @SuppressWarnings("unchecked")
        Fields optionalObject(String name) throws RecordFormatException {
            Object v = map.get(name);
            if (v == null) {
                return null;
            }
            if (!(v instanceof Map)) {
                throw wrongType(name, "an object", v);
            }
            return new Fields((Map<String, Object>) v, path(name) + ".");
        }

        @SuppressWarnings("unchecked")
        List<Object> optionalList(String name) throws RecordFormatException {
            Object v = map.get(name);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List)) {
                throw wrongType(name, "an array", v);
            }
            return (List<Object>) v;
        }

        String requireString(String name) throws RecordFormatException {
            String s = optionalString(name);
            if (s == null) {
                throw missing(name);
            }
            return s;
        }

        String optionalString(String name) throws RecordFormatException {
            Object v = map.get(name);
            if (v == null) {
                return null;
            }
            if (!(v instanceof String s)) {
                throw wrongType(name, "a string", v);
            }
            return s;
        }

        long requireLong(String name) throws RecordFormatException {
            Long l = optionalLong(name);
            if (l == null) {
                throw missing(name);
            }
            return l;
        }

        Long optionalLong(String name) throws RecordFormatException {
            Object v = map.get(name);
            if (v == null) {
                return null;
            }
            if (!(v instanceof Integer || v instanceof Long)) {
                throw wrongType(name, "an integer", v);
            }
            long l = ((Number) v).longValue();
            if (l < 0) {
                throw new RecordFormatException("field '" + path(name) + "' must not be negative: " + l);
            }
            return l;
        }

        double requireDouble(String name) throws RecordFormatException {
            Object v = map.get(name);
            if (v == null) {
                throw missing(name);
            }
            if (!(v instanceof Number n)) {
                throw wrongType(name, "a number", v);
            }
            return n.doubleValue();
        }

        /** ECS keeps some numbers as keywords (network.iana_number, vlan.id): a decimal string. */
        int requireIntString(String name) throws RecordFormatException {
            String s = requireString(name);
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new RecordFormatException("field '" + path(name) + "' must be a decimal number, got '" + s + "'");
            }
        }

        Instant requireInstant(String name) throws RecordFormatException {
            String s = requireString(name);
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw new RecordFormatException("field '" + path(name) + "' is not an ISO-8601 UTC timestamp: '" + s + "'");
            }
        }

        private RecordFormatException missing(String name) {
            return new RecordFormatException("missing field '" + path(name) + "'");
        }

        private RecordFormatException wrongType(String name, String expected, Object actual) {
            return new RecordFormatException("field '" + path(name) + "' must be " + expected + ", got "
                    + (actual instanceof Map ? "an object" : actual instanceof List ? "an array" : "'" + actual + "'"));
        }
    }
}
