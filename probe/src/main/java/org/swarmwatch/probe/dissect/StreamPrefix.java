package org.swarmwatch.probe.dissect;

import java.util.Arrays;

/**
 * The first bytes of one direction of a flow, bounded. For TCP the bytes are placed by sequence
 * number: an in-order segment is appended, a retransmission of bytes already held is ignored,
 * and a gap (a lost or reordered segment) freezes the prefix, because bytes after a hole would
 * mislead a parser. Starts small and grows to at most the limit.
 */
public final class StreamPrefix {
    private final int limit;
    private byte[] data;
    private int length;
    private long nextSeq = -1;
    private boolean frozen;

    private static final byte[] EMPTY = new byte[0];

    public StreamPrefix(int limit) {
        this.limit = limit;
        this.data = EMPTY; // sized by the first append: most prefixes hold one payload and are dropped
    }

    /** Appends a UDP datagram (or a TCP segment with {@code seq < 0}, sequence unknown). */
    public void append(byte[] src, int off, int len) {
        if (frozen) {
            return;
        }
        int n = Math.min(len, limit - length);
        if (n <= 0) {
            frozen = true;
            return;
        }
        if (length + n > data.length) {
            data = Arrays.copyOf(data, Math.min(limit, Math.max(Math.max(length + n, 64), data.length * 2)));
        }
        System.arraycopy(src, off, data, length, n);
        length += n;
    }

    /** Appends a TCP segment starting at sequence number {@code seq} (unsigned 32 bits). */
    public void appendTcp(long seq, byte[] src, int off, int len) {
        if (frozen || len == 0) {
            return;
        }
        if (nextSeq < 0) {
            nextSeq = seq;
        }
        long delta = (seq - nextSeq) << 32 >> 32; // signed distance modulo 2^32 (RFC 1982)
        if (delta > 0) {
            frozen = true; // a hole: what follows cannot be placed
            return;
        }
        int skip = (int) -delta;
        if (skip >= len) {
            return; // entirely a retransmission
        }
        append(src, off + skip, len - skip);
        nextSeq = (seq + len) & 0xFFFFFFFFL;
    }

    public byte[] bytes() {
        return data;
    }

    public int length() {
        return length;
    }

    /** True once the limit was reached or a gap was seen: no more bytes will be added. */
    public boolean frozen() {
        return frozen;
    }
}
