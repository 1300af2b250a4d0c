package org.swarmwatch.probe.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Compact peer lists (BEP 23, BEP 7, BEP 15, BEP 5 values): shapes, truncation, bounds. */
class CompactPeersTest {
    final List<String> peers = new ArrayList<>();

    int read(byte[] b, int offset, int length, boolean ipv6, int max) {
        return CompactPeers.read(b, offset, length, ipv6, max,
                (hi, lo, port) -> peers.add(Long.toHexString(hi) + "/" + Long.toHexString(lo) + ":" + port));
    }

    @Test
    void ipv4PeersAreSixBytesEach() {
        byte[] b = {10, 77, 0, 11, 0x1a, (byte) 0xe1, (byte) 192, (byte) 168, 1, (byte) 200, (byte) 0xc8, (byte) 0xd5};
        assertEquals(2, read(b, 0, b.length, false, 200));
        assertEquals(List.of("0/a4d000b:6881", "0/c0a801c8:51413"), peers);
    }

    @Test
    void ipv6PeersAreEighteenBytesEach() {
        byte[] b = new byte[18];
        b[0] = 0x20;
        b[1] = 0x01;
        b[2] = 0x0d;
        b[3] = (byte) 0xb8;
        b[15] = 1;
        b[16] = 0x1a;
        b[17] = (byte) 0xe1;
        assertEquals(1, read(b, 0, b.length, true, 200));
        assertEquals(List.of("20010db800000000/1:6881"), peers, "2001:db8::1 port 6881");
    }

    @Test
    void aListInsideABufferIsReadFromItsOffset() {
        byte[] b = new byte[20 + 6];
        b[20] = 10;
        b[23] = 1;
        b[25] = 80;
        assertEquals(1, read(b, 20, 6, false, 200));
        assertEquals(List.of("0/a000001:80"), peers);
    }

    @Test
    void aTruncatedListGivesItsWholeRecordsAndPortZeroIsSkipped() {
        byte[] b = {10, 0, 0, 1, 0, 80, 10, 0, 0, 2, 0, 0, 10, 0, 0, 3, 0};
        assertEquals(1, read(b, 0, b.length, false, 200), "the second listens on no port, the third is cut off");
        assertEquals(List.of("0/a000001:80"), peers);
        assertEquals(0, read(new byte[17], 0, 17, true, 200), "not one whole IPv6 record");
    }

    @Test
    void atMostMaxPeersAreRead() {
        byte[] b = new byte[6 * 1000];
        for (int i = 0; i < 1000; i++) {
            b[6 * i + 5] = 1;
        }
        assertEquals(200, read(b, 0, b.length, false, 200));
        assertEquals(200, peers.size());
    }

    @Test
    void boundsOutsideTheArrayReadNothingAndNeverThrow() {
        byte[] b = new byte[12];
        assertEquals(0, read(b, -1, 6, false, 200));
        assertEquals(0, read(b, 8, 6, false, 200));
        assertEquals(0, read(b, 0, -6, false, 200));
        assertEquals(0, read(b, Integer.MAX_VALUE, 6, false, 200));
        assertEquals(0, read(b, 6, Integer.MAX_VALUE, false, 200));
        assertEquals(0, read(null, 0, 6, false, 200));
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            byte[] r = new byte[random.nextInt(64)];
            random.nextBytes(r);
            int n = read(r, random.nextInt(70) - 3, random.nextInt(70) - 3, random.nextBoolean(), 5);
            assertTrue(n >= 0 && n <= 5);
        }
    }
}
