package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The peer-wire message parsers on any bytes: {@link InfoDictionary} (streamed in chunks the
 * fuzzer picks), {@link MetadataMessage} and {@link HashMessage}. Their contract: never throw; the
 * version read as the dictionary streams does not depend on how it was cut, and agrees with the
 * bounded bencode reader's view of the same bytes (a well-formed dictionary whose top-level
 * {@code meta version} is 2 and / or whose {@code pieces} is a whole number of SHA-1s); a metadata
 * data message's data is exactly the piece BEP 9 says; a hash message's fields are within BEP 52.
 *
 * <p>Input: a chunk-size byte, then the bytes.
 */
class PeerWireMessagesFuzzTest {
    static final Bencode.Limits LARGE = new Bencode.Limits(InfoDictionary.MAX_DEPTH, 1 << 20, 1 << 20);

    static Stream<Arguments> seeds() {
        return Stream.of(PeerWireMessagesTest.V1, PeerWireMessagesTest.V2, PeerWireMessagesTest.HYBRID,
                        "d8:msg_typei1e5:piecei0e10:total_sizei3ee" + "abc", "d8:msg_typei0e5:piecei0ee")
                .map(s -> Arguments.of(Named.of(s.substring(0, Math.min(24, s.length())), concat((byte) 7, s.getBytes(StandardCharsets.ISO_8859_1)))));
    }

    static byte[] concat(byte first, byte[] rest) {
        byte[] b = new byte[rest.length + 1];
        b[0] = first;
        System.arraycopy(rest, 0, b, 1, rest.length);
        return b;
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "15s")
    void messageParsersNeverThrowAndAgreeWithTheSpecifications(byte[] data) {
        if (data.length < 1) {
            return;
        }
        int chunk = 1 + (data[0] & 0xff);
        int len = data.length - 1;

        InfoDictionary whole = new InfoDictionary(), cut = new InfoDictionary();
        whole.feed(data, 1, len);
        for (int at = 0; at < len; at += chunk) {
            cut.feed(data, 1 + at, Math.min(chunk, len - at));
        }
        assertEquals(whole.kind(), cut.kind(), "the version depends on the chunks");
        assertEquals(expectedKind(Bencode.decode(data, 1, len, LARGE)), whole.kind());

        MetadataMessage m = MetadataMessage.parse(data, 1, len);
        if (m != null) {
            assertTrue(m.dataOffset() > 1 && m.dataOffset() <= data.length && m.piece() >= 0);
            if (m.type() == MetadataMessage.DATA) {
                assertEquals(Math.min(MetadataMessage.PIECE_SIZE, m.totalSize() - m.piece() * MetadataMessage.PIECE_SIZE),
                        data.length - m.dataOffset());
            } else {
                assertEquals(data.length, m.dataOffset(), "a request or reject carries no data");
            }
        }

        if (len >= HashMessage.FIXED) {
            int id = HashMessage.REQUEST + (data[0] & 3) % 3;
            long messageLength = 1 + HashMessage.FIXED + 32L * ((data[0] & 0xff) >> 2);
            HashMessage h = HashMessage.parse(id, messageLength, data, 1);
            if (h != null) {
                assertTrue(HashMessage.lengthFits(id, messageLength));
                assertTrue(h.baseLayer() < HashMessage.MAX_LAYERS && h.proofLayers() < HashMessage.MAX_LAYERS);
                assertTrue(h.length() > 0 && h.length() <= HashMessage.MAX_LENGTH);
                assertTrue(id != HashMessage.HASHES || h.hashCount() >= h.length() && h.hashCount() <= h.length() + h.proofLayers());
            }
        }
    }

    /** The version the top-level keys of a decoded dictionary give (BEP 3, BEP 52). */
    static InfoDictionary.Kind expectedKind(Object decoded) {
        if (!(decoded instanceof Map<?, ?> m)) {
            return InfoDictionary.Kind.UNKNOWN;
        }
        // a repeated key: the bencode reader keeps the last value, the stream reader remembers any; such input is no info dictionary
        boolean pieces = m.get("pieces") instanceof byte[] p && p.length > 0 && p.length % 20 == 0;
        Object version = m.get("meta version");
        if (version instanceof Long v && v == 2) {
            return pieces ? InfoDictionary.Kind.HYBRID : InfoDictionary.Kind.V2;
        }
        return pieces && version == null ? InfoDictionary.Kind.V1 : InfoDictionary.Kind.UNKNOWN;
    }
}
