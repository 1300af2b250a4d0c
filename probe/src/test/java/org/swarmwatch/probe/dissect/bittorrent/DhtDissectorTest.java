package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.TestFlow;
import org.swarmwatch.probe.dissect.Verdict;

/** Mainline DHT KRPC (BEP 5) on crafted messages. */
class DhtDissectorTest {
    static final String ID = "abcdefghij0123456789";
    static final String HASH = "mnopqrstuvwxyz012345";

    final List<String> seen = new ArrayList<>();
    final ObservationSink sink = (fromInitiator, hash, seenIn, role, confidence, client) ->
            seen.add(fromInitiator + " " + seenIn + " " + role.wireName() + " " + hash.hex().substring(0, 6) + " " + client);

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    DissectorSession session() {
        return new DhtDissector().open(TestFlow.udp(6881, 6881));
    }

    @Test
    void announcePeerIsReportedAboutTheQueryingNode() {
        DissectorSession s = session();
        String announce = "d1:ad2:id20:" + ID + "12:implied_porti1e9:info_hash20:" + HASH + "4:porti6881e5:token2:tte"
                + "1:q13:announce_peer1:t2:aa1:v4:LT\u0002\u00081:y1:qe";
        assertEquals(Verdict.MINE, s.onPayload(UdpDissectorsTest.datagram(b(announce), true), sink));
        assertEquals(List.of("true dht_announce_peer announcing 6d6e6f LT 2.8"), seen);
    }

    @Test
    void lookupsPingsAndResponsesMakeNoObservation() {
        DissectorSession s = session();
        String getPeers = "d1:ad2:id20:" + ID + "9:info_hash20:" + HASH + "e1:q9:get_peers1:t2:aa1:y1:qe";
        String ping = "d1:ad2:id20:" + ID + "e1:q4:ping1:t2:ab1:y1:qe";
        String response = "d1:rd2:id20:" + ID + "6:valuesl6:\u007f\u0000\u0000\u0001\u001a\u00e1ee1:t2:aa1:y1:re";
        String error = "d1:eli201e7:A Errore1:t2:aa1:y1:ee";
        for (String m : List.of(getPeers, ping, response, error)) {
            assertEquals(Verdict.MINE, s.onPayload(UdpDissectorsTest.datagram(b(m), true), sink), m);
        }
        assertEquals(List.of(), seen);
    }

    @Test
    void bencodeThatIsNotKrpcIsNotClaimed() {
        assertEquals(Verdict.NOT_MINE, session().onPayload(UdpDissectorsTest.datagram(b("d3:foo3:bar4:spam4:eggse"), true), sink));
        assertEquals(Verdict.NOT_MINE, session().onPayload(UdpDissectorsTest.datagram(b("d1:t2:aa1:y1:xe"), true), sink));
        assertEquals(Verdict.NOT_MINE, session().onPayload(UdpDissectorsTest.datagram(b("d1:t2:aa1:y1:q1:q4:pinge"), true), sink),
                "a query without arguments");
    }
}
