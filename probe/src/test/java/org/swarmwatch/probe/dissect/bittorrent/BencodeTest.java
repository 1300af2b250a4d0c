package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BencodeTest {
    static Object decode(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return Bencode.decode(b, 0, b.length, Bencode.Limits.KRPC);
    }

    @Test
    void valuesOfEveryType() {
        assertEquals(42L, decode("i42e"));
        assertEquals(-3L, decode("i-3e"));
        assertArrayEquals("spam".getBytes(StandardCharsets.US_ASCII), (byte[]) decode("4:spam"));
        assertArrayEquals(new byte[0], (byte[]) decode("0:"));
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) decode("d1:ad2:id3:abce1:q4:ping1:lli1ei2ee1:t2:aa1:y1:qe");
        assertEquals(List.of("a", "q", "l", "t", "y"), List.copyOf(d.keySet()));
        assertEquals(List.of(1L, 2L), d.get("l"));
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), (byte[]) ((Map<?, ?>) d.get("a")).get("id"));
    }

    @Test
    void malformedInputIsNull() {
        for (String s : new String[] {"", "i42", "ie", "i-e", "i12345678901234567890e", "5:spam", "-1:x", "l", "d1:ae",
            "di1ei2ee", "x", "4:spamextra", "d1:a", "l" .repeat(3) + "e".repeat(3) + "e"}) {
            assertNull(decode(s), s);
        }
    }

    @Test
    void limitsAreEnforced() {
        assertNull(decode("l".repeat(20) + "e".repeat(20)), "depth");
        assertNull(decode("l" + "i1e".repeat(600) + "e"), "items");
        assertNull(decode("9000:" + "x".repeat(9000)), "string length");
        assertEquals(List.of(), decode("le"));
    }

    @Test
    void randomBytesNeverThrow() {
        Random r = new Random(13);
        byte[] good = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 50_000; i++) {
            byte[] b = good.clone();
            for (int k = 0; k < 1 + r.nextInt(4); k++) {
                b[r.nextInt(b.length)] = (byte) "dile0123456789:-x".charAt(r.nextInt(17));
            }
            Bencode.decode(b, 0, r.nextInt(b.length + 1), Bencode.Limits.KRPC);
        }
    }
}
