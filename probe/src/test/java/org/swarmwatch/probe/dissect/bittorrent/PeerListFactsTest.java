package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.swarmwatch.probe.dissect.bittorrent.UdpDissectorsTest.datagram;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.RecordingSink;
import org.swarmwatch.probe.dissect.TestFlow;

/**
 * Peer lists over IPv6 and in broken shapes, as the UDP tracker (BEP 15) and DHT (BEP 5, BEP 32)
 * dissectors hand them to the swarm table.
 */
class PeerListFactsTest {
    final RecordingSink sink = new RecordingSink();

    static FlowContext udp6(int sourcePort, int destinationPort) {
        return new FlowContext() {
            public long id() {
                return 1;
            }

            public int ipVersion() {
                return 6;
            }

            public int ianaProtocol() {
                return 17;
            }

            public boolean startCaptured() {
                return false;
            }

            public int sourcePort() {
                return sourcePort;
            }

            public int destinationPort() {
                return destinationPort;
            }
        };
    }

    static byte[] announceResponse(int transaction, int peerBytes) {
        return ByteBuffer.allocate(20 + peerBytes).putInt(1).putInt(transaction).putInt(1800).putInt(1).putInt(1).array();
    }

    DissectorSession announced(FlowContext flow) {
        DissectorSession s = new UdpTrackerDissector().open(flow);
        s.onPayload(datagram(UdpDissectorsTest.connect(42), true), sink);
        s.onPayload(datagram(UdpDissectorsTest.connected(42, 77), false), sink);
        s.onPayload(datagram(UdpDissectorsTest.announce(77, 1000, 0, 2), true), sink);
        return s;
    }

    @Test
    void aUdpTrackerAnswersIpv6AnnouncesWithEighteenBytePeers() {
        DissectorSession s = announced(udp6(6881, 6969));
        s.onPayload(datagram(announceResponse(7, 2 * 18), false), sink);
        assertEquals(List.of("kind d0d1d2 btih_v1", "member initiator 6881 d0d1d2 fetching", "peers to-initiator 2 ipv6 d0d1d2"),
                sink.facts, "over IPv6 the peers are 18 bytes each (BEP 15); left=1000: still downloading");
    }

    @Test
    void aUdpAnnounceResponseOfBrokenLengthGivesNoPeers() {
        DissectorSession s = announced(TestFlow.udp(6881, 6969));
        s.onPayload(datagram(announceResponse(7, 6 * 2 + 5), false), sink);
        s.onPayload(datagram(announceResponse(7, 6), false), sink);
        assertEquals(List.of("kind d0d1d2 btih_v1", "member initiator 6881 d0d1d2 fetching"), sink.facts,
                "17 bytes of peers is no IPv4 list; and only the first answer to the announce counts");
    }

    @Test
    void dhtValuesOverIpv6AreEighteenBytePeers() {
        DissectorSession s = new DhtDissector().open(udp6(6881, 6881));
        String node = "abcdefghij0123456789", target = "mnopqrstuvwxyz012345";
        String query = "d1:ad2:id20:" + node + "9:info_hash20:" + target + "e1:q9:get_peers1:t2:aa1:y1:qe";
        s.onPayload(datagram(query.getBytes(StandardCharsets.ISO_8859_1), true), sink);
        String peer6 = "\u0020\u0001\r\u00b8" + "\0".repeat(11) + "\u0001\u001a\u00e1";
        String answer = "d1:rd2:id20:" + node + "5:token2:xx6:valuesl18:" + peer6 + "3:abcee1:t2:aa1:y1:re";
        s.onPayload(datagram(answer.getBytes(StandardCharsets.ISO_8859_1), false), sink);
        assertEquals(List.of("peers to-initiator 1 ipv6 6d6e6f"), sink.facts, "an 18-byte value (BEP 32); a 3-byte one is skipped");
    }
}
