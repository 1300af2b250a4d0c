package org.swarmwatch.probe.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.swarmwatch.events.FlowEndReason;
import org.swarmwatch.probe.decode.DecodedPacket;

class FlowTableTest {
    record Ended(Flow flow, FlowEndReason reason, long packets, long bytes, int segment) {
    }

    private final List<Ended> ended = new ArrayList<>();
    private final FlowListener listener = (f, r) -> ended.add(new Ended(f, r,
            f.sourcePackets() + f.destinationPackets(), f.sourceBytes() + f.destinationBytes(), f.segment()));

    private static final long SECOND = 1_000_000L;

    static DecodedPacket packet(long ts, int src, int sport, int dst, int dport, int proto, int flags, int ipLength) {
        DecodedPacket p = new DecodedPacket();
        p.reset();
        p.timestampMicros = ts;
        p.ipVersion = 4;
        p.srcLo = src & 0xFFFFFFFFL;
        p.dstLo = dst & 0xFFFFFFFFL;
        p.srcPort = sport;
        p.dstPort = dport;
        p.protocol = proto;
        p.tcpFlags = flags;
        p.ipLength = ipLength;
        return p;
    }

    private FlowTable table(int maxFlows) {
        return new FlowTable(new FlowTableConfig(Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ofSeconds(5), maxFlows),
                listener, 1000);
    }

    @Test
    void bothDirectionsFindTheSameFlowAndTheInitiatorIsTheSource() {
        FlowTable t = table(100);
        Flow f1 = t.update(packet(1 * SECOND, 0x0a000002, 40000, 0x0a000001, 6881, 6, 0x02, 60));
        assertTrue(t.lastPacketFromInitiator());
        Flow f2 = t.update(packet(2 * SECOND, 0x0a000001, 6881, 0x0a000002, 40000, 6, 0x12, 60));
        assertFalse(t.lastPacketFromInitiator());
        t.update(packet(3 * SECOND, 0x0a000002, 40000, 0x0a000001, 6881, 6, 0x10, 1500));
        assertSame(f1, f2);
        assertEquals(1, t.size());
        assertEquals(0x0a000002L, f1.sourceLo());
        assertEquals(40000, f1.sourcePort());
        assertEquals(6881, f1.destinationPort());
        assertEquals(2, f1.sourcePackets());
        assertEquals(1560, f1.sourceBytes());
        assertEquals(1, f1.destinationPackets());
        assertEquals(60, f1.destinationBytes());
        assertEquals(1000, f1.id());
    }

    @Test
    void aFlowFirstSeenAtItsSynAckIsAttributedToTheClient() {
        FlowTable t = table(100);
        Flow f = t.update(packet(SECOND, 0x0a000001, 443, 0x0a000002, 50000, 6, 0x12, 60));
        assertEquals(0x0a000002L, f.sourceLo());
        assertEquals(50000, f.sourcePort());
        assertFalse(t.lastPacketFromInitiator());
    }

    @Test
    void differentPortsOrProtocolsAreDifferentFlows() {
        FlowTable t = table(100);
        Flow a = t.update(packet(SECOND, 1, 1000, 2, 53, 17, 0, 80));
        Flow b = t.update(packet(SECOND, 1, 1001, 2, 53, 17, 0, 80));
        Flow c = t.update(packet(SECOND, 1, 1000, 2, 53, 6, 0x02, 80));
        assertNotSame(a, b);
        assertNotSame(a, c);
        assertEquals(3, t.size());
    }

    @Test
    void idleFlowsEndWhenCaptureTimePassesTheTimeout() {
        FlowTable t = table(100);
        t.update(packet(0, 1, 1000, 2, 53, 17, 0, 80));
        t.update(packet(30 * SECOND, 3, 1000, 2, 53, 17, 0, 80));
        t.update(packet(59 * SECOND, 3, 1000, 2, 53, 17, 0, 80));
        assertTrue(ended.isEmpty());
        t.advanceTo(60 * SECOND);
        assertEquals(1, ended.size());
        assertEquals(FlowEndReason.IDLE_TIMEOUT, ended.get(0).reason());
        assertEquals(1, t.size());
        t.advanceTo(119 * SECOND);
        assertEquals(2, ended.size());
        assertEquals(0, t.size());
    }

    @Test
    void longFlowsAreWrittenEveryActiveTimeoutAsSegments() {
        FlowTable t = table(100);
        for (long s = 0; s <= 700; s += 10) {
            t.update(packet(s * SECOND, 1, 1000, 2, 80, 6, 0x10, 100));
        }
        assertEquals(2, ended.size());
        assertEquals(FlowEndReason.ACTIVE_TIMEOUT, ended.get(0).reason());
        assertEquals(30, ended.get(0).packets()); // 0..290 s
        assertEquals(0, ended.get(0).segment());
        assertEquals(1, ended.get(1).segment());
        assertSame(ended.get(0).flow(), ended.get(1).flow());
        t.endAll(FlowEndReason.END_OF_CAPTURE);
        assertEquals(2, ended.get(2).segment());
        assertEquals(71, ended.stream().mapToLong(Ended::packets).sum());
    }

    @Test
    void closedTcpFlowsEndAfterTheLingerAndASynAfterCloseStartsANewFlow() {
        FlowTable t = table(100);
        Flow f = t.update(packet(0, 1, 1000, 2, 80, 6, 0x02, 60));
        t.update(packet(SECOND, 1, 1000, 2, 80, 6, 0x11, 60));
        t.update(packet(SECOND, 2, 80, 1, 1000, 6, 0x11, 60));
        t.update(packet(SECOND, 1, 1000, 2, 80, 6, 0x10, 60)); // last ACK: still the same flow
        assertTrue(ended.isEmpty());
        DecodedPacket retransmittedSyn = packet(2 * SECOND, 1, 1000, 2, 80, 6, 0x02, 60);
        assertSame(f, t.update(retransmittedSyn), "a SYN with the first SYN's sequence number is the same connection");
        DecodedPacket newSyn = packet(2 * SECOND, 1, 1000, 2, 80, 6, 0x02, 60);
        newSyn.tcpSeq = 777_000;
        Flow g = t.update(newSyn); // port reuse: a new connection
        assertNotSame(f, g);
        assertEquals(FlowEndReason.TCP_CLOSED, ended.get(0).reason());
        assertEquals(5, ended.get(0).packets());
        t.update(packet(3 * SECOND, 2, 80, 1, 1000, 6, 0x04, 40)); // RST
        t.advanceTo(8 * SECOND);
        assertEquals(2, ended.size());
        assertEquals(FlowEndReason.TCP_CLOSED, ended.get(1).reason());
    }

    @Test
    void theMemoryBoundEvictsTheLeastRecentlySeenFlowAndCountsIt() {
        FlowTable t = table(16);
        for (int i = 0; i < 16; i++) {
            t.update(packet(i, 1, 1000 + i, 2, 53, 17, 0, 80));
        }
        t.update(packet(100, 1, 1000, 2, 53, 17, 0, 80)); // flow 0 becomes the most recent
        t.update(packet(101, 1, 5000, 2, 53, 17, 0, 80)); // a 17th flow
        assertEquals(16, t.size());
        assertEquals(1, t.evicted());
        assertEquals(FlowEndReason.EVICTED, ended.get(0).reason());
        assertEquals(1001, ended.get(0).flow().sourcePort());
    }

    @Test
    void closedFlowsAreEvictedBeforeOpenOnes() {
        FlowTable t = table(16);
        for (int i = 0; i < 15; i++) {
            t.update(packet(i, 1, 1000 + i, 2, 53, 17, 0, 80));
        }
        t.update(packet(20, 1, 9999, 2, 80, 6, 0x04, 40)); // closed by RST, most recent
        t.update(packet(21, 1, 5000, 2, 53, 17, 0, 80));
        assertEquals(9999, ended.get(0).flow().sourcePort());
    }

    @Test
    void endAllWritesEveryFlowOnceAndEmptiesTheTable() {
        FlowTable t = table(1 << 14);
        Random r = new Random(7);
        Set<Flow> flows = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            flows.add(t.update(packet(i, r.nextInt(50), 1 + r.nextInt(50), r.nextInt(50), 1 + r.nextInt(3), 17, 0, 100)));
        }
        t.endAll(FlowEndReason.END_OF_CAPTURE);
        assertEquals(0, t.size());
        assertEquals(20_000, ended.stream().mapToLong(Ended::packets).sum());
        assertEquals(t.created(), ended.size());
        assertEquals(flows.size() + 0L, ended.stream().map(Ended::flow).distinct().count() + 0L);
    }

    @Test
    void lookupsStayCorrectUnderHeavyInsertAndDeleteChurn() {
        // Backward-shift deletion must keep every remaining key findable: compare with a reference model.
        FlowTable t = new FlowTable(new FlowTableConfig(Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofSeconds(1), 512),
                listener, 0);
        Random r = new Random(42);
        java.util.Map<Long, Flow> model = new java.util.HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            int port = r.nextInt(700);
            long ts = i * 10L; // 1 s idle timeout = 100,000 packets: flows come and go
            Flow f = t.update(packet(ts, 7, port + 1, 9, 80, 17, 0, 50));
            if (!ended.isEmpty()) {
                model.values().removeIf(g -> ended.stream().anyMatch(e -> e.flow() == g));
                ended.clear();
            }
            Flow known = model.get((long) port);
            if (known != null) {
                assertSame(known, f, "flow for port " + port);
            }
            model.put((long) port, f);
        }
        assertTrue(t.size() <= 512);
    }

    @Test
    void ipv6AddressesUseBothHalvesOfTheKey() {
        FlowTable t = table(100);
        DecodedPacket a = packet(0, 0, 1000, 0, 80, 6, 0x02, 60);
        a.ipVersion = 6;
        a.srcHi = 0x20010db800000000L;
        a.srcLo = 1;
        a.dstHi = 0x20010db800000000L;
        a.dstLo = 2;
        DecodedPacket b = packet(0, 0, 1000, 0, 80, 6, 0x02, 60);
        b.ipVersion = 6;
        b.srcHi = 0x20010db900000000L;
        b.srcLo = 1;
        b.dstHi = 0x20010db800000000L;
        b.dstLo = 2;
        assertNotSame(t.update(a), t.update(b));
    }
}
