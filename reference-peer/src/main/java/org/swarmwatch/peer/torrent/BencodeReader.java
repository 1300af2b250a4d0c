package org.swarmwatch.peer.torrent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads bencoded values (BEP 3) into {@link Long}, {@code byte[]}, {@link List} and {@link Map}
 * (keys as ISO-8859-1 strings, so binary keys survive byte for byte), for what the peer needs:
 * metainfo files and tracker responses.
 *
 * <p>Bounded: the input is a byte array the caller has already limited in size; strings cannot
 * claim more than what is left of it; integers have at most 18 digits (they fit a {@code long}); nesting is
 * at most {@link #MAX_DEPTH} deep, so recursion cannot run away. Anything else that is not strict
 * bencoding (leading zeros, {@code -0}, unsorted keys are tolerated but duplicate keys are not,
 * trailing bytes) is a {@link BencodeException}. It never throws anything else.
 */
public final class BencodeReader {
    /** Deepest nesting of lists and dictionaries accepted; metainfo needs about 6. */
    public static final int MAX_DEPTH = 64;

    /** Bytes that are not bencoding, or not the bencoding expected. */
    public static final class BencodeException extends IOException {
        public BencodeException(String message) {
            super(message);
        }
    }

    private final byte[] in;
    private int pos;

    private BencodeReader(byte[] in) {
        this.in = in;
    }

    /** The one value that {@code data} holds, with nothing after it. */
    public static Object decode(byte[] data) throws BencodeException {
        BencodeReader r = new BencodeReader(data);
        Object v = r.value(0);
        if (r.pos != data.length) {
            throw new BencodeException("trailing bytes after the value at offset " + r.pos);
        }
        return v;
    }

    /** A value at the start of some bytes, and where it ends (BEP 9 puts raw bytes after a dictionary). */
    public record Prefix(Object value, int end) {
    }

    /** The value at the start of {@code data}; what follows it is the caller's. */
    public static Prefix decodePrefix(byte[] data) throws BencodeException {
        BencodeReader r = new BencodeReader(data);
        Object v = r.value(0);
        return new Prefix(v, r.pos);
    }

    /**
     * Where the value of {@code key} lies in the top-level dictionary {@code data}, as
     * {@code {start, end}}; null if there is no such key. The info hash is taken of exactly these bytes.
     */
    public static int[] span(byte[] data, String key) throws BencodeException {
        BencodeReader r = new BencodeReader(data);
        r.expect('d');
        byte[] wanted = key.getBytes(StandardCharsets.ISO_8859_1);
        while (r.peek() != 'e') {
            byte[] k = r.string();
            int start = r.pos;
            r.value(1);
            if (java.util.Arrays.equals(k, wanted)) {
                return new int[] {start, r.pos};
            }
        }
        return null;
    }

    private int peek() throws BencodeException {
        if (pos >= in.length) {
            throw new BencodeException("truncated at offset " + pos);
        }
        return in[pos] & 0xff;
    }

    private void expect(char c) throws BencodeException {
        if (peek() != c) {
            throw new BencodeException("expected '" + c + "' at offset " + pos);
        }
        pos++;
    }

    private Object value(int depth) throws BencodeException {
        if (depth > MAX_DEPTH) {
            throw new BencodeException("nested deeper than " + MAX_DEPTH);
        }
        int c = peek();
        if (c == 'i') {
            pos++;
            long v = integer('e');
            return v;
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
            Map<String, Object> map = new LinkedHashMap<>();
            while (peek() != 'e') {
                String k = new String(string(), StandardCharsets.ISO_8859_1);
                if (map.put(k, value(depth + 1)) != null) {
                    throw new BencodeException("duplicate key '" + k + "'");
                }
            }
            pos++;
            return map;
        }
        if (c >= '0' && c <= '9') {
            return string();
        }
        throw new BencodeException("unexpected byte 0x" + Integer.toHexString(c) + " at offset " + pos);
    }

    private byte[] string() throws BencodeException {
        int c = peek();
        if (c < '0' || c > '9') {
            throw new BencodeException("expected a string at offset " + pos);
        }
        long n = integer(':');
        if (n < 0 || n > in.length - pos) {
            throw new BencodeException("string of " + n + " bytes runs past the end");
        }
        byte[] s = java.util.Arrays.copyOfRange(in, pos, pos + (int) n);
        pos += (int) n;
        return s;
    }

    private long integer(char end) throws BencodeException {
        int start = pos;
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        int digits = 0;
        long v = 0;
        while (peek() != end) {
            int d = peek() - '0';
            if (d < 0 || d > 9 || ++digits > 18) {
                throw new BencodeException("bad integer at offset " + start);
            }
            v = v * 10 + d;
            pos++;
        }
        if (digits == 0 || (digits > 1 && in[negative ? start + 1 : start] == '0') || (negative && v == 0)) {
            throw new BencodeException("bad integer at offset " + start);
        }
        pos++;
        return negative ? -v : v;
    }
}
