package org.swarmwatch.probe.dissect.bittorrent;

import java.util.Map;

/**
 * A ut_metadata message (BEP 9), the body of an extended message (BEP 10) after its extended id: a
 * bencoded dictionary with {@code msg_type} (0 request, 1 data, 2 reject) and {@code piece}, plus
 * {@code total_size} in data messages, which carry that 16 KiB piece of the info dictionary after
 * the dictionary (the last piece may be shorter).
 *
 * @param dataOffset where the metadata bytes of a data message start in the array parsed; the
 *                   dictionary's end for other types
 * @param totalSize  the info dictionary's size in data messages, else -1
 */
record MetadataMessage(int type, long piece, long totalSize, int dataOffset) {
    static final int REQUEST = 0, DATA = 1, REJECT = 2;
    /** Metadata pieces are 16 KiB. */
    static final int PIECE_SIZE = 16384;
    private static final Bencode.Limits LIMITS = new Bencode.Limits(2, 16, 64);

    /**
     * The message in {@code b[off, off + len)} (the extended message's body after its extended id),
     * or null if it is none: not a dictionary, an unknown {@code msg_type}, a negative or absurd
     * piece, a data message without a positive {@code total_size} or whose data does not have the
     * size the piece index and total size give, a request or reject followed by bytes.
     */
    static MetadataMessage parse(byte[] b, int off, int len) {
        int[] end = new int[1];
        if (!(Bencode.decodePrefix(b, off, len, LIMITS, end) instanceof Map<?, ?> m)
                || !(m.get("msg_type") instanceof Long type) || !(m.get("piece") instanceof Long piece)
                || piece < 0 || piece > PeerWireStream.MAX_METADATA / PIECE_SIZE) {
            return null;
        }
        int data = off + len - end[0];
        if (type == DATA) {
            if (!(m.get("total_size") instanceof Long total) || total <= 0 || piece * PIECE_SIZE >= total
                    || data != Math.min(PIECE_SIZE, total - piece * PIECE_SIZE)) {
                return null;
            }
            return new MetadataMessage(DATA, piece, total, end[0]);
        }
        return (type == REQUEST || type == REJECT) && data == 0 ? new MetadataMessage(type.intValue(), piece, -1, end[0]) : null;
    }
}
