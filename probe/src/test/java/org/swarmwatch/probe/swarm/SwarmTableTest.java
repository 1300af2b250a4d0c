package org.swarmwatch.probe.swarm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.probe.dissect.ObservationSink.SwarmAttribution;

/** Attribution rules, expiry and bounds of the swarm table. */
class SwarmTableTest {
    static final long SEEDER = 0x0a4d000bL, LEECHER = 0x0a4d000cL, OTHER = 0x0a4d000dL;
    static final long HOUR = 3600L * 1_000_000;

    static byte[] hash(int n) {
        byte[] h = new byte[20];
        h[0] = (byte) n;
        return h;
    }

    @Test
    void aFlowToAnEndpointKnownForOneSwarmIsAttributedToIt() {
        SwarmTable t = new SwarmTable();
        t.member(0, SEEDER, 6881, hash(1), 0); // the seeder announced port 6881
        SwarmAttribution a = t.attribute(0, OTHER, 0, SEEDER, 6881, HOUR);
        assertArrayEquals(hash(1), a.infoHash());
        assertFalse(a.bothEnds(), "nothing is known of the initiator");
        t.member(0, LEECHER, 0, hash(1), HOUR); // the leecher was told the peers
        assertTrue(t.attribute(0, LEECHER, 0, SEEDER, 6881, HOUR).bothEnds());
        assertNull(t.attribute(0, LEECHER, 0, SEEDER, 6882, HOUR), "another port of the host is another endpoint");
    }

    @Test
    void anEndpointInSeveralSwarmsNeedsTheInitiatorToChoose() {
        SwarmTable t = new SwarmTable();
        t.member(0, SEEDER, 6881, hash(1), 0);
        t.member(0, SEEDER, 6881, hash(2), 0);
        assertNull(t.attribute(0, OTHER, 0, SEEDER, 6881, 1), "a guess is not evidence");
        t.member(0, LEECHER, 0, hash(2), 0);
        SwarmAttribution a = t.attribute(0, LEECHER, 0, SEEDER, 6881, 1);
        assertArrayEquals(hash(2), a.infoHash());
        assertTrue(a.bothEnds());
    }

    @Test
    void factsExpire() {
        SwarmTable t = new SwarmTable(100, HOUR);
        t.member(0, SEEDER, 6881, hash(1), 0);
        assertEquals(2, t.size(), "the endpoint and its host");
        assertNull(t.attribute(0, OTHER, 0, SEEDER, 6881, HOUR + 1));
        t.member(0, SEEDER, 6881, hash(1), 2 * HOUR); // confirmed again
        assertArrayEquals(hash(1), t.attribute(0, OTHER, 0, SEEDER, 6881, 2 * HOUR + 10).infoHash());
    }

    @Test
    void sizeIsBoundedAndAnEndpointKeepsItsLatestSwarms() {
        SwarmTable t = new SwarmTable(10, HOUR);
        for (int port = 1; port <= 1000; port++) {
            t.member(0, SEEDER, port, hash(1), port);
        }
        assertEquals(10, t.size());
        assertArrayEquals(hash(1), t.attribute(0, OTHER, 0, SEEDER, 1000, 1000).infoHash());
        assertNull(t.attribute(0, OTHER, 0, SEEDER, 1, 1000), "least recently used went first");
        for (int n = 1; n <= 6; n++) {
            t.member(0, LEECHER, 6881, hash(n), n);
        }
        t.member(0, OTHER, 0, hash(6), 7);
        assertArrayEquals(hash(6), t.attribute(0, OTHER, 0, LEECHER, 6881, 7).infoHash());
        t.member(0, OTHER, 0, hash(1), 7);
        assertArrayEquals(hash(6), t.attribute(0, OTHER, 0, LEECHER, 6881, 7).infoHash(),
                "the endpoint forgot its oldest swarms (1 and 2): only 6 is shared");
    }

    @Test
    void provenKindsAreRemembered() {
        SwarmTable t = new SwarmTable();
        assertNull(t.kindOf(hash(1)));
        t.provenKind(hash(1), HashKind.BTIH_V2_TRUNCATED);
        assertEquals(HashKind.BTIH_V2_TRUNCATED, t.kindOf(hash(1).clone()));
    }
}
