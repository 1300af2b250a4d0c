package org.swarmwatch.probe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.FlowEndReason;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.events.StatsRecord;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.dissect.Dissector;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.Verdict;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.export.CollectingSink;
import org.swarmwatch.probe.flow.FlowTableConfig;
import org.swarmwatch.probe.privacy.PseudonymKey;
import org.swarmwatch.probe.privacy.Pseudonymiser;
import org.swarmwatch.probe.privacy.SubscriberNetworks;

/** The packet path after the source, with crafted Ethernet/IPv4 frames and a test dissector. */
class ProbePipelineTest {
    static final int SUBSCRIBER = 0xc6336407; // 198.51.100.7
    static final int REMOTE = 0xcb007101;     // 203.0.113.1
    static final long T0 = 1_700_000_000_000_000L;

    final CollectingSink sink = new CollectingSink();
    final List<ProbeRecord> records = sink.records();

    /** Says MINE to payloads starting with "HELLO" and reports an all-zero hash for the sender. */
    static final Dissector HELLO = new Dissector() {
        @Override
        public String protocol() {
            return "hello";
        }

        @Override
        public boolean appliesTo(int ianaProtocol) {
            return ianaProtocol == 6;
        }

        @Override
        public DissectorSession open(FlowContext flow) {
            return (payload, sink) -> {
                if (payload.length() >= 5 && new String(payload.bytes(), payload.offset(), 5, StandardCharsets.US_ASCII).equals("HELLO")) {
                    sink.observed(payload.fromInitiator(), ContentHash.of(HashKind.BTIH_V1, new byte[20]), "handshake",
                            payload.fromInitiator() ? ObservationRole.FETCHING : ObservationRole.OFFERING, 0.9, "test 1.0");
                    return Verdict.MINE;
                }
                return Verdict.NOT_MINE;
            };
        }
    };

    ProbePipeline pipeline(DissectorRegistry registry) {
        AddressPolicy policy = new AddressPolicy(SubscriberNetworks.parse("198.51.100.0/24"),
                new Pseudonymiser(PseudonymKey.fromEnvironment("00112233445566778899aabbccddeeff")), AddressMode.PSEUDONYMISED);
        ProbeSettings settings = new ProbeSettings("test-probe",
                new FlowTableConfig(Duration.ofSeconds(30), Duration.ofSeconds(300), Duration.ofSeconds(5), 1000),
                DecoderLimits.defaults(), policy, Duration.ofSeconds(60));
        ProbePipeline p = new ProbePipeline(settings, sink, registry);
        p.beginCapture("crafted", 1);
        return p;
    }

    /** Ethernet + IPv4 + TCP (20-byte header) + payload. */
    static byte[] tcp(int src, int sport, int dst, int dport, int flags, long seq, String payload) {
        return tcp(src, sport, dst, dport, flags, seq, payload.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] tcp(int src, int sport, int dst, int dport, int flags, long seq, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 20 + data.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (40 + data.length)).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(src).putInt(dst);
        b.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt(0)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        b.put(data);
        return b.array();
    }

    static void feed(ProbePipeline p, byte[] frame, long micros) {
        p.onFrame(frame, frame.length, frame.length, micros, null);
    }

    @Test
    void aFlowBecomesOneRecordWithPseudonymisedSubscriberAndDirectionalCounters() {
        ProbePipeline p = pipeline(DissectorRegistry.standard());
        feed(p, tcp(SUBSCRIBER, 51413, REMOTE, 6881, 0x02, 100, ""), T0);
        feed(p, tcp(REMOTE, 6881, SUBSCRIBER, 51413, 0x12, 500, ""), T0 + 1000);
        feed(p, tcp(SUBSCRIBER, 51413, REMOTE, 6881, 0x18, 101, "abc"), T0 + 2000);
        p.endCapture(null);
        FlowRecord f = (FlowRecord) records.get(0);
        assertEquals("test-probe", f.observer());
        assertEquals(FlowEndReason.END_OF_CAPTURE, f.reason());
        assertEquals("unknown", f.protocol());
        assertEquals("tcp", f.transport());
        assertTrue(f.source().address().startsWith("sub_"));
        assertNull(f.source().ip());
        assertEquals("203.0.113.1", f.destination().ip());
        assertEquals(2, f.source().packets());
        assertEquals(40 + 43, f.source().bytes());
        assertEquals(1, f.destination().packets());
        assertEquals(T0 / 1_000_000, f.start().getEpochSecond());
        assertEquals(2000, (f.end().toEpochMilli() - f.start().toEpochMilli()) * 1000);
        StatsRecord s = (StatsRecord) records.get(1);
        assertEquals(3, s.packets());
        assertEquals(1, s.flowsCreated());
        assertEquals(1, s.flowsExported());
        assertEquals(1, s.protocols().get("unknown").flows());
        assertEquals(3L, s.decode().get("ok"));
    }

    /**
     * A BitTorrent connection lasting longer than the active timeout (300 s here) reports its
     * handshakes when its first segment is written, with the roles of that segment, not only when
     * it ends; its end then reports again only if pieces moved after that segment.
     */
    @Test
    void aLongPeerWireConnectionReportsAtItsSegmentsNotOnlyAtItsEnd() {
        for (boolean uploadAgain : new boolean[] {false, true}) {
            records.clear();
            ProbePipeline p = pipeline(DissectorRegistry.standard());
            long[] seq = {1000, 5000}; // the subscriber's (initiator's), the remote's
            java.util.function.BiConsumer<Boolean, byte[]> send = new java.util.function.BiConsumer<>() {
                long t = T0;

                @Override
                public void accept(Boolean fromSubscriber, byte[] data) {
                    t += 10_000_000; // ten seconds apart: the flow never idles out (30 s)
                    int i = fromSubscriber ? 0 : 1;
                    feed(p, fromSubscriber ? tcp(SUBSCRIBER, 51413, REMOTE, 6881, 0x18, seq[0], data)
                            : tcp(REMOTE, 6881, SUBSCRIBER, 51413, 0x18, seq[1], data), t);
                    seq[i] += data.length;
                }
            };
            byte[] hash = new byte[20];
            java.util.Arrays.fill(hash, (byte) 0x5a);
            send.accept(true, handshake(hash, "-TR3000-"));
            send.accept(false, handshake(hash, "-lt2080-"));
            send.accept(true, piece(100)); // the subscriber uploads in the first segment
            for (int i = 0; i < 40; i++) { // 400 s of keep-alives both ways: the segment ends at 300 s
                send.accept(i % 2 == 0, new byte[4]);
            }
            List<String> atSegment = observations();
            assertEquals(List.of("handshake offering sub", "handshake fetching 203.0.113.1"), atSegment,
                    "reported when the first segment was written");
            FlowRecord segment0 = records.stream().filter(r -> r instanceof FlowRecord).map(r -> (FlowRecord) r).findFirst().orElseThrow();
            assertEquals(FlowEndReason.ACTIVE_TIMEOUT, segment0.reason());
            assertTrue(records.indexOf(segment0) > records.indexOf(records.stream().filter(r -> r instanceof ObservationRecord).findFirst().get()),
                    "the segment's observations come before its flow record");
            if (uploadAgain) {
                send.accept(false, piece(100)); // now the remote uploads to the subscriber
            }
            p.endCapture(null);
            List<String> all = observations();
            assertEquals(uploadAgain ? List.of("handshake offering sub", "handshake fetching 203.0.113.1", "handshake fetching sub",
                    "handshake offering 203.0.113.1") : atSegment, all,
                    uploadAgain ? "the end reports the pieces that moved after the segment" : "nothing moved after the segment: no repeat");
        }
    }

    /** "seenIn role sender" per observation so far, the sender as its pseudonym's prefix or its address. */
    private List<String> observations() {
        return records.stream().filter(r -> r instanceof ObservationRecord).map(r -> (ObservationRecord) r)
                .map(o -> o.seenIn() + " " + o.role().wireName() + " " + (o.source().ip() == null ? o.source().address().substring(0, 3)
                        : o.source().ip())).toList();
    }

    /** A BEP 3 handshake: the protocol header, no reserved bits, the hash and a peer id starting with {@code client}. */
    static byte[] handshake(byte[] hash, String client) {
        ByteBuffer b = ByteBuffer.allocate(68);
        b.put((byte) 19).put("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII)).put(new byte[8]).put(hash);
        b.put((client + "000000000000").getBytes(StandardCharsets.US_ASCII), 0, 20);
        return b.array();
    }

    /** A PIECE message (id 7) of piece 0 at offset 0 with {@code n} bytes of block. */
    static byte[] piece(int n) {
        return ByteBuffer.allocate(4 + 9 + n).putInt(9 + n).put((byte) 7).putInt(0).putInt(0).put(new byte[n]).array();
    }

    @Test
    void aDissectorLabelsTheFlowAndItsObservationsNameTheSender() {
        ProbePipeline p = pipeline(new DissectorRegistry(List.of(HELLO)));
        feed(p, tcp(SUBSCRIBER, 51413, REMOTE, 6881, 0x02, 100, ""), T0);
        feed(p, tcp(REMOTE, 6881, SUBSCRIBER, 51413, 0x18, 500, "HELLO peer"), T0 + 1000);
        p.endCapture(null);
        ObservationRecord o = (ObservationRecord) records.get(0);
        assertEquals("203.0.113.1", o.source().ip());
        assertTrue(o.destination().address().startsWith("sub_"));
        assertEquals(ObservationRole.OFFERING, o.role());
        assertEquals("handshake", o.seenIn());
        FlowRecord f = (FlowRecord) records.get(1);
        assertEquals("hello", f.protocol());
        assertEquals(f.flowId(), o.flowId());
        assertEquals(1, ((StatsRecord) records.get(2)).protocols().get("hello").flows());
    }

    @Test
    void statsRecordsFollowCaptureTime() {
        ProbePipeline p = pipeline(DissectorRegistry.standard());
        for (int i = 0; i < 5; i++) {
            feed(p, tcp(SUBSCRIBER, 1000 + i, REMOTE, 80, 0x02, 1, ""), T0 + i * 40_000_000L); // every 40 s
        }
        p.endCapture(null);
        List<StatsRecord> stats = records.stream().filter(r -> r instanceof StatsRecord).map(r -> (StatsRecord) r).toList();
        assertEquals(3, stats.size()); // at 80 s and at 160 s (each closing an interval of at least 60 s), then the end
        assertEquals(5, stats.stream().mapToLong(StatsRecord::packets).sum());
        assertEquals(5, stats.stream().mapToLong(StatsRecord::flowsExported).sum());
    }

    @Test
    void framesThatAreNotIpAreCountedNotFlowed() {
        ProbePipeline p = pipeline(DissectorRegistry.standard());
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        feed(p, arp, T0);
        byte[] cut = java.util.Arrays.copyOf(tcp(SUBSCRIBER, 1, REMOTE, 2, 0x02, 1, ""), 30);
        feed(p, cut, T0 + 1);
        p.endCapture(null);
        assertEquals(1, records.size());
        StatsRecord s = (StatsRecord) records.get(0);
        assertEquals(2, s.packets());
        assertEquals(0, s.flowsCreated());
        assertEquals(1L, s.decode().get("not_ip"));
        assertTrue(s.decode().keySet().stream().anyMatch(k -> k.startsWith("truncated")), s.decode().toString());
    }
}
