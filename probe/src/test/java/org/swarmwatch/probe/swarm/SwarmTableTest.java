package org.swarmwatch.probe.swarm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.probe.dissect.ObservationSink.SwarmAttribution;
import org.swarmwatch.probe.dissect.ObservationSink.SwarmAttribution.Evidence;

/** Attribution rules, expiry and bounds of the swarm table. */
class SwarmTableTest {
    static final long SEEDER = 0x0a4d000bL, LEECHER = 0x0a4d000cL, OTHER = 0x0a4d000dL;
    static final long MINUTE = 60L * 1_000_000, HOUR = 60 * MINUTE;

    static byte[] hash(int n) {
        byte[] h = new byte[20];
        h[0] = (byte) n;
        h[19] = (byte) (n >> 8);
        return h;
    }

    /** A flow from {@code initiator}:40000 to {@code responder}:{@code port}. */
    static SwarmAttribution flow(SwarmTable t, long initiator, long responder, int port, long now) {
        return t.attribute(0, initiator, 40000, 0, responder, port, now);
    }

    @Test
    void aFlowToAnEndpointKnownForOneSwarmIsAttributedToIt() {
        SwarmTable t = new SwarmTable();
        t.member(0, SEEDER, 6881, hash(1), 0); // the seeder announced port 6881
        SwarmAttribution a = flow(t, OTHER, SEEDER, 6881, HOUR / 2);
        assertArrayEquals(hash(1), a.infoHash());
        assertEquals(Evidence.ENDPOINT, a.evidence(), "nothing is known of the initiator");
        t.member(0, LEECHER, 0, hash(1), HOUR / 2); // the leecher was told the peers
        assertEquals(Evidence.ENDPOINT_AND_HOST, flow(t, LEECHER, SEEDER, 6881, HOUR / 2).evidence());
        assertTrue(flow(t, LEECHER, SEEDER, 6881, HOUR / 2).bothEnds());
    }

    @Test
    void anotherPortOfAKnownHostIsPlacedOnlyByTheHostPair() {
        SwarmTable t = new SwarmTable();
        t.member(0, SEEDER, 6881, hash(1), 0);
        assertNull(flow(t, OTHER, SEEDER, 6882, 1), "another port of the host is another endpoint, and OTHER took part in nothing");
        t.member(0, LEECHER, 0, hash(1), 0);
        SwarmAttribution a = flow(t, LEECHER, SEEDER, 6882, 1);
        assertEquals(Evidence.HOST_PAIR, a.evidence());
        assertArrayEquals(hash(1), a.infoHash());
        t.member(0, LEECHER, 0, hash(2), 0);
        t.member(0, SEEDER, 0, hash(2), 0);
        assertNull(flow(t, LEECHER, SEEDER, 6882, 1), "two hosts sharing two swarms: a guess is not evidence");
        t.member(0, OTHER, 0, hash(3), 0);
        assertNull(flow(t, OTHER, OTHER, 6882, 1), "a host and itself are no pair");
    }

    @Test
    void anEndpointInSeveralSwarmsNeedsTheInitiatorToChoose() {
        SwarmTable t = new SwarmTable();
        t.member(0, SEEDER, 6881, hash(1), 0);
        t.member(0, SEEDER, 6881, hash(2), 0);
        assertNull(flow(t, OTHER, SEEDER, 6881, 1), "a guess is not evidence");
        t.member(0, LEECHER, 0, hash(2), 0);
        SwarmAttribution a = flow(t, LEECHER, SEEDER, 6881, 1);
        assertArrayEquals(hash(2), a.infoHash());
        assertEquals(Evidence.ENDPOINT_AND_HOST, a.evidence());
    }

    @Test
    void aFlowJoinedMidWayIsTriedTheOtherWayRound() {
        SwarmTable t = new SwarmTable();
        t.member(0, SEEDER, 6881, hash(1), 0);
        t.member(0, LEECHER, 0, hash(1), 0);
        // the first captured packet came from the seeder's listening socket
        SwarmAttribution a = t.attribute(0, SEEDER, 6881, 0, LEECHER, 51413, 1);
        assertArrayEquals(hash(1), a.infoHash());
        assertEquals(Evidence.ENDPOINT_AND_HOST, a.evidence());
    }

    @Test
    void whatTheTrackerSaidOfEachHostComesWithTheAttribution() {
        SwarmTable t = new SwarmTable();
        t.member(0, SEEDER, 6881, hash(1), 0, false, 0); // announced left=0
        t.member(0, LEECHER, 6882, hash(1), 0, true, 0); // announced left>0
        t.member(0, LEECHER, 0, hash(1), 1); // then told the peers: says nothing of downloading
        SwarmAttribution a = flow(t, LEECHER, SEEDER, 6881, 1);
        assertTrue(a.initiatorFetching());
        assertFalse(a.responderFetching());
        SwarmAttribution reverse = flow(t, SEEDER, LEECHER, 6882, 1);
        assertFalse(reverse.initiatorFetching());
        assertTrue(reverse.responderFetching());
        t.member(0, LEECHER, 6882, hash(1), 0, false, 2); // completed: its later announce says so
        assertFalse(flow(t, LEECHER, SEEDER, 6881, 3).initiatorFetching());
        t.member(0, LEECHER, 6882, hash(1), 0, true, 1); // an older fact arriving late changes nothing
        assertFalse(flow(t, LEECHER, SEEDER, 6881, 3).initiatorFetching());
    }

    @Test
    void factsExpireAndExpiriesAreCounted() {
        SwarmTable t = new SwarmTable(100, 30 * MINUTE);
        t.member(0, SEEDER, 6881, hash(1), 0);
        assertEquals(2, t.size(), "the endpoint and its host");
        assertNull(flow(t, OTHER, SEEDER, 6881, 30 * MINUTE + 1), "30 minutes and a microsecond later");
        assertEquals(2, t.expired(), "both dropped when looked up");
        assertEquals(0, t.size());
        t.member(0, SEEDER, 6881, hash(1), HOUR);
        t.member(0, SEEDER, 6881, hash(1), 2 * HOUR); // confirmed again
        assertArrayEquals(hash(1), flow(t, OTHER, SEEDER, 6881, 2 * HOUR + 10).infoHash());
        t.member(0, LEECHER, 0, hash(2), 2 * HOUR + 20 * MINUTE);
        t.expire(2 * HOUR + 40 * MINUTE);
        assertEquals(1, t.size(), "the sweep keeps the leecher's fresh host fact");
        assertEquals(4, t.expired());
        assertEquals(0, t.evicted(), "expiry is not eviction");
    }

    @Test
    void aFactConfirmedAfterTheFlowCountsWithinTheLifetime() {
        SwarmTable t = new SwarmTable(100, 30 * MINUTE);
        t.member(0, SEEDER, 6881, hash(1), HOUR); // announced after the flow's last packet
        assertArrayEquals(hash(1), flow(t, OTHER, SEEDER, 6881, HOUR - 10 * MINUTE).infoHash());
        assertNull(flow(t, OTHER, SEEDER, 6881, HOUR - 31 * MINUTE), "but not a flow that ended long before");
        assertEquals(0, t.expired(), "looking up an old flow drops no newer fact");
        assertArrayEquals(hash(1), flow(t, OTHER, SEEDER, 6881, HOUR).infoHash());
    }

    @Test
    void anExpiredSwarmOfAnEndpointDoesNotBlockItsLiveOne() {
        SwarmTable t = new SwarmTable(100, 30 * MINUTE);
        t.member(0, SEEDER, 6881, hash(1), 0);
        t.member(0, SEEDER, 6881, hash(2), 20 * MINUTE);
        assertNull(flow(t, OTHER, SEEDER, 6881, 25 * MINUTE), "two live swarms");
        assertArrayEquals(hash(2), flow(t, OTHER, SEEDER, 6881, 35 * MINUTE).infoHash(), "the first has expired");
    }

    @Test
    void sizeIsBoundedEvictionsAreCountedAndAnEndpointKeepsItsLatestSwarms() {
        SwarmTable t = new SwarmTable(10, HOUR);
        for (int port = 1; port <= 1000; port++) {
            t.member(0, SEEDER, port, hash(1), port);
        }
        assertEquals(10, t.size());
        assertEquals(1001 - 10, t.evicted(), "1000 endpoints and one host through 10 places");
        assertArrayEquals(hash(1), flow(t, OTHER, SEEDER, 1000, 1000).infoHash());
        assertNull(flow(t, OTHER, SEEDER, 1, 1000), "least recently used went first");
        for (int n = 1; n <= 6; n++) {
            t.member(0, LEECHER, 6881, hash(n), n);
        }
        t.member(0, OTHER, 0, hash(6), 7);
        assertArrayEquals(hash(6), flow(t, OTHER, LEECHER, 6881, 7).infoHash());
        t.member(0, OTHER, 0, hash(1), 7);
        assertArrayEquals(hash(6), flow(t, OTHER, LEECHER, 6881, 7).infoHash(),
                "the endpoint forgot its oldest swarms (1 and 2): only 6 is shared");
    }

    @Test
    void aFloodOfPeersStaysWithinTheBound() {
        SwarmTable t = new SwarmTable(1000, HOUR);
        for (int i = 0; i < 200_000; i++) {
            t.member(0, 0x0b000000L + i, 6881, hash(i), 0, (i & 1) == 0, i);
        }
        assertEquals(1000, t.size());
        assertEquals(400_000 - 1000, t.evicted());
        assertArrayEquals(hash(199_999), flow(t, OTHER, 0x0b000000L + 199_999, 6881, 200_000).infoHash());
    }

    @Test
    void ipv6EndpointsAreTheirOwnKeys() {
        SwarmTable t = new SwarmTable();
        long hi = 0x20010db800000000L;
        t.member(hi, 1, 6881, hash(1), 0);
        assertArrayEquals(hash(1), t.attribute(hi, 2, 40000, hi, 1, 6881, 1).infoHash());
        assertNull(t.attribute(0, 2, 40000, 0, 1, 6881, 1), "::1 is not 2001:db8::1");
    }

    @Test
    void provenKindsAreRemembered() {
        SwarmTable t = new SwarmTable();
        assertNull(t.kindOf(hash(1)));
        t.provenKind(hash(1), HashKind.BTIH_V2_TRUNCATED);
        assertEquals(HashKind.BTIH_V2_TRUNCATED, t.kindOf(hash(1).clone()));
    }

    @Test
    void configurationIsCheckedAndMemoryBecomesEntries() {
        SwarmTableConfig defaults = SwarmTableConfig.defaults();
        assertEquals(Duration.ofMinutes(30), defaults.ttl());
        assertEquals((64L << 20) / SwarmTable.BYTES_PER_ENTRY, defaults.maxEntries());
        assertEquals(16, SwarmTableConfig.maxEntriesForMemory(1), "never fewer than 16");
        assertThrows(IllegalArgumentException.class, () -> new SwarmTableConfig(8, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new SwarmTableConfig(100, Duration.ZERO));
        SwarmTable t = new SwarmTableConfig(100, Duration.ofMinutes(1)).newTable();
        assertEquals(100, t.maxEntries());
        t.member(0, SEEDER, 6881, hash(1), 0);
        assertNull(flow(t, OTHER, SEEDER, 6881, 61_000_001L), "the configured lifetime applies");
    }
}
