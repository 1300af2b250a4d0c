package org.swarmwatch.peer.torrent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bencoding (BEP 3) of the values torrents are made of: {@link Long} (and {@link Integer}),
 * {@code byte[]}, {@link String} (UTF-8), {@link List} and {@link Map} with {@link String} or
 * {@code byte[]} keys, written in the raw byte order of the keys as the format requires, and
 * {@link Raw} values bencoded already.
 */
public final class BencodeWriter {
    /** A value bencoded already, written as it is (the info dictionary, whose hash must not change). */
    public record Raw(byte[] bytes) {
    }

    private BencodeWriter() {
    }

    public static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(value, out);
        return out.toByteArray();
    }

    private static void write(Object v, ByteArrayOutputStream out) {
        if (v instanceof Long || v instanceof Integer) {
            out.writeBytes(("i" + v + "e").getBytes(StandardCharsets.US_ASCII));
        } else if (v instanceof Raw raw) {
            out.writeBytes(raw.bytes());
        } else if (v instanceof byte[] b) {
            out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
        } else if (v instanceof String s) {
            write(s.getBytes(StandardCharsets.UTF_8), out);
        } else if (v instanceof List<?> list) {
            out.write('l');
            list.forEach(x -> write(x, out));
            out.write('e');
        } else if (v instanceof Map<?, ?> map) {
            TreeMap<byte[], Object> sorted = new TreeMap<>(Arrays::compareUnsigned);
            map.forEach((k, x) -> {
                byte[] key = k instanceof byte[] b ? b : k.toString().getBytes(StandardCharsets.UTF_8);
                if (sorted.put(key, x) != null) {
                    throw new IllegalArgumentException("duplicate dictionary key " + k);
                }
            });
            out.write('d');
            sorted.forEach((k, x) -> {
                write(k, out);
                write(x, out);
            });
            out.write('e');
        } else {
            throw new IllegalArgumentException("cannot bencode " + (v == null ? "null" : v.getClass().getName()));
        }
    }
}
