package org.swarmwatch.events.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The health options of the commands, checked with messages that name the option. */
class HealthAddressTest {

    @Test
    void noPortNoEndpoint() {
        assertNull(HealthAddress.of("127.0.0.1", null));
    }

    @Test
    void aPortOnTheDefaultAddress() {
        assertEquals("127.0.0.1:0", HealthAddress.of(HealthServer.DEFAULT_ADDRESS, 0).getAddress().getHostAddress() + ":0");
        assertEquals(9466, HealthAddress.of("127.0.0.1", 9466).getPort());
    }

    @Test
    void badValuesAreNamed() {
        assertEquals("--health-port must be between 0 and 65535, got 65536",
                assertThrows(IllegalArgumentException.class, () -> HealthAddress.of("127.0.0.1", 65536)).getMessage());
        assertEquals("--health-port must be between 0 and 65535, got -1",
                assertThrows(IllegalArgumentException.class, () -> HealthAddress.of("127.0.0.1", -1)).getMessage());
        String m = assertThrows(IllegalArgumentException.class, () -> HealthAddress.of("[::1", 9466)).getMessage(); // malformed: refused without a name lookup
        assertEquals(true, m.startsWith("--health-address '[::1' is not an address of this machine: "), m);
    }
}
