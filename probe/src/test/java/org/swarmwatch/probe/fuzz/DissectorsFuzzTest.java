package org.swarmwatch.probe.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.Endpoint;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.events.RecordCodec;
import org.swarmwatch.events.RecordFormatException;
import org.swarmwatch.probe.dissect.Dissector;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.FlowDissection;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.StreamPrefix;
import org.swarmwatch.probe.swarm.CompactPeers;

/**
 * Every dissector of {@link DissectorRegistry#standard()}, driven through the registry as the
 * pipeline drives it, on flows the fuzzer makes from the flows of ../shared's captures
 * ({@link FlowInput}: transport, ports, payloads with directions, TCP sequence numbers in order,
 * retransmitted, after holes or anywhere, snapshot-length cuts, long repetitions). Only the public
 * seam is used, so the dissectors' insides can change freely. The contract:
 *
 * <ul>
 *   <li>no dissector throws: the registry would catch it and count it in {@code dissector_failures},
 *       and that count must stay 0;</li>
 *   <li>what they report is well-formed: hashes of 20 or 32 bytes, confidence within [0, 1], an
 *       observation the record codec writes and reads back, swarm facts about 20-byte infohashes;</li>
 *   <li>memory stays bounded: at most two stream prefixes of {@link DissectorRegistry#PREFIX_LIMIT}
 *       bytes per flow, all given back to the registry's budget when the flow is decided or ends,
 *       and the flow's dissection state no larger than {@link #MAX_FLOW_STATE_BYTES} however long the
 *       flow; the dissectors themselves hold no state between flows.</li>
 * </ul>
 */
class DissectorsFuzzTest {

    /**
     * Bound on what one flow's dissection state may hold, however long the flow. By design the
     * largest are a peer-wire connection reading an extended message in each direction (2 x 16.5 KiB,
     * BEP 9 metadata pieces) and an HTTP tracker response (16 KiB); the capture flows hold under
     * 2 KiB. A state that grows with the flow passes the bound on inputs that repeat a payload a few
     * hundred times.
     */
    static final long MAX_FLOW_STATE_BYTES = 64 << 10;

    /** What the standard dissectors hold before any flow: as much as after one. */
    static final long DISSECTORS_BYTES = RetainedBytes.of(DissectorRegistry.standardDissectors());

    static final byte[] SWARM = new byte[20];

    static {
        Arrays.fill(SWARM, (byte) 0x5a);
    }

    static Stream<Arguments> captureFlows() {
        return CaptureSeeds.all().stream().flatMap(c -> IntStream.range(0, c.flows().size())
                .mapToObj(i -> named(c.name() + " flow " + i, c.flows().get(i))));
    }

    /**
     * Hand-written flows for what the captures do not show: magnets in base32, as {@code btmh}, in a
     * form body and a redirect; tracker responses with peer dictionaries, {@code peers6} and chunked
     * bodies; a scrape; a local service discovery announce.
     */
    static Stream<Arguments> craftedFlows() {
        String hash = "%124Vx%9A%BC%DE%F0%124Vx%9A%BC%DE%F0%124Vx";
        String announce = "GET /announce?info_hash=" + hash + "&peer_id=-TR3000-0123456789ab&port=51413&uploaded=0"
                + "&downloaded=0&left=0&event=completed&compact=1 HTTP/1.1\r\nHost: tracker\r\n\r\n";
        String peer6 = "\u0020\u0001\r\u00b8\0\0\0\0\0\0\0\0\0\0\0\u0001\u001a\u00e1"; // [2001:db8::1]:6881
        String peers = "d8:intervali1800e5:peersld2:ip12:198.51.100.74:porti6881eee6:peers636:" + peer6 + peer6 + "e";
        String magnet = "magnet:?xt=urn:btih:CIRFM6E2XTPPBESFKZ4JVPG66ASFM6E2&dn=x";
        String btmh = "magnet:?xt=urn:btmh:1220" + "0e1042f9e37849c0e5823403ff493f915758f88045f14067883068a1db2aa923";
        String noContent = "HTTP/1.1 204 No Content\r\n\r\n";
        return Stream.of(
                named("announce, peer dictionaries and peers6", http(announce,
                        "HTTP/1.1 200 OK\r\nContent-Length: " + peers.length() + "\r\n\r\n" + peers)),
                named("announce, chunked response", http(announce, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(peers.length()) + "\r\n" + peers + "\r\n0\r\n\r\n")),
                named("announce, chunk size with a sign (found by fuzzing)", http(announce,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-b\r\n" + peers + "\r\n0\r\n\r\n")),
                named("scrape", http("GET /scrape?info_hash=" + hash + " HTTP/1.1\r\nHost: tracker\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nd5:filesdee")),
                named("magnet in base32", http("GET /add?uri=" + magnet + " HTTP/1.1\r\nHost: h\r\n\r\n", noContent)),
                named("magnet as btmh", http("GET /add?uri=" + btmh + " HTTP/1.1\r\nHost: h\r\n\r\n", noContent)),
                named("magnet in a form", http("POST /add HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded"
                        + "\r\nContent-Length: " + (4 + magnet.length()) + "\r\n\r\nuri=" + magnet, noContent)),
                named("magnet in a redirect", http("GET /go/42 HTTP/1.1\r\nHost: h\r\n\r\n",
                        "HTTP/1.1 302 Found\r\nLocation: " + magnet + "\r\nContent-Length: 0\r\n\r\n")),
                named("local service discovery", new FlowInput(FlowInput.UDP, 6881, 6771, 0, 0, List.of(FlowInput.Payload.inOrder(
                        true, latin1("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\n"
                                + "Infohash: 0123456789abcdef0123456789abcdef01234567\r\n\r\n\r\n"))))));
    }

    private static Arguments named(String name, FlowInput flow) {
        return Arguments.of(Named.of(name, flow.encode()));
    }

    /** A TCP flow whose start was captured: a request, then its response. */
    private static FlowInput http(String request, String response) {
        return new FlowInput(FlowInput.START_CAPTURED, 40000, 80, 1000, 5000,
                List.of(FlowInput.Payload.inOrder(true, latin1(request)), FlowInput.Payload.inOrder(false, latin1(response))));
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @MethodSource({"captureFlows", "craftedFlows"})
    @DictionaryFile(resourcePath = "bittorrent.dict")
    @FuzzTest(maxDuration = "60s")
    void dissectorsNeverFailAndStayBounded(byte[] data) {
        FlowInput in = FlowInput.decode(data);
        List<Dissector> dissectors = DissectorRegistry.standardDissectors();
        DissectorRegistry registry = new DissectorRegistry(dissectors);
        Flow flow = new Flow(in.tcp() ? 6 : 17, in.ipVersion(), in.startCaptured(), in.sourcePort(), in.destinationPort());
        CheckingSink sink = new CheckingSink(flow, in.flags());
        PacketPayload payload = new PacketPayload();
        FlowDissection state = null;
        long[] next = {in.initiatorSeq(), in.responderSeq()};
        long time = 1_700_000_000_000_000L;
        int offered = 0;
        payloads:
        for (FlowInput.Payload p : in.payloads()) {
            byte[] b = p.bytes();
            if (b.length == 0) {
                continue; // the pipeline offers payloads only
            }
            int d = p.fromInitiator() ? 0 : 1;
            for (int rep = 0; rep < FlowInput.REPETITIONS[p.repetition()]; rep++) {
                if (offered++ == FlowInput.MAX_PAYLOADS) {
                    break payloads;
                }
                long seq = 0;
                if (flow.tcp()) {
                    seq = rep > 0 ? next[d] : sequenceNumber(p, next[d]);
                    long end = (seq + b.length) & 0xFFFFFFFFL;
                    if ((int) (end - next[d]) > 0) {
                        next[d] = end;
                    }
                }
                int flags = flow.tcp() ? 0x18 | (p.fin() ? 1 : 0) : 0;
                payload.set(b, 0, b.length, b.length + p.bytesLost(), p.fromInitiator(), flags, seq, time += 1000);
                state = registry.offer(flow, state, payload, sink);
                assertNoFailure(registry);
                checkPrefixes(registry, state, payload);
                if (state.finished()) {
                    break payloads;
                }
            }
        }
        if (state != null && !state.finished()) {
            String protocol = state.protocol();
            int payloads = offered;
            long held = RetainedBytes.of(state, flow, sink, dissectors);
            assertTrue(held <= MAX_FLOW_STATE_BYTES, () -> "a flow's dissection state holds " + held + " bytes after "
                    + payloads + " payloads (protocol " + protocol + ")");
        }
        registry.end(state, sink);
        assertNoFailure(registry);
        assertEquals(0, registry.prefixBytesReserved(), "stream prefixes given back at the flow's end");
        assertEquals(DISSECTORS_BYTES, RetainedBytes.of(dissectors), "dissectors keep no state of their own");
    }

    /** Where the input puts a payload's first byte, given where the direction's stream has got to. */
    private static long sequenceNumber(FlowInput.Payload p, long next) {
        long seq = switch (p.sequence()) {
            case FlowInput.RETRANSMITTED -> next - p.bytes().length;
            case FlowInput.AFTER_HOLE -> next + p.bytes().length;
            case FlowInput.GIVEN -> p.seq();
            default -> next;
        };
        return seq & 0xFFFFFFFFL;
    }

    private static void assertNoFailure(DissectorRegistry registry) {
        if (registry.failures() > 0) {
            throw new AssertionError("a dissector threw (dissector_failures " + registry.failures() + ")", registry.lastFailure());
        }
    }

    private static void checkPrefixes(DissectorRegistry registry, FlowDissection state, PacketPayload payload) {
        long reserved = registry.prefixBytesReserved();
        if (state.finished() || state.protocol() != null) {
            assertEquals(0, reserved, "stream prefixes given back once the flow is decided");
        } else {
            assertTrue(reserved >= 0 && reserved <= 2L * DissectorRegistry.PREFIX_LIMIT, () -> "prefix bytes reserved: " + reserved);
        }
        StreamPrefix prefix = payload.prefix();
        if (prefix != null) {
            assertTrue(prefix.length() <= DissectorRegistry.PREFIX_LIMIT && prefix.bytes().length <= DissectorRegistry.PREFIX_LIMIT,
                    () -> "a stream prefix of " + prefix.bytes().length + " bytes");
        }
    }

    /** The flow as the dissectors see it (addresses are never theirs to see). */
    record Flow(int ianaProtocol, int ipVersion, boolean startCaptured, int sourcePort, int destinationPort)
            implements FlowContext {
        @Override
        public long id() {
            return 1;
        }

        boolean tcp() {
            return ianaProtocol == 6;
        }
    }

    /**
     * Checks what dissectors report as the pipeline would take it: each observation becomes a record
     * that the codec must write and read back equal. Answers {@link #swarmOfFlow()} as the input says,
     * so that attribution by correlation runs too.
     */
    static final class CheckingSink implements ObservationSink {
        private static final RecordCodec CODEC = new RecordCodec();
        private static final Endpoint SUBSCRIBER = new Endpoint("sub_0123456789abcdef", null, 51413, true, 0, 0);
        private static final Endpoint PEER = new Endpoint("203.0.113.7", "203.0.113.7", 6881, false, 0, 0);
        private final Flow flow;
        private final SwarmAttribution swarm;

        CheckingSink(Flow flow, int flags) {
            this.flow = flow;
            // every kind of evidence and download hint, chosen by the input (the source port's low bits)
            int bits = flow.sourcePort();
            SwarmAttribution.Evidence evidence = (flags & FlowInput.SWARM_BOTH_ENDS) != 0 ? SwarmAttribution.Evidence.ENDPOINT_AND_HOST
                    : (bits & 1) != 0 ? SwarmAttribution.Evidence.HOST_PAIR : SwarmAttribution.Evidence.ENDPOINT;
            this.swarm = (flags & FlowInput.SWARM_KNOWN) == 0 ? null
                    : new SwarmAttribution(SWARM.clone(), evidence, (bits & 2) != 0, (bits & 4) != 0);
        }

        @Override
        public void observed(boolean fromInitiator, ContentHash hash, String seenIn, ObservationRole role, double confidence,
                             String client) {
            assertTrue(hash != null && role != null && seenIn != null, "hash, role and where it was seen");
            int length = hash.bytes().length;
            assertTrue(length == hash.kind().length() && (length == 20 || length == 32),
                    () -> hash.kind() + " of " + length + " bytes");
            assertTrue(confidence >= 0 && confidence <= 1, () -> "confidence " + confidence);
            assertTrue(client == null || client.length() <= 128 && client.chars().noneMatch(Character::isISOControl),
                    () -> "client name " + client);
            ObservationRecord record = new ObservationRecord("fuzz", AddressMode.PSEUDONYMISED, Instant.ofEpochSecond(1_700_000_000),
                    "fuzz-1", flow.tcp() ? "tcp" : "udp", "bittorrent", SUBSCRIBER, PEER, hash, seenIn, role, confidence, client);
            try {
                assertEquals(record, CODEC.decode(CODEC.encode(record)), "the observation as written and read back");
            } catch (RecordFormatException e) {
                throw new AssertionError("an observation the codec cannot read back: " + record, e);
            }
        }

        @Override
        public void swarmMember(boolean initiatorSide, int listenPort, byte[] infoHash) {
            assertEquals(20, infoHash.length, "infohash length");
            assertTrue(listenPort >= 0 && listenPort <= 0xffff, () -> "port " + listenPort);
        }

        @Override
        public void swarmPeers(boolean toInitiator, byte[] infoHash, byte[] compact, int offset, int length, boolean ipv6) {
            assertEquals(20, infoHash.length, "infohash length");
            assertTrue(offset >= 0 && length >= 0 && offset + length <= compact.length,
                    () -> "peers at " + offset + "+" + length + " of " + compact.length);
            int read = CompactPeers.read(compact, offset, length, ipv6, 200, (hi, lo, port) -> {
                assertTrue(port > 0 && port <= 0xffff, () -> "peer port " + port);
                assertTrue(ipv6 || hi == 0 && lo >>> 32 == 0, "an IPv4 peer in the low 32 bits");
            });
            assertTrue(read <= Math.min(200, length / (ipv6 ? 18 : 6)), () -> read + " peers from " + length + " bytes");
        }

        @Override
        public SwarmAttribution swarmOfFlow() {
            return swarm;
        }

        @Override
        public void hashKindProven(byte[] infoHash, HashKind kind) {
            assertEquals(20, infoHash.length, "infohash length");
            assertTrue(kind == HashKind.BTIH_V1 || kind == HashKind.BTIH_V2_TRUNCATED, () -> "proven kind " + kind);
        }
    }
}
