package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.TestFlow;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.Verdict;

/** The UDP tracker (BEP 15) and LSD (BEP 14) dissectors on crafted datagrams, and what they must not claim. */
class UdpDissectorsTest {
    final List<String> seen = new ArrayList<>();
    final ObservationSink sink = (fromInitiator, hash, seenIn, role, confidence, client) ->
            seen.add(seenIn + " " + role.wireName() + " " + hash.hex().substring(0, 8) + " " + client);

    static PacketPayload datagram(byte[] b, boolean fromInitiator) {
        PacketPayload p = new PacketPayload();
        p.set(b, 0, b.length, b.length, fromInitiator, 0, 0, 0);
        return p;
    }

    static byte[] connect(int tid) {
        return ByteBuffer.allocate(16).putLong(UdpTrackerDissector.PROTOCOL_ID).putInt(0).putInt(tid).array();
    }

    static byte[] connected(int tid, long cid) {
        return ByteBuffer.allocate(16).putInt(0).putInt(tid).putLong(cid).array();
    }

    static byte[] announce(long cid, long left, long uploaded, int event) {
        ByteBuffer b = ByteBuffer.allocate(98).putLong(cid).putInt(1).putInt(7);
        for (int i = 0; i < 20; i++) {
            b.put((byte) (0xd0 + i));
        }
        b.put(PeerIdsTest.id("-TR3000-")).putLong(0).putLong(left).putLong(uploaded).putInt(event).putInt(0).putInt(1).putInt(50).putShort((short) 6881);
        return b.array();
    }

    @Test
    void udpTrackerConnectThenAnnounces() {
        DissectorSession s = new UdpTrackerDissector().open(TestFlow.udp(6881, 6969));
        assertEquals(Verdict.NEED_MORE, s.onPayload(datagram(connect(42), true), sink));
        assertEquals(Verdict.MINE, s.onPayload(datagram(connected(42, 0x1122334455667788L), false), sink));
        s.onPayload(datagram(announce(0x1122334455667788L, 1000, 0, 2), true), sink);
        s.onPayload(datagram(announce(0x1122334455667788L, 0, 5000, 1), true), sink);
        s.onPayload(datagram(announce(0x0BADL, 0, 0, 0), true), sink); // not the tracker's connection id: ignored
        ByteBuffer scrape = ByteBuffer.allocate(56).putLong(0x1122334455667788L).putInt(2).putInt(9);
        s.onPayload(datagram(scrape.array(), true), sink);
        assertEquals(List.of("udp_tracker fetching d0d1d2d3 Transmission 3.00", "udp_tracker offering d0d1d2d3 Transmission 3.00",
                "udp_tracker looking_up 00000000 null", "udp_tracker looking_up 00000000 null"), seen);
    }

    @Test
    void udpTrackerNeedsTheWholeExchange() {
        DissectorSession s = new UdpTrackerDissector().open(TestFlow.udp(6881, 6969));
        assertEquals(Verdict.NEED_MORE, s.onPayload(datagram(connect(42), true), sink));
        assertEquals(Verdict.NOT_MINE, s.onPayload(datagram(connected(43, 1), false), sink), "wrong transaction id");
        DissectorSession t = new UdpTrackerDissector().open(TestFlow.udp(6881, 6969));
        assertEquals(Verdict.NOT_MINE, t.onPayload(datagram(announce(1, 0, 0, 0), true), sink), "an announce without a connect");
    }

    static byte[] utp(int type, int connectionId, int seq, int ack, byte[] payload) {
        return ByteBuffer.allocate(20 + payload.length).put((byte) (type << 4 | 1)).put((byte) 0).putShort((short) connectionId)
                .putInt(1).putInt(0).putInt(65536).putShort((short) seq).putShort((short) ack).put(payload).array();
    }

    @Test
    void utpConnectionCarryingAPeerWireHandshake() {
        DissectorSession s = new UdpSocketDissector().open(TestFlow.udp(40000, 6881));
        byte[] krpc = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Verdict.MINE, s.onPayload(datagram(krpc, true), sink), "DHT on the same socket");
        assertEquals(Verdict.MINE, s.onPayload(datagram(utp(UtpDissector.ST_SYN, 0x5302, 0xfffe, 0, new byte[0]), true), sink));
        s.onPayload(datagram(utp(UtpDissector.ST_STATE, 0x5302, 0x49c7, 0xfffe, new byte[0]), false), sink);
        byte[] hs = PeerWireStreamTest.handshake(0);
        s.onPayload(datagram(utp(UtpDissector.ST_DATA, 0x5303, 0xffff, 0x49c6, java.util.Arrays.copyOf(hs, 30)), true), sink);
        s.onPayload(datagram(utp(UtpDissector.ST_DATA, 0x5303, 0xffff, 0x49c6, java.util.Arrays.copyOf(hs, 30)), true), sink); // duplicate
        s.onPayload(datagram(utp(UtpDissector.ST_DATA, 0x5303, 0x0000, 0x49c6, java.util.Arrays.copyOfRange(hs, 30, 68)), true), sink); // wraps
        s.onPayload(datagram(utp(UtpDissector.ST_DATA, 0x5302, 0x49c7, 0x0000, hs), false), sink);
        s.onPayload(datagram(utp(UtpDissector.ST_DATA, 0x5302, 0x49c8, 0x0000, PeerWireStreamTest.piece(1000)), false), sink);
        s.onFlowEnd(sink);
        assertEquals(List.of("handshake fetching a0a1a2a3 Transmission 3.00", "handshake offering a0a1a2a3 Transmission 3.00"), seen);
    }

    @Test
    void utpNeedsTheConnectionSetupOrAConsistentRunOfPackets() {
        DissectorSession s = new UtpDissector().open(TestFlow.udp(40000, 6881));
        assertEquals(Verdict.NEED_MORE, s.onPayload(datagram(utp(UtpDissector.ST_DATA, 1, 1, 1, new byte[10]), true), sink),
                "data without a SYN: perhaps a connection the capture joined late");
        assertEquals(Verdict.NOT_MINE, s.onPayload(datagram(utp(UtpDissector.ST_STATE, 1, 2, 1, new byte[10]), true), sink),
                "a STATE packet carries no data");
        // a connection joined mid-way: four packets with one connection id and sequence numbers advancing by 0 or 1
        DissectorSession m = new UtpDissector().open(TestFlow.udp(40000, 6881));
        assertEquals(Verdict.NEED_MORE, m.onPayload(datagram(utp(UtpDissector.ST_DATA, 9, 500, 1, new byte[10]), true), sink));
        assertEquals(Verdict.NEED_MORE, m.onPayload(datagram(utp(UtpDissector.ST_DATA, 9, 501, 1, new byte[10]), true), sink));
        assertEquals(Verdict.NEED_MORE, m.onPayload(datagram(utp(UtpDissector.ST_STATE, 9, 502, 1, new byte[0]), true), sink));
        assertEquals(Verdict.MINE, m.onPayload(datagram(utp(UtpDissector.ST_DATA, 9, 502, 1, new byte[10]), true), sink));
        // the same shape with a jump in the sequence numbers starts the count again
        DissectorSession j = new UtpDissector().open(TestFlow.udp(40000, 6881));
        for (int seq : new int[] {500, 501, 600, 601}) {
            assertEquals(Verdict.NEED_MORE, j.onPayload(datagram(utp(UtpDissector.ST_DATA, 9, seq, 1, new byte[10]), true), sink));
        }
        DissectorSession t = new UtpDissector().open(TestFlow.udp(40000, 6881));
        assertEquals(Verdict.NEED_MORE, t.onPayload(datagram(utp(UtpDissector.ST_SYN, 7, 100, 0, new byte[0]), true), sink));
        assertEquals(Verdict.NOT_MINE, t.onPayload(datagram(utp(UtpDissector.ST_STATE, 7, 5, 99, new byte[0]), false), sink),
                "a STATE that does not acknowledge the SYN");
    }

    @Test
    void lsdAnnounce() {
        DissectorSession s = new LocalServiceDiscoveryDissector().open(TestFlow.udp(6771, 6771));
        byte[] msg = ("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 61197\r\n"
                + "Infohash: ED4F1085E885F98F9A69B70EE89EB988B8FD9115\r\nInfohash: 00112233445566778899aabbccddeeff00112233\r\n\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals(Verdict.MINE, s.onPayload(datagram(msg, true), sink));
        assertEquals(List.of("lsd announcing ed4f1085 null", "lsd announcing 00112233 null"), seen);
        DissectorSession other = new LocalServiceDiscoveryDissector().open(TestFlow.udp(5353, 5353));
        assertEquals(Verdict.NOT_MINE, other.onPayload(datagram(msg, true), sink), "not on the LSD port");
    }

    /**
     * Datagrams of other UDP protocols, on the ports they use, including the ones trackers and LSD
     * share numbers with: DNS, QUIC, STUN, Teredo (3544), CAPWAP (5246/5247), H.323 RAS (1719),
     * SIP (5060), RTP, a game's UDP, mDNS: none is claimed, by the tracker, LSD, DHT or uTP dissectors.
     */
    @Test
    void otherUdpProtocolsAreNotClaimed() {
        Random r = new Random(5);
        int[] ports = {53, 443, 3478, 3544, 5246, 5247, 1719, 5060, 16384, 27015, 5353, 6969, 6771};
        List<byte[]> payloads = new ArrayList<>();
        payloads.add(new byte[] {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1});
        payloads.add(ByteBuffer.allocate(20).putShort((short) 1).putShort((short) 0).putInt(0x2112A442).put(new byte[12]).array()); // STUN
        payloads.add("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[r.nextBoolean() ? 16 : 8 + r.nextInt(1200)];
            r.nextBytes(b);
            if (i % 2 == 0) {
                b[0] = (byte) 0xc0; // QUIC long header
            } else {
                b[0] = (byte) 0x80; // RTP version 2
            }
            payloads.add(b);
        }
        for (int port : ports) {
            for (byte[] p : payloads) {
                for (var d : List.of(new UdpTrackerDissector(), new LocalServiceDiscoveryDissector(), new DhtDissector(),
                        new UtpDissector(), new UdpSocketDissector())) {
                    DissectorSession s = d.open(TestFlow.udp(40000, port));
                    Verdict v1 = s.onPayload(datagram(p, true), sink);
                    Verdict v2 = s.onPayload(datagram(p, false), sink);
                    assertTrue(v1 != Verdict.MINE && v2 != Verdict.MINE, d.getClass().getSimpleName() + " on port " + port);
                }
            }
        }
        assertEquals(List.of(), seen);
    }
}
