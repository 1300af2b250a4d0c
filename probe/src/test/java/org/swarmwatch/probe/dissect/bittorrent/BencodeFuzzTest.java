package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmwatch.probe.fuzz.CaptureSeeds;

/**
 * The bounded bencode reader on any bytes, under limits the fuzzer picks too, seeded with the
 * bencoded datagrams of ../shared's captures (DHT, uTP extension handshakes) and a few hand-written
 * inputs. Its contract ({@link Bencode}): it never throws; it returns null or a value within the
 * limits (depth, items, string length, dictionary keys included); it reads only the bytes it is
 * given; {@code decodePrefix} ends where a value ends and agrees with {@code decode}; and a value
 * read under some limits reads the same under larger ones.
 *
 * <p>Input: limits (maximum depth, a byte; maximum items / 4, a byte; maximum string length, 2
 * bytes), a window byte (low 4 bits: bytes skipped at the start; high 4 bits: bytes left out at the
 * end), then the bytes.
 */
class BencodeFuzzTest {
    static final int HEADER = 5;
    static final Bencode.Limits LARGE = new Bencode.Limits(64, 1 << 20, 1 << 20);
    /** Seed header: the KRPC limits, whole window. */
    static final byte[] KRPC_HEADER = {8, (byte) 128, 0x20, 0, 0};

    static Stream<Arguments> capturedDictionaries() {
        return CaptureSeeds.all().stream().flatMap(c -> c.payloads().stream()
                .filter(p -> p.length > 1 && p[0] == 'd')
                .limit(8)
                .map(p -> Arguments.of(Named.of(c.name() + " " + new String(p, 0, Math.min(p.length, 24), StandardCharsets.ISO_8859_1)
                        .replaceAll("[^ -~]", "."), concat(KRPC_HEADER, p)))));
    }

    @MethodSource("capturedDictionaries")
    @FuzzTest(maxDuration = "15s")
    void bencodeNeverThrowsAndHonoursItsLimits(byte[] data) {
        if (data.length < HEADER) {
            return;
        }
        Bencode.Limits limits = new Bencode.Limits(data[0] & 15, (data[1] & 0xff) * 4, (data[2] & 0xff) << 8 | (data[3] & 0xff));
        int length = data.length - HEADER;
        int off = Math.min(data[4] & 15, length);
        int len = length - off - Math.min((data[4] & 0xff) >> 4, length - off);
        byte[] body = Arrays.copyOfRange(data, HEADER, data.length);
        byte[] window = Arrays.copyOfRange(body, off, off + len);

        Object whole = Bencode.decode(body, off, len, limits);
        assertSame(Bencode.decode(window, 0, len, limits), whole, "decode read outside its bytes");
        int[] end = {-1}, windowEnd = {-1};
        Object prefix = Bencode.decodePrefix(body, off, len, limits, end);
        assertSame(Bencode.decodePrefix(window, 0, len, limits, windowEnd), prefix, "decodePrefix read outside its bytes");

        if (whole != null) {
            assertTrue(within(whole, 0, new int[] {0}, limits), "value beyond the limits " + limits);
            assertSame(whole, prefix, "decodePrefix of a whole value");
            assertEquals(off + len, end[0], "decodePrefix ends where the value does");
            assertSame(whole, Bencode.decode(body, off, len, LARGE), "the value under larger limits");
        }
        if (prefix != null) {
            assertTrue(end[0] > off && end[0] <= off + len, "decodePrefix end " + end[0] + " outside " + off + "+" + len);
            assertEquals(end[0] - off, windowEnd[0], "decodePrefix end");
            assertTrue(within(prefix, 0, new int[] {0}, limits), "prefix value beyond the limits " + limits);
            assertSame(prefix, Bencode.decode(body, off, end[0] - off, limits), "the prefix alone is the value");
        }
    }

    /** Bencode's own accounting: every value is an item, containers only below the maximum depth, keys are strings. */
    private static boolean within(Object v, int depth, int[] items, Bencode.Limits limits) {
        if (++items[0] > limits.maxItems()) {
            return false;
        }
        if (v instanceof byte[] s) {
            return s.length <= limits.maxStringLength();
        }
        if (v instanceof Long) {
            return true;
        }
        if (depth >= limits.maxDepth()) {
            return false;
        }
        if (v instanceof List<?> list) {
            return list.stream().allMatch(x -> within(x, depth + 1, items, limits));
        }
        if (v instanceof Map<?, ?> map) {
            return map.entrySet().stream().allMatch(e -> e.getKey() instanceof String k && k.length() <= limits.maxStringLength()
                    && within(e.getValue(), depth + 1, items, limits));
        }
        return false;
    }

    /** Deep equality of decoded values (byte strings by content, dictionaries in order). */
    private static void assertSame(Object expected, Object actual, String message) {
        assertTrue(same(expected, actual), () -> message + ": " + show(expected) + " vs " + show(actual));
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            return x.size() == y.size() && iterateSame(x.iterator(), y.iterator());
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return List.copyOf(x.keySet()).equals(List.copyOf(y.keySet())) && iterateSame(x.values().iterator(), y.values().iterator());
        }
        return a == null ? b == null : a.equals(b);
    }

    private static boolean iterateSame(Iterator<?> x, Iterator<?> y) {
        while (x.hasNext()) {
            if (!same(x.next(), y.next())) {
                return false;
            }
        }
        return true;
    }

    private static String show(Object v) {
        return v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(v);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
