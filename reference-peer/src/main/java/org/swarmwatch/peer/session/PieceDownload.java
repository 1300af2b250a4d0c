package org.swarmwatch.peer.session;

import java.util.BitSet;
import org.swarmwatch.peer.wire.Message.Request;

/**
 * One piece being downloaded from one peer: its bytes so far (at most the piece length, which
 * {@code Metainfo} caps at 16 MiB) and which 16 KiB blocks were asked for and which arrived.
 * Confined to the connection that owns it.
 */
final class PieceDownload {
    static final int BLOCK = 16384;

    final int index;
    final byte[] data;
    private final int blocks;
    private final BitSet requested = new BitSet(), received = new BitSet();

    PieceDownload(int index, int size) {
        this.index = index;
        this.data = new byte[size];
        this.blocks = (size + BLOCK - 1) / BLOCK;
    }

    /** The next block not asked for yet, marked as asked; null when all were. */
    Request next() {
        int b = requested.nextClearBit(0);
        if (b >= blocks) {
            return null;
        }
        requested.set(b);
        return new Request(index, b * BLOCK, Math.min(BLOCK, data.length - b * BLOCK));
    }

    /** A block that matched one of our requests. */
    void receive(int begin, byte[] block) {
        System.arraycopy(block, 0, data, begin, block.length);
        received.set(begin / BLOCK);
    }

    boolean complete() {
        return received.cardinality() == blocks;
    }

    /** After a choke: what was asked and not received is asked again later (BEP 3 drops it). */
    void forgetRequests() {
        requested.clear();
        requested.or(received);
    }
}
