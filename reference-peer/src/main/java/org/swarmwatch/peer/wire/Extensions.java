package org.swarmwatch.peer.wire;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.swarmwatch.peer.torrent.BencodeReader;
import org.swarmwatch.peer.torrent.BencodeReader.BencodeException;
import org.swarmwatch.peer.torrent.BencodeWriter;

/**
 * The extension protocol's handshake (BEP 10) and the metadata exchange it carries (BEP 9,
 * {@code ut_metadata}): the info dictionary in 16 KiB pieces, each message a bencoded dictionary
 * ({@code msg_type} 0 request, 1 data, 2 reject; {@code piece}; {@code total_size} with data),
 * the data bytes following the dictionary.
 *
 * <p>Ids: a peer names in its handshake's {@code m} the id it wants to receive each extension
 * under; we receive {@code ut_metadata} as {@link #UT_METADATA} and send with the peer's id.
 */
public final class Extensions {
    /** The id we ask peers to send {@code ut_metadata} messages to us with. */
    public static final int UT_METADATA = 3;
    /** BEP 9: metadata is exchanged in pieces of 16 KiB (the last may be shorter). */
    public static final int METADATA_PIECE = 16384;

    /** What a peer's extension handshake tells: its id for ut_metadata (0: none) and the metadata size (0: unknown). */
    public record Handshake(int utMetadata, long metadataSize) {
    }

    /** One ut_metadata message. */
    public record Metadata(int type, int piece, long totalSize, byte[] data) {
        public static final int REQUEST = 0, DATA = 1, REJECT = 2;
    }

    private Extensions() {
    }

    /** Our extension handshake's payload; {@code metadataSize} 0 while we have no metadata. */
    public static byte[] handshake(long metadataSize, int maxQueuedRequests) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("m", Map.of("ut_metadata", (long) UT_METADATA));
        if (metadataSize > 0) {
            d.put("metadata_size", metadataSize);
        }
        d.put("reqq", (long) maxQueuedRequests);
        d.put("v", "Swarmwatch reference peer");
        return BencodeWriter.encode(d);
    }

    public static Handshake readHandshake(byte[] payload) throws ProtocolException {
        try {
            if (!(BencodeReader.decode(payload) instanceof Map<?, ?> d)) {
                throw new ProtocolException("extension handshake is not a dictionary");
            }
            int id = d.get("m") instanceof Map<?, ?> m && m.get("ut_metadata") instanceof Long l && l > 0 && l < 256 ? l.intValue() : 0;
            long size = d.get("metadata_size") instanceof Long s && s > 0 ? s : 0;
            return new Handshake(id, size);
        } catch (BencodeException e) {
            throw new ProtocolException("extension handshake: " + e.getMessage());
        }
    }

    public static byte[] encode(Metadata m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("msg_type", (long) m.type());
        d.put("piece", (long) m.piece());
        if (m.type() == Metadata.DATA) {
            d.put("total_size", m.totalSize());
        }
        byte[] head = BencodeWriter.encode(d);
        if (m.data() == null) {
            return head;
        }
        byte[] all = Arrays.copyOf(head, head.length + m.data().length);
        System.arraycopy(m.data(), 0, all, head.length, m.data().length);
        return all;
    }

    public static Metadata readMetadata(byte[] payload) throws ProtocolException {
        try {
            BencodeReader.Prefix p = BencodeReader.decodePrefix(payload);
            if (!(p.value() instanceof Map<?, ?> d) || !(d.get("msg_type") instanceof Long type) || !(d.get("piece") instanceof Long piece)
                    || piece < 0 || piece > Integer.MAX_VALUE || type < 0 || type > 2) {
                throw new ProtocolException("ut_metadata message without a valid msg_type and piece");
            }
            long total = d.get("total_size") instanceof Long t ? t : 0;
            return new Metadata(type.intValue(), piece.intValue(), total, Arrays.copyOfRange(payload, p.end(), payload.length));
        } catch (BencodeException e) {
            throw new ProtocolException("ut_metadata message: " + e.getMessage());
        }
    }
}
