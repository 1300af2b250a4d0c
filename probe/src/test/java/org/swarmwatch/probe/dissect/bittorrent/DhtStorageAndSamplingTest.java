package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.RecordingSink;
import org.swarmwatch.probe.dissect.TestFlow;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * BEP 44 (arbitrary data: get, put) and BEP 51 (sample_infohashes) messages, built as the BEPs
 * show them: recognised as the DHT, and never content. A BEP 44 target is the SHA-1 of a public
 * key (and salt) or of a value, not an infohash; the samples of BEP 51 are what the answering node
 * stores for others (crawlers ask for them), not what either end wants or offers.
 */
class DhtStorageAndSamplingTest {
    static final String ID = "abcdefghij0123456789";
    static final String TARGET = "mnopqrstuvwxyz012345";
    static final String KEY = "k".repeat(32);
    static final String SIG = "s".repeat(64);

    final RecordingSink sink = new RecordingSink();

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    void exchange(String... messages) {
        DissectorSession s = new DhtDissector().open(TestFlow.udp(6881, 6881));
        boolean fromInitiator = true;
        for (String m : messages) {
            assertEquals(Verdict.MINE, s.onPayload(UdpDissectorsTest.datagram(b(m), fromInitiator), sink), m);
            fromInitiator = !fromInitiator;
        }
        s.onFlowEnd(sink);
    }

    @Test
    void bep44GetAndPutOfAMutableItemAreDhtAndNotContent() {
        String get = "d1:ad2:id20:" + ID + "3:seqi4e6:target20:" + TARGET + "e1:q3:get1:t2:g11:y1:qe";
        String got = "d1:rd2:id20:" + ID + "1:k32:" + KEY + "5:nodes0:3:seqi5e3:sig64:" + SIG + "5:token4:tokn1:v12:Hello Worlde"
                + "1:t2:g11:y1:re";
        String put = "d1:ad3:casi5e2:id20:" + ID + "1:k32:" + KEY + "4:salt3:foo3:seqi6e3:sig64:" + SIG + "5:token4:tokn"
                + "1:v12:Hello Worlde1:q3:put1:t2:p11:y1:qe";
        String stored = "d1:rd2:id20:" + ID + "e1:t2:p11:y1:re";
        exchange(get, got, put, stored);
        assertEquals(List.of(), sink.observations);
        assertEquals(List.of(), sink.facts);
    }

    @Test
    void bep44ImmutableItemsAreNotContentEither() {
        // the target of an immutable item is the SHA-1 of its bencoded value: 20 bytes like an infohash, but not one
        String get = "d1:ad2:id20:" + ID + "6:target20:" + TARGET + "e1:q3:get1:t2:g21:y1:qe";
        String got = "d1:rd2:id20:" + ID + "5:token4:tokn1:v12:Hello Worlde1:t2:g21:y1:re";
        String put = "d1:ad2:id20:" + ID + "5:token4:tokn1:v12:Hello Worlde1:q3:put1:t2:p21:y1:qe";
        exchange(get, got, put);
        assertEquals(List.of(), sink.observations);
    }

    @Test
    void bep51SamplesAreNeitherSidesContent() {
        String query = "d1:ad2:id20:" + ID + "6:target20:" + TARGET + "e1:q17:sample_infohashes1:t2:s11:y1:qe";
        String samples = "a".repeat(20) + "b".repeat(20) + "c".repeat(20);
        String answer = "d1:rd2:id20:" + ID + "8:intervali21600e5:nodes0:3:numi3e7:samples60:" + samples + "e1:t2:s11:y1:re";
        exchange(query, answer);
        assertEquals(List.of(), sink.observations);
        assertEquals(List.of(), sink.facts);
    }

    @Test
    void aSamplingAnswerToAGetPeersTransactionIsNotAPeerList() {
        // a node answering a get_peers with the shape of a sample_infohashes reply gave no peers: nothing to report
        String getPeers = "d1:ad2:id20:" + ID + "9:info_hash20:" + TARGET + "e1:q9:get_peers1:t2:aa1:y1:qe";
        String odd = "d1:rd2:id20:" + ID + "8:intervali60e3:numi1e7:samples20:" + "a".repeat(20) + "e1:t2:aa1:y1:re";
        exchange(getPeers, odd);
        assertEquals(List.of(), sink.observations);
    }
}
