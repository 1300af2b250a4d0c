package org.swarmwatch.classifier.lists;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.swarmwatch.events.HashKind;

/**
 * One loaded list, immutable, stored by column so that tens of millions of entries fit.
 *
 * <p>Layout per entry: a {@code long} position into byte chunks holding the hash bytes and the
 * title (UTF-8, length as a varint), a byte each for the kind and the action, an {@code int} index
 * into the list's interned rights holders, and two {@code long}s of validity (epoch milliseconds).
 * That is 30 bytes plus the hash and the title's UTF-8: about 90 bytes for a v1 hash and a
 * 40-character title, against some 300 for one object per entry with its strings.
 */
public final class RightsList {
    static final long NO_START = Long.MIN_VALUE;
    static final long NO_END = Long.MAX_VALUE;
    private static final HashKind[] KINDS = HashKind.values();
    private static final ListAction[] ACTIONS = ListAction.values();

    private final String listId;
    private final int size;
    private final byte[][] chunks;
    private final long[] position;
    private final byte[] kind;
    private final byte[] action;
    private final int[] holder;
    private final String[] holders;
    private final long[] validFrom;
    private final long[] validUntil;

    RightsList(String listId, int size, byte[][] chunks, long[] position, byte[] kind, byte[] action,
            int[] holder, String[] holders, long[] validFrom, long[] validUntil) {
        this.listId = listId;
        this.size = size;
        this.chunks = chunks;
        this.position = position;
        this.kind = kind;
        this.action = action;
        this.holder = holder;
        this.holders = holders;
        this.validFrom = validFrom;
        this.validUntil = validUntil;
    }

    public String listId() {
        return listId;
    }

    public int size() {
        return size;
    }

    public HashKind kind(int i) {
        return KINDS[kind[i]];
    }

    public ListAction action(int i) {
        return ACTIONS[action[i]];
    }

    /** Copies entry {@code i}'s hash into {@code dst}, which is at least {@code kind(i).length()} long. */
    public void copyHash(int i, byte[] dst) {
        long p = position[i];
        System.arraycopy(chunks[(int) (p >>> 32)], (int) p, dst, 0, KINDS[kind[i]].length());
    }

    public byte[] hash(int i) {
        byte[] h = new byte[KINDS[kind[i]].length()];
        copyHash(i, h);
        return h;
    }

    public String title(int i) {
        long p = position[i];
        byte[] c = chunks[(int) (p >>> 32)];
        int at = (int) p + KINDS[kind[i]].length();
        int len = 0;
        int shift = 0;
        byte b;
        do {
            b = c[at++];
            len |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return new String(c, at, len, StandardCharsets.UTF_8);
    }

    public String rightsHolder(int i) {
        return holders[holder[i]];
    }

    /** Whether entry {@code i} matches at {@code epochMilli}. */
    public boolean validAt(int i, long epochMilli) {
        return validFrom[i] <= epochMilli && epochMilli < validUntil[i];
    }

    public Instant validFrom(int i) {
        return validFrom[i] == NO_START ? null : Instant.ofEpochMilli(validFrom[i]);
    }

    /** First instant entry {@code i} no longer matches at, or null. */
    public Instant validUntil(int i) {
        return validUntil[i] == NO_END ? null : Instant.ofEpochMilli(validUntil[i]);
    }

    public ListEntry entry(int i) {
        return new ListEntry(HexFormat.of().formatHex(hash(i)), kind(i), title(i), rightsHolder(i), listId,
                validFrom(i), validUntil(i), action(i));
    }

    /** Visits every entry, numbering them from {@code base}. */
    void forEachEntry(EntryVisitor visitor, int base) {
        byte[] short20 = new byte[20];
        byte[] long32 = new byte[32];
        for (int i = 0; i < size; i++) {
            HashKind k = KINDS[kind[i]];
            byte[] dst = k.length() == 20 ? short20 : long32;
            copyHash(i, dst);
            visitor.visit(dst, k, base + i);
        }
    }

    /** Heap this list holds, approximately, in bytes. */
    public long retainedBytes() {
        long bytes = 30L * position.length;
        for (byte[] c : chunks) {
            bytes += c.length;
        }
        for (String h : holders) {
            bytes += 48 + h.length();
        }
        return bytes;
    }
}
