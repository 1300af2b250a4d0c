package org.swarmwatch.peer.torrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.swarmwatch.peer.torrent.BencodeReader.BencodeException;

class BencodeReaderTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsWhatTheWriterWrites() throws Exception {
        Object v = BencodeReader.decode(BencodeWriter.encode(Map.of("a", List.of(1L, -7L, "x"), "b", new byte[] {0, (byte) 0xff})));
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(1L, -7L), ((List<?>) m.get("a")).subList(0, 2));
        assertArrayEquals(b("x"), (byte[]) ((List<?>) m.get("a")).get(2));
        assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) m.get("b"));
    }

    @Test
    void theSpanOfAKeyIsItsValueByteForByte() throws Exception {
        byte[] d = b("d4:infod1:xi1ee1:zi2ee");
        int[] span = BencodeReader.span(d, "info");
        assertEquals("d1:xi1ee", new String(d, span[0], span[1] - span[0], StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "i", "i-0e", "i03e", "ie", "i12345678901234567890e", "5:abc", "-1:a", "l", "d1:a", "d1:ai1e1:ai2ee",
        "di1ei2ee", "i1ei2e", "x", "99999999999999999999:a"})
    void refusesWhatIsNotStrictBencoding(String s) {
        assertThrows(BencodeException.class, () -> BencodeReader.decode(b(s)));
    }

    @Test
    void nestingIsBounded() throws Exception {
        String deep = "l".repeat(BencodeReader.MAX_DEPTH + 2) + "e".repeat(BencodeReader.MAX_DEPTH + 2);
        assertThrows(BencodeException.class, () -> BencodeReader.decode(b(deep)));
        String fine = "l".repeat(BencodeReader.MAX_DEPTH) + "e".repeat(BencodeReader.MAX_DEPTH);
        assertTrue(BencodeReader.decode(b(fine)) instanceof List<?>);
    }
}
