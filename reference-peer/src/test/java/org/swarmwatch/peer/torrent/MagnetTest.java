package org.swarmwatch.peer.torrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Magnet links: v1 ({@code urn:btih}), v2-only ({@code urn:btmh:1220}) and hybrid (both). */
class MagnetTest {
    static final String V1 = "0123456789abcdef0123456789abcdef01234567";
    static final String V2 = "8a30".repeat(16);

    @Test
    void aV2OnlyLinkIsFoundByTheTruncatedSha256AndKeepsTheWholeOne() {
        Magnet m = Magnet.parse("magnet:?xt=urn:btmh:1220" + V2 + "&dn=album&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce");
        assertTrue(m.v2Only());
        assertArrayEquals(HexFormat.of().parseHex(V2), m.v2InfoHash());
        assertArrayEquals(Arrays.copyOf(HexFormat.of().parseHex(V2), 20), m.infoHash());
        assertEquals("album", m.name());
        assertEquals(List.of("http://127.0.0.1:6969/announce"), m.trackers());
    }

    @Test
    void v1AndHybridLinksKeepTheirV1Hash() {
        Magnet v1 = Magnet.parse("magnet:?xt=urn:btih:" + V1);
        assertFalse(v1.v2Only());
        assertNull(v1.v2InfoHash());
        Magnet hybrid = Magnet.parse("magnet:?xt=urn:btih:" + V1 + "&xt=urn:btmh:1220" + V2);
        assertFalse(hybrid.v2Only(), "a hybrid is fetched and checked through its v1 hash");
        assertArrayEquals(HexFormat.of().parseHex(V1), hybrid.infoHash());
        assertArrayEquals(HexFormat.of().parseHex(V2), hybrid.v2InfoHash());
    }

    @Test
    void aBtmhThatIsNoSha256MultihashIsRefused() {
        for (String bad : List.of("1114" + V1, "1220" + V2.substring(2), "1220" + "zz".repeat(32))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Magnet.parse("magnet:?xt=urn:btmh:" + bad));
            assertTrue(e.getMessage().contains("urn:btmh: " + bad), e.getMessage());
        }
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Magnet.parse("magnet:?dn=x"));
        assertTrue(none.getMessage().contains("no info hash"), none.getMessage());
    }
}
