package org.swarmwatch.probe.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.export.CollectingSink;
import org.swarmwatch.probe.flow.FlowTableConfig;
import org.swarmwatch.probe.pipeline.ProbePipeline;
import org.swarmwatch.probe.pipeline.ProbeSettings;
import org.swarmwatch.probe.privacy.PseudonymKey;
import org.swarmwatch.probe.privacy.Pseudonymiser;
import org.swarmwatch.probe.privacy.SubscriberNetworks;

/**
 * Correlation through the whole pipeline on crafted IPv6 traffic (the captures are all IPv4): an
 * HTTP tracker announce whose response lists a peer in {@code peers6}, then MSE-encrypted flows
 * between the subscriber and that peer, placed by endpoint and host, and by the host pair alone,
 * with pseudonymised subscribers.
 */
class CorrelationPipelineTest {
    static final long T0 = 1_700_000_000_000_000L, SECOND = 1_000_000L;
    static final byte[] SUBSCRIBER = v6(0x20010db800010000L, 5), TRACKER = v6(0x20010db800ff0000L, 1),
            PEER = v6(0x20010db800020000L, 7), STRANGER = v6(0x20010db800030000L, 9);
    static final String HASH_HEX = "00112233445566778899aabbccddeeff01234567";

    final CollectingSink sink = new CollectingSink();
    final ProbePipeline pipeline;
    final Random random = new Random(11);

    CorrelationPipelineTest() {
        AddressPolicy policy = new AddressPolicy(SubscriberNetworks.parse("2001:db8:1::/48"),
                new Pseudonymiser(PseudonymKey.fromEnvironment("00112233445566778899aabbccddeeff")), AddressMode.PSEUDONYMISED);
        ProbeSettings settings = new ProbeSettings("test-probe", FlowTableConfig.defaults(), DecoderLimits.defaults(), policy,
                Duration.ofSeconds(60), ProbeSettings.FlowExport.ALL, SwarmTableConfig.defaults());
        pipeline = new ProbePipeline(settings, sink, DissectorRegistry.standard());
        pipeline.beginCapture("crafted", 1);
    }

    static byte[] v6(long hi, long lo) {
        return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
    }

    /** Ethernet + IPv6 + TCP (20-byte header) + payload. */
    static byte[] tcp(byte[] src, int sport, byte[] dst, int dport, int flags, long seq, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 20 + data.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) 0x86dd);
        b.putInt(0x60000000).putShort((short) (20 + data.length)).put((byte) 6).put((byte) 64).put(src).put(dst);
        b.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt(0)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        return b.put(data).array();
    }

    void feed(byte[] frame, long micros) {
        pipeline.onFrame(frame, frame.length, frame.length, micros, null);
    }

    /** A TCP conversation: SYN, SYN-ACK, then each payload in turn (true: from the initiator). */
    void conversation(byte[] a, int aPort, byte[] b, int bPort, long start, List<Object> turns) {
        long seqA = 1000, seqB = 5000, t = start;
        feed(tcp(a, aPort, b, bPort, 0x02, seqA++, new byte[0]), t++);
        feed(tcp(b, bPort, a, aPort, 0x12, seqB++, new byte[0]), t++);
        for (int i = 0; i < turns.size(); i += 2) {
            boolean fromA = (Boolean) turns.get(i);
            byte[] data = (byte[]) turns.get(i + 1);
            feed(fromA ? tcp(a, aPort, b, bPort, 0x18, seqA, data) : tcp(b, bPort, a, aPort, 0x18, seqB, data), t++);
            if (fromA) {
                seqA += data.length;
            } else {
                seqB += data.length;
            }
        }
    }

    byte[] randomBytes(int n) {
        byte[] r = new byte[n];
        random.nextBytes(r);
        return r;
    }

    /** An MSE key exchange (a public key and padding each way), then a little encrypted traffic. */
    void mse(byte[] a, int aPort, byte[] b, int bPort, long start) {
        conversation(a, aPort, b, bPort, start, List.of(true, randomBytes(96 + 40), false, randomBytes(96 + 120),
                true, randomBytes(60), false, randomBytes(60)));
    }

    static String escaped(String hex) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            s.append('%').append(hex, i, i + 2);
        }
        return s.toString();
    }

    /** The subscriber announces (still downloading) on port 6881; the tracker answers with PEER:51413 in peers6. */
    void announce(long at) {
        byte[] request = ("GET /announce?info_hash=" + escaped(HASH_HEX) + "&peer_id=-TR3000-abcdefghijkl&port=6881"
                + "&uploaded=0&downloaded=0&left=1000&event=started&compact=1 HTTP/1.1\r\nHost: tracker\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] peer = ByteBuffer.allocate(18).put(PEER).putShort((short) 51413).array();
        byte[] body = concat("d8:intervali1800e5:peers0:6:peers618:".getBytes(StandardCharsets.ISO_8859_1), peer, new byte[] {'e'});
        byte[] response = concat(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
                body);
        conversation(SUBSCRIBER, 40000, TRACKER, 80, at, List.of(true, request, false, response));
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    List<ObservationRecord> correlatedOn(FlowRecord flow) {
        List<ObservationRecord> out = new ArrayList<>();
        for (ProbeRecord r : sink.records()) {
            if (r instanceof ObservationRecord o && o.flowId().equals(flow.flowId()) && o.seenIn().equals("correlated")) {
                out.add(o);
            }
        }
        return out;
    }

    /** The flow to {@code port} of the remote host {@code ip}, or of a subscriber if {@code ip} is null. */
    FlowRecord flowTo(String ip, int port) {
        return sink.records().stream().filter(r -> r instanceof FlowRecord f && f.destination().port() == port
                && java.util.Objects.equals(f.destination().ip(), ip)).map(r -> (FlowRecord) r).findFirst().orElseThrow();
    }

    @Test
    void encryptedFlowsAreAttributedByEndpointAndByHostPair() {
        announce(T0);
        mse(SUBSCRIBER, 40001, PEER, 51413, T0 + 10 * SECOND); // to the listed peer's endpoint
        mse(PEER, 30000, SUBSCRIBER, 6999, T0 + 20 * SECOND); // the peer to a port never announced
        mse(SUBSCRIBER, 40002, STRANGER, 51413, T0 + 30 * SECOND); // a host in no known swarm
        pipeline.endCapture(null);

        FlowRecord toPeer = flowTo("2001:db8:2::7", 51413);
        assertEquals("bittorrent", toPeer.protocol());
        List<ObservationRecord> byEndpoint = correlatedOn(toPeer);
        assertEquals(2, byEndpoint.size(), byEndpoint.toString());
        for (ObservationRecord o : byEndpoint) {
            assertEquals(HASH_HEX, o.hash().hex());
            assertEquals(HashKind.BTIH_V1, o.hash().kind(), "Transmission 3.00's announce proved v1");
            assertEquals(0.7, o.confidence(), 1e-9, "the peer's endpoint was listed, the subscriber announced");
            boolean aboutSubscriber = o.source().address().startsWith("sub_");
            assertEquals(aboutSubscriber ? ObservationRole.FETCHING : ObservationRole.ANNOUNCING, o.role(),
                    "little traffic either way: the subscriber's announce said bytes were left");
            assertNull(aboutSubscriber ? o.source().ip() : o.destination().ip(), "the subscriber's address never leaves");
        }

        FlowRecord toSubscriber = flowTo(null, 6999);
        List<ObservationRecord> byHosts = correlatedOn(toSubscriber);
        assertEquals(2, byHosts.size(), byHosts.toString());
        assertTrue(byHosts.stream().allMatch(o -> o.hash().hex().equals(HASH_HEX) && Math.abs(o.confidence() - 0.45) < 1e-9),
                "no known endpoint: the two hosts' one shared swarm, less sure: " + byHosts);

        FlowRecord toStranger = flowTo("2001:db8:3::9", 51413);
        assertEquals("bittorrent", toStranger.protocol(), "recognised as MSE");
        assertEquals(List.of(), correlatedOn(toStranger), "but in no known swarm: nothing is guessed");
    }
}
