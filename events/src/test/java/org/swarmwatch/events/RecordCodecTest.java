package org.swarmwatch.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    private final RecordCodec codec = new RecordCodec();

    static FlowRecord flow() {
        return new FlowRecord("probe-1", AddressMode.PSEUDONYMISED, "00ab00000000002a", 0,
                Instant.parse("2024-03-01T10:00:00.123456Z"), Instant.parse("2024-03-01T10:00:05Z"),
                FlowEndReason.IDLE_TIMEOUT, 4, "tcp", 6, "unknown",
                new Endpoint("sub_0123456789abcdef0123456789abcdef", null, 51413, true, 10, 1200),
                new Endpoint("192.0.2.7", "192.0.2.7", 6881, false, 8, 9000),
                100, List.of("vlan", "gre"));
    }

    static ObservationRecord observation() {
        return new ObservationRecord("probe-1", AddressMode.PSEUDONYMISED, Instant.parse("2024-03-01T10:00:01Z"),
                "00ab00000000002a", "tcp", "bittorrent",
                new Endpoint("192.0.2.7", "192.0.2.7", 6881, false, 0, 0),
                new Endpoint("sub_0123456789abcdef0123456789abcdef", null, 51413, true, 0, 0),
                new ContentHash(HashKind.BTIH_V1, "dcfcdccfb9e670ccc3dd40c78c161f2bea243126"),
                "handshake", ObservationRole.OFFERING, 0.95, "uTorrent 3.5.5");
    }

    static StatsRecord stats() {
        return new StatsRecord("probe-1", AddressMode.RAW, Instant.parse("2024-03-01T10:00:00Z"),
                Instant.parse("2024-03-01T10:01:00Z"), "eth1", 1000, 900_000, 1010L, 10L, 0L, 5, 7, 3, 1,
                Map.of("truncated_ip", 2L), Map.of("unknown", new StatsRecord.ProtocolCounters(3, 900, 800_000)));
    }

    @Test
    void everyRecordTypeSurvivesARoundTrip() throws Exception {
        for (ProbeRecord r : List.of(flow(), observation(), stats())) {
            assertEquals(r, codec.decode(codec.encode(r)), r.type().wireName());
        }
    }

    @Test
    void flowRecordUsesEcsFieldPaths() {
        String json = codec.encodeToString(flow());
        assertTrue(json.startsWith("{\"schema\":1,\"type\":\"flow\",\"@timestamp\":\"2024-03-01T10:00:05Z\""), json);
        assertTrue(json.contains("\"network\":{\"type\":\"ipv4\",\"transport\":\"tcp\",\"iana_number\":\"6\",\"protocol\":\"unknown\",\"packets\":18,\"bytes\":10200,\"vlan\":{\"id\":\"100\"}}"), json);
        assertTrue(json.contains("\"source\":{\"address\":\"sub_0123456789abcdef0123456789abcdef\",\"port\":51413,\"packets\":10,\"bytes\":1200}"), json);
        assertTrue(json.contains("\"event\":{\"start\":\"2024-03-01T10:00:00.123456Z\",\"end\":\"2024-03-01T10:00:05Z\",\"duration\":4876544000,\"reason\":\"idle_timeout\"}"), json);
        assertTrue(json.contains("\"swarmwatch\":{\"addresses\":\"pseudonymised\",\"subscriber\":\"source\""), json);
    }

    @Test
    void pseudonymisedSubscriberHasNoIpField() {
        String json = codec.encodeToString(flow());
        assertFalse(json.contains("\"source\":{\"address\":\"sub_0123456789abcdef0123456789abcdef\",\"ip\""), json);
    }

    @Test
    void writeLineEndsEachRecordWithNewline() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.writeLine(flow(), out);
        codec.writeLine(stats(), out);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertEquals(3, lines.length);
        assertEquals("", lines[2]);
        assertEquals(stats(), codec.decode(lines[1]));
    }

    @Test
    void missingFieldIsNamedWithItsPath() {
        String json = codec.encodeToString(flow()).replace("\"port\":51413,", "");
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> codec.decode(json));
        assertEquals("missing field 'source.port'", e.getMessage());
    }

    @Test
    void wrongTypeIsNamed() {
        String json = codec.encodeToString(flow()).replace("\"packets\":10,", "\"packets\":\"ten\",");
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> codec.decode(json));
        assertEquals("field 'source.packets' must be an integer, got 'ten'", e.getMessage());
    }

    @Test
    void newerSchemaIsRejected() {
        String json = codec.encodeToString(flow()).replace("\"schema\":1", "\"schema\":2");
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> codec.decode(json));
        assertTrue(e.getMessage().contains("schema version 2 is not supported"), e.getMessage());
    }

    @Test
    void unknownTypeAndBadEnumValuesAreRejected() {
        assertThrows(RecordFormatException.class, () -> codec.decode(codec.encodeToString(flow()).replace("\"type\":\"flow\"", "\"type\":\"packet\"")));
        RecordFormatException e = assertThrows(RecordFormatException.class,
                () -> codec.decode(codec.encodeToString(observation()).replace("\"role\":\"offering\"", "\"role\":\"stealing\"")));
        assertTrue(e.getMessage().contains("role"), e.getMessage());
    }

    @Test
    void invalidHashIsRejected() {
        String json = codec.encodeToString(observation()).replace("dcfcdccfb9e670ccc3dd40c78c161f2bea243126", "DCFC");
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> codec.decode(json));
        assertTrue(e.getMessage().contains("btih_v1 hash must be 40 hex characters"), e.getMessage());
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        String json = codec.encodeToString(flow()).replaceFirst("\\{", "{\"future\":{\"x\":[1,2]},");
        assertEquals(flow(), codec.decode(json));
    }

    @Test
    void garbageAndHostileInputGiveFormatErrors() {
        assertThrows(RecordFormatException.class, () -> codec.decode("not json"));
        assertThrows(RecordFormatException.class, () -> codec.decode("[1,2]"));
        assertThrows(RecordFormatException.class, () -> codec.decode("{\"schema\":1"));
        assertThrows(RecordFormatException.class, () -> codec.decode(codec.encodeToString(flow()) + "{}"));
        assertThrows(RecordFormatException.class, () -> codec.decode("[".repeat(10_000)));
        assertThrows(RecordFormatException.class, () -> codec.decode("{\"schema\":" + "9".repeat(1000) + "}"));
        assertThrows(RecordFormatException.class, () -> codec.decode(new byte[RecordCodec.MAX_RECORD_BYTES + 1]));
        assertThrows(RecordFormatException.class, () -> codec.decode(codec.encodeToString(flow()).replace("2024-03-01T10:00:05Z", "yesterday")));
    }

    @Test
    void recordsValidateTheirInvariants() {
        assertThrows(IllegalArgumentException.class, () -> new Endpoint("x", null, 70000, false, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ContentHash(HashKind.BTIH_V2, "ab"));
        assertThrows(IllegalArgumentException.class, () -> new FlowRecord("p", AddressMode.RAW, "1", 0,
                Instant.parse("2024-01-01T00:00:01Z"), Instant.parse("2024-01-01T00:00:00Z"), FlowEndReason.EVICTED,
                4, "udp", 17, "unknown", flow().source(), flow().destination(), -1, List.of()));
        assertTrue(SubscriberPseudonym.isPseudonym("sub_0123456789abcdef0123456789abcdef"));
        assertFalse(SubscriberPseudonym.isPseudonym("192.0.2.1"));
    }
}
