package org.swarmwatch.probe.dissect.bittorrent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded reader of bencoding (BEP 3): integers {@code i42e}, byte strings {@code 4:spam}, lists
 * {@code l...e} and dictionaries {@code d...e}. Values come back as {@link Long}, {@code byte[]},
 * {@code List<Object>} and {@code Map<String, Object>} (keys as ISO-8859-1 text, so any bytes
 * survive). Nesting depth, item count and string length are bounded by the caller, so that a
 * hostile datagram costs at most what the limits allow; malformed input, trailing bytes or a
 * limit reached give null. Never throws.
 */
final class Bencode {
    /** Limits for one decode; KRPC messages are small and shallow. */
    record Limits(int maxDepth, int maxItems, int maxStringLength) {
        static final Limits KRPC = new Limits(8, 512, 8192);
    }

    /** Thrown inside the reader only, without a stack trace, and turned into null at the boundary. */
    private static final class Malformed extends RuntimeException {
        static final Malformed INSTANCE = new Malformed();

        private Malformed() {
            super(null, null, false, false);
        }
    }

    private final byte[] b;
    private final int end;
    private final Limits limits;
    private int pos;
    private int items;

    private Bencode(byte[] b, int off, int len, Limits limits) {
        this.b = b;
        this.pos = off;
        this.end = off + len;
        this.limits = limits;
    }

    /** The single value in {@code b[off, off + len)}, or null. */
    static Object decode(byte[] b, int off, int len, Limits limits) {
        Bencode r = new Bencode(b, off, len, limits);
        try {
            Object v = r.value(0);
            return r.pos == r.end ? v : null;
        } catch (Malformed e) {
            return null;
        }
    }

    /**
     * The value that starts at {@code b[off]} and may be followed by other bytes (BEP 9 metadata
     * messages append raw data to a dictionary); {@code end[0]} gets the offset just after it.
     * Null if no complete value starts there.
     */
    static Object decodePrefix(byte[] b, int off, int len, Limits limits, int[] end) {
        Bencode r = new Bencode(b, off, len, limits);
        try {
            Object v = r.value(0);
            end[0] = r.pos;
            return v;
        } catch (Malformed e) {
            return null;
        }
    }

    private Object value(int depth) {
        if (pos >= end || ++items > limits.maxItems()) {
            throw Malformed.INSTANCE;
        }
        byte c = b[pos];
        if (c == 'i') {
            pos++;
            return integer('e');
        }
        if (c >= '0' && c <= '9') {
            return string();
        }
        if (depth >= limits.maxDepth()) {
            throw Malformed.INSTANCE;
        }
        if (c == 'l') {
            pos++;
            List<Object> list = new ArrayList<>();
            while (peek() != 'e') {
                list.add(value(depth + 1));
            }
            pos++;
            return list;
        }
        if (c == 'd') {
            pos++;
            Map<String, Object> dict = new LinkedHashMap<>();
            while (peek() != 'e') {
                if (b[pos] < '0' || b[pos] > '9') {
                    throw Malformed.INSTANCE; // keys are byte strings
                }
                String key = new String(string(), StandardCharsets.ISO_8859_1);
                dict.put(key, value(depth + 1));
            }
            pos++;
            return dict;
        }
        throw Malformed.INSTANCE;
    }

    private byte peek() {
        if (pos >= end) {
            throw Malformed.INSTANCE;
        }
        return b[pos];
    }

    /** Digits (and a leading minus) up to {@code terminator}; at most 19 digits, so no overflow. */
    private long integer(char terminator) {
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        long v = 0;
        int digits = 0;
        while (peek() != terminator) {
            byte c = b[pos++];
            if (c < '0' || c > '9' || ++digits > 18) {
                throw Malformed.INSTANCE;
            }
            v = v * 10 + (c - '0');
        }
        pos++;
        if (digits == 0) {
            throw Malformed.INSTANCE;
        }
        return negative ? -v : v;
    }

    private byte[] string() {
        long length = integer(':');
        if (length < 0 || length > limits.maxStringLength() || length > end - pos) {
            throw Malformed.INSTANCE;
        }
        byte[] s = Arrays.copyOfRange(b, pos, pos + (int) length);
        pos += (int) length;
        return s;
    }
}
