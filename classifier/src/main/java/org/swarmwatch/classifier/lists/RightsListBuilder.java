package org.swarmwatch.classifier.lists;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.swarmwatch.events.HashKind;

/**
 * Checks the fields of each entry as the parsers hand them over and appends them to the columnar
 * store of a {@link RightsList}. Both formats go through here, so both follow the same field rules
 * (docs/rights-lists.md#field-rules).
 *
 * <p>Duplicates are found while reading, with an open-addressing table of entry indices keyed by
 * a seeded hash of (kind, hash bytes): 4 to 8 bytes per entry while loading, nothing afterwards.
 * The seed is random per load so that a hostile file cannot aim its hashes at one probe chain.
 */
final class RightsListBuilder {
    /** The fields of an entry, in the order {@link #add} takes them. */
    static final List<String> FIELDS = List.of(
            "hash", "hash_kind", "title", "rights_holder", "list_id", "valid_from", "valid_until", "action");
    static final int HASH = 0;
    static final int KIND = 1;
    static final int TITLE = 2;
    static final int HOLDER = 3;
    static final int LIST_ID = 4;
    static final int FROM = 5;
    static final int UNTIL = 6;
    static final int ACTION = 7;

    private static final int MAX_CHUNK_COUNT = 1 << 20;

    private final String file;
    private final int maxFieldChars;
    private final UnaryOperator<String> fieldLabel;
    private final int chunkSize;
    private final long seed = new SecureRandom().nextLong();

    private String listId;
    private long listIdLine;

    private int size;
    private long[] position = new long[1024];
    private byte[] kind = new byte[1024];
    private byte[] action = new byte[1024];
    private int[] holder = new int[1024];
    private long[] validFrom = new long[1024];
    private long[] validUntil = new long[1024];
    private int[] line = new int[1024];
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] chunk;
    private int chunkUsed;
    private final Map<String, Integer> holderIndex = new HashMap<>();
    private final List<String> holders = new ArrayList<>();
    private int[] table = new int[2048];
    private int duplicateRows;
    private final byte[] hashBuffer = new byte[32];

    /**
     * @param fieldLabel how errors name a field: the CSV parser adds the column number
     */
    RightsListBuilder(String file, int maxFieldChars, UnaryOperator<String> fieldLabel) {
        this.file = file;
        this.maxFieldChars = maxFieldChars;
        this.fieldLabel = fieldLabel;
        this.chunkSize = Math.max(1 << 20, 64 + 6 * maxFieldChars);
    }

    /** The list id the file's metadata declares (JSON); entries must agree with it. */
    void declareListId(String id, long at) throws ListFileException {
        checkText(at, "list_id", id);
        listId = id;
        listIdLine = at;
    }

    String listId() {
        return listId;
    }

    int duplicateRows() {
        return duplicateRows;
    }

    /**
     * Checks and appends one entry.
     *
     * @param at the entry's line
     * @param values the fields in {@link #FIELDS} order; null or empty for an absent optional one
     *     ({@code valid_from}, {@code valid_until}, and {@code list_id} when the metadata declared it)
     */
    void add(long at, String[] values) throws ListFileException {
        for (int f = 0; f < values.length; f++) {
            if (values[f] != null && values[f].length() > maxFieldChars) {
                throw error(at, f, values[f].length() + " characters, more than the limit of " + maxFieldChars);
            }
        }
        HashKind k = parseKind(at, values[KIND]);
        byte[] h = parseHash(at, values[HASH], k);
        String title = required(at, TITLE, values[TITLE]);
        String holderName = required(at, HOLDER, values[HOLDER]);
        String id = values[LIST_ID];
        if (id == null || id.isEmpty()) {
            if (listId == null) {
                throw error(at, LIST_ID, "empty");
            }
        } else {
            checkText(at, FIELDS.get(LIST_ID), id);
            if (listId == null) {
                listId = id;
                listIdLine = at;
            } else if (!listId.equals(id)) {
                throw error(at, LIST_ID, "'" + id + "' differs from '" + listId + "' (line " + listIdLine
                        + "); a list file holds one list");
            }
        }
        long from = parseValidity(at, FROM, values[FROM], false);
        long until = parseValidity(at, UNTIL, values[UNTIL], true);
        if (until <= from) {
            throw error(at, UNTIL, "'" + values[UNTIL] + "' is not after valid_from '" + values[FROM] + "'");
        }
        ListAction act = parseAction(at, values[ACTION]);
        int holderId = holderIndex.computeIfAbsent(holderName, name -> {
            holders.add(name);
            return holders.size() - 1;
        });

        int slot = findSlot(h, k);
        if (table[slot] != 0) {
            int other = table[slot] - 1;
            String conflict = conflict(other, title, holderId, from, until, act);
            if (conflict == null) {
                duplicateRows++;
                return;
            }
            throw new ListFileException(file, at, fieldLabel.apply("hash"), "already listed on line " + line[other]
                    + " with a different " + conflict);
        }
        append(at, h, k, title, holderId, from, until, act);
        table[slot] = size;
        if (size * 2L > table.length) {
            rehash();
        }
    }

    RightsList build() throws ListFileException {
        if (listId == null) {
            throw new ListFileException(file, 0, null, "no entries, so no list_id: a CSV list needs at least one row");
        }
        byte[][] c = chunks.toArray(new byte[0][]);
        if (c.length > 0) {
            c[c.length - 1] = Arrays.copyOf(c[c.length - 1], chunkUsed);
        }
        RightsList list = new RightsList(listId, size, c, Arrays.copyOf(position, size), Arrays.copyOf(kind, size),
                Arrays.copyOf(action, size), Arrays.copyOf(holder, size), holders.toArray(new String[0]),
                Arrays.copyOf(validFrom, size), Arrays.copyOf(validUntil, size));
        table = null;
        line = null;
        return list;
    }

    private void append(long at, byte[] h, HashKind k, String title, int holderId, long from, long until,
            ListAction act) throws ListFileException {
        if (size == position.length) {
            if (size >= Integer.MAX_VALUE / 2) {
                throw new ListFileException(file, at, null, "more than " + size + " entries");
            }
            int cap = size * 2;
            position = Arrays.copyOf(position, cap);
            kind = Arrays.copyOf(kind, cap);
            action = Arrays.copyOf(action, cap);
            holder = Arrays.copyOf(holder, cap);
            validFrom = Arrays.copyOf(validFrom, cap);
            validUntil = Arrays.copyOf(validUntil, cap);
            line = Arrays.copyOf(line, cap);
        }
        byte[] utf8 = title.getBytes(StandardCharsets.UTF_8);
        int need = h.length + 5 + utf8.length;
        if (chunk == null || chunkUsed + need > chunk.length) {
            if (chunks.size() == MAX_CHUNK_COUNT) {
                throw new ListFileException(file, at, null, "more entry data than the store holds");
            }
            chunk = new byte[chunkSize];
            chunks.add(chunk);
            chunkUsed = 0;
        }
        position[size] = ((long) (chunks.size() - 1) << 32) | chunkUsed;
        System.arraycopy(h, 0, chunk, chunkUsed, h.length);
        chunkUsed += h.length;
        int len = utf8.length;
        while (len >= 0x80) {
            chunk[chunkUsed++] = (byte) (len | 0x80);
            len >>>= 7;
        }
        chunk[chunkUsed++] = (byte) len;
        System.arraycopy(utf8, 0, chunk, chunkUsed, utf8.length);
        chunkUsed += utf8.length;
        kind[size] = (byte) k.ordinal();
        action[size] = (byte) act.ordinal();
        holder[size] = holderId;
        validFrom[size] = from;
        validUntil[size] = until;
        line[size] = (int) Math.min(at, Integer.MAX_VALUE);
        size++;
    }

    /** What differs between entry {@code i} and a new row with the same hash, or null if nothing. */
    private String conflict(int i, String title, int holderId, long from, long until, ListAction act) {
        RightsList view = new RightsList(listId, size, chunks.toArray(new byte[0][]), position, kind, action, holder,
                holders.toArray(new String[0]), validFrom, validUntil);
        if (!view.title(i).equals(title)) {
            return "title";
        }
        if (holder[i] != holderId) {
            return "rights_holder";
        }
        if (validFrom[i] != from || validUntil[i] != until) {
            return "validity";
        }
        if (action[i] != act.ordinal()) {
            return "action";
        }
        return null;
    }

    private int findSlot(byte[] h, HashKind k) {
        int mask = table.length - 1;
        int slot = mix(h, k.length(), k.ordinal()) & mask;
        while (table[slot] != 0 && !sameHash(table[slot] - 1, h, k)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private boolean sameHash(int i, byte[] h, HashKind k) {
        if (kind[i] != k.ordinal()) {
            return false;
        }
        long p = position[i];
        byte[] c = chunks.get((int) (p >>> 32));
        return Arrays.equals(c, (int) p, (int) p + k.length(), h, 0, k.length());
    }

    private void rehash() {
        int[] old = table;
        table = new int[old.length * 2];
        int mask = table.length - 1;
        for (int ref : old) {
            if (ref == 0) {
                continue;
            }
            int i = ref - 1;
            HashKind k = HashKind.values()[kind[i]];
            long p = position[i];
            System.arraycopy(chunks.get((int) (p >>> 32)), (int) p, hashBuffer, 0, k.length());
            int slot = mix(hashBuffer, k.length(), k.ordinal()) & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = ref;
        }
    }

    private int mix(byte[] h, int len, int kindOrdinal) {
        long x = seed ^ kindOrdinal;
        for (int i = 0; i < len; i++) {
            x = (x ^ (h[i] & 0xff)) * 0x9E3779B97F4A7C15L;
            x ^= x >>> 29;
        }
        return (int) (x ^ (x >>> 32));
    }

    private HashKind parseKind(long at, String value) throws ListFileException {
        required(at, KIND, value);
        try {
            return HashKind.fromWire(value);
        } catch (IllegalArgumentException e) {
            throw error(at, KIND, e.getMessage());
        }
    }

    private byte[] parseHash(long at, String value, HashKind k) throws ListFileException {
        required(at, HASH, value);
        if (value.length() != 2 * k.length()) {
            throw error(at, HASH, value.length() + " hex digits, " + k.wireName() + " needs " + 2 * k.length());
        }
        byte[] h = new byte[k.length()];
        for (int i = 0; i < value.length(); i++) {
            int d = Character.digit(value.charAt(i), 16);
            if (d < 0 || value.charAt(i) > 'f') {
                throw error(at, HASH, "'" + printable(value.charAt(i)) + "' at position " + (i + 1)
                        + " is not a hex digit");
            }
            h[i / 2] |= (byte) (i % 2 == 0 ? d << 4 : d);
        }
        return h;
    }

    private long parseValidity(long at, int field, String value, boolean end) throws ListFileException {
        if (value == null || value.isEmpty()) {
            return end ? RightsList.NO_END : RightsList.NO_START;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            Instant instant = OffsetDateTime.parse(value).toInstant();
            return instant.toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw error(at, field, "'" + value + "' is neither an ISO-8601 date (2024-03-01) nor an instant with"
                    + " a zone (2024-03-01T10:00:00Z, 2024-03-01T11:00:00+01:00)");
        }
    }

    private ListAction parseAction(long at, String value) throws ListFileException {
        required(at, ACTION, value);
        try {
            return ListAction.fromWire(value);
        } catch (IllegalArgumentException e) {
            throw error(at, ACTION, e.getMessage());
        }
    }

    private String required(long at, int field, String value) throws ListFileException {
        if (value == null || value.isEmpty()) {
            throw error(at, field, value == null ? "missing" : "empty");
        }
        checkText(at, FIELDS.get(field), value);
        return value;
    }

    private void checkText(long at, String field, String value) throws ListFileException {
        if (value == null || value.isEmpty()) {
            throw new ListFileException(file, at, fieldLabel.apply(field), "empty");
        }
        if (value.length() > maxFieldChars) {
            throw new ListFileException(file, at, fieldLabel.apply(field),
                    value.length() + " characters, more than the limit of " + maxFieldChars);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new ListFileException(file, at, fieldLabel.apply(field),
                        "control character " + printable(c) + " at position " + (i + 1));
            }
        }
    }

    private ListFileException error(long at, int field, String reason) {
        return new ListFileException(file, at, fieldLabel.apply(FIELDS.get(field)), reason);
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f || c > 0x7e ? String.format("U+%04X", (int) c) : String.valueOf(c);
    }
}
