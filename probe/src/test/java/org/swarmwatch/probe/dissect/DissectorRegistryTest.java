package org.swarmwatch.probe.dissect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRole;

/** The registry's dispatch logic, with small test dissectors (unit test of logic: no real protocol). */
class DissectorRegistryTest {

    /** Claims a flow whose stream prefix starts with its magic; refuses once the prefix shows otherwise. */
    static final class Magic implements Dissector {
        final String name;
        final byte[] magic;
        final List<Integer> seen = new ArrayList<>();

        Magic(String name, String magic) {
            this.name = name;
            this.magic = magic.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String protocol() {
            return name;
        }

        @Override
        public boolean appliesTo(int ianaProtocol) {
            return ianaProtocol == 6;
        }

        @Override
        public DissectorSession open(FlowContext flow) {
            return (payload, sink) -> {
                seen.add(payload.length());
                StreamPrefix p = payload.prefix();
                if (p == null) {
                    return Verdict.MINE; // owner: keeps receiving payloads
                }
                int n = Math.min(p.length(), magic.length);
                if (!Arrays.equals(Arrays.copyOf(p.bytes(), n), Arrays.copyOf(magic, n))) {
                    return Verdict.NOT_MINE;
                }
                return p.length() >= magic.length ? Verdict.MINE : Verdict.NEED_MORE;
            };
        }
    }

    /** A dissector for every transport whose sessions all behave as {@code session}. */
    static Dissector dissector(String protocol, DissectorSession session) {
        return new Dissector() {
            @Override
            public String protocol() {
                return protocol;
            }

            @Override
            public boolean appliesTo(int ianaProtocol) {
                return true;
            }

            @Override
            public DissectorSession open(FlowContext flow) {
                return session;
            }
        };
    }

    static PacketPayload payload(String text, boolean fromInitiator, long tcpSeq) {
        PacketPayload p = new PacketPayload();
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        p.set(b, 0, b.length, b.length, fromInitiator, 0x18, tcpSeq, 0);
        return p;
    }

    private final ObservationSink none = (fi, h, s, r, c, cl) -> { };

    @Test
    void aHandshakeSplitOverSegmentsIsRecognisedThroughTheStreamPrefix() {
        Magic bt = new Magic("bt", "\u0013BitTorrent protocol");
        DissectorRegistry reg = new DissectorRegistry(List.of(new Magic("http", "GET "), bt));
        TestFlow flow = TestFlow.tcp(40000, 80);
        FlowDissection d = reg.offer(flow, null, payload("\u0013BitTor", true, 1000), none);
        assertNull(d.protocol());
        d = reg.offer(flow, d, payload("rent protocol", true, 1007), none);
        assertEquals("bt", d.protocol());
        // the owner keeps receiving payloads, the prefixes are released
        d = reg.offer(flow, d, payload("xyz", false, 5000), none);
        assertEquals(List.of(7, 13, 3), bt.seen);
        assertNull(d.fromInitiator);
    }

    @Test
    void retransmissionsAreDroppedAndAGapFreezesThePrefix() {
        StreamPrefix p = new StreamPrefix(64);
        byte[] abc = "abcdef".getBytes(StandardCharsets.US_ASCII);
        p.appendTcp(0xFFFFFFFEL, abc, 0, 3); // wraps around 2^32
        p.appendTcp(0xFFFFFFFEL, abc, 0, 3); // retransmission
        p.appendTcp(0xFFFFFFFFL, abc, 1, 4); // overlaps one byte already held ("bcde": "b","c" held -> adds "de")
        assertEquals("abcde", new String(p.bytes(), 0, p.length(), StandardCharsets.US_ASCII));
        p.appendTcp(10, abc, 0, 3); // gap
        assertTrue(p.frozen());
        assertEquals(5, p.length());
    }

    @Test
    void prefixesAreBoundedAcrossFlowsAndReleasedWhenDecided() {
        Magic bt = new Magic("bt", "\u0013BitTorrent protocol");
        DissectorRegistry reg = new DissectorRegistry(List.of(bt), 3 * DissectorRegistry.PREFIX_LIMIT);
        TestFlow flow = TestFlow.tcp(40000, 80);
        FlowDissection a = reg.offer(flow, null, payload("\u0013Bit", true, 0), none);
        FlowDissection b = reg.offer(flow, null, payload("\u0013Bit", true, 0), none);
        FlowDissection c = reg.offer(flow, null, payload("\u0013Bit", true, 0), none);
        assertEquals(3 * DissectorRegistry.PREFIX_LIMIT, reg.prefixBytesReserved());
        FlowDissection d = reg.offer(flow, null, payload("\u0013Bit", true, 0), none);
        assertEquals(1, reg.prefixRefusals(), "a fourth flow gets no prefix");
        assertNull(d.fromInitiator);
        reg.offer(flow, a, payload("Torrent protocol", true, 4), none);
        assertEquals(2 * DissectorRegistry.PREFIX_LIMIT, reg.prefixBytesReserved(), "a decided flow gives its prefix back");
        reg.end(b, none);
        reg.offer(flow, c, payload("HTTP", false, 0), none);
        reg.offer(flow, c, payload("xxxx", true, 4), none); // refuses: c is unknown now
        assertEquals(0, reg.prefixBytesReserved(), "ended and refused flows give theirs back: " + reg.prefixBytesReserved());
    }

    @Test
    void prefixIsBoundedByItsLimit() {
        StreamPrefix p = new StreamPrefix(10);
        byte[] data = new byte[8];
        p.append(data, 0, 8);
        p.append(data, 0, 8);
        assertEquals(10, p.length());
        assertTrue(p.bytes().length <= 10);
    }

    @Test
    void allRefusingMakesTheFlowUnknownAndFreesTheState() {
        DissectorRegistry reg = new DissectorRegistry(List.of(new Magic("a", "AAAA"), new Magic("b", "BBBB")));
        FlowDissection d = reg.offer(TestFlow.tcp(40000, 80), null, payload("CCCC", true, 0), none);
        assertSame(FlowDissection.UNKNOWN_FINISHED, d);
        assertEquals(DissectorRegistry.UNKNOWN, d.protocol());
        assertTrue(d.finished());
    }

    @Test
    void flowsNoDissectorAppliesToAreUnknownAtOnce() {
        DissectorRegistry reg = new DissectorRegistry(List.of(new Magic("a", "AAAA")));
        assertSame(FlowDissection.UNKNOWN_FINISHED, reg.offer(TestFlow.udp(40000, 53), null, payload("AAAA", true, 0), none));
    }

    @Test
    void undecidedFlowsGiveUpAfterTheLimit() {
        Dissector undecided = dissector("maybe", (payload, sink) -> Verdict.NEED_MORE);
        DissectorRegistry reg = new DissectorRegistry(List.of(undecided));
        FlowDissection d = null;
        for (int i = 0; i < DissectorRegistry.MAX_UNDECIDED_PAYLOADS; i++) {
            d = reg.offer(TestFlow.udp(40000, 53), d, payload("x", true, 0), none);
        }
        assertSame(FlowDissection.UNKNOWN_FINISHED, d);
    }

    @Test
    void aThrowingDissectorIsCountedAndDroppedWhileOthersGoOn() {
        Dissector broken = dissector("broken", (payload, sink) -> {
            throw new ArrayIndexOutOfBoundsException("bug");
        });
        DissectorRegistry reg = new DissectorRegistry(List.of(broken, new Magic("a", "AAAA")));
        FlowDissection d = reg.offer(TestFlow.tcp(40000, 80), null, payload("AAAA", true, 0), none);
        assertEquals("a", d.protocol());
        assertEquals(1, reg.failures());
    }

    @Test
    void observationsReachTheSink() {
        List<String> got = new ArrayList<>();
        Dissector reporter = dissector("r", (payload, sink) -> {
            sink.observed(payload.fromInitiator(), ContentHash.of(HashKind.BTIH_V1, new byte[20]), "handshake", ObservationRole.FETCHING, 0.5, null);
            return Verdict.MINE;
        });
        new DissectorRegistry(List.of(reporter)).offer(TestFlow.tcp(40000, 80), null, payload("x", true, 0),
                (fi, h, s, r, c, cl) -> got.add(h.hex() + "/" + s));
        assertArrayEquals(new String[] {"0".repeat(40) + "/handshake"}, got.toArray());
    }
}
