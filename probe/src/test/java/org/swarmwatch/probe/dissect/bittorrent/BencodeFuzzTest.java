package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Map;

/**
 * The bounded bencode reader on any bytes: never throws, and what it returns respects the limits
 * it was given (depth, item count, string length), whole or as a prefix.
 */
class BencodeFuzzTest {
    static final Bencode.Limits LIMITS = new Bencode.Limits(4, 64, 256);

    @FuzzTest(maxDuration = "20s")
    void bencodeNeverThrowsAndHonoursItsLimits(byte[] data) {
        Object whole = Bencode.decode(data, 0, data.length, LIMITS);
        if (whole != null) {
            int[] items = {0};
            assertTrue(within(whole, 0, items), "limits exceeded");
        }
        int[] end = {-1};
        Object prefix = Bencode.decodePrefix(data, 0, data.length, LIMITS, end);
        if (prefix != null) {
            assertTrue(end[0] > 0 && end[0] <= data.length, "end " + end[0]);
            assertTrue(within(prefix, 0, new int[] {0}));
        }
        assertTrue(Bencode.decode(data, 0, data.length, Bencode.Limits.KRPC) == null || data.length > 0);
    }

    private static boolean within(Object v, int depth, int[] items) {
        if (++items[0] > LIMITS.maxItems()) {
            return false;
        }
        if (v instanceof byte[] s) {
            return s.length <= LIMITS.maxStringLength();
        }
        if (v instanceof Long) {
            return true;
        }
        if (depth >= LIMITS.maxDepth()) {
            return false;
        }
        if (v instanceof List<?> list) {
            return list.stream().allMatch(x -> within(x, depth + 1, items));
        }
        if (v instanceof Map<?, ?> map) {
            return map.values().stream().allMatch(x -> within(x, depth + 1, items));
        }
        return false;
    }
}
