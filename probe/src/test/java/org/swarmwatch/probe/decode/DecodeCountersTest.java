package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.decode.DecodeCounters.Reason;

class DecodeCountersTest {
    @Test
    void snapshotHoldsTheNonZeroCountersBySnakeCaseName() {
        DecodeCounters c = new DecodeCounters();
        c.increment(Reason.OK);
        c.increment(Reason.OK);
        c.increment(Reason.TRUNCATED_L4);
        c.increment(Reason.FRAGMENTS_EVICTED);
        assertEquals(2, c.get(Reason.OK));
        assertEquals(Map.of("ok", 2L, "truncated_l4", 1L, "fragments_evicted", 1L), c.snapshot());
        Map<String, Long> before = c.snapshot();
        c.increment(Reason.OK);
        assertEquals(2L, before.get("ok"), "a snapshot does not change afterwards");
        assertThrows(UnsupportedOperationException.class, () -> before.put("x", 1L));
        c.reset();
        assertEquals(Map.of(), c.snapshot());
        assertEquals(0, c.get(Reason.OK));
    }

    @Test
    void everyReasonNamesItsStatusOrIsAnEvent() {
        for (Reason r : Reason.values()) {
            if (r.name().startsWith("FRAGMENTS_")) {
                assertNull(r.status(), r.name());
            } else {
                assertTrue(r.status() != null, r.name());
            }
        }
        assertEquals(DecodeStatus.TRUNCATED, Reason.TRUNCATED_TUNNEL.status());
        assertEquals(DecodeStatus.MALFORMED, Reason.TOO_MANY_ENCAPSULATIONS.status());
        assertEquals(DecodeStatus.UNSUPPORTED, Reason.UNSUPPORTED_ETHERTYPE.status());
    }
}
