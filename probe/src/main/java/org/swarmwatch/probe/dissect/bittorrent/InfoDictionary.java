package org.swarmwatch.probe.dissect.bittorrent;

/**
 * Reads an info dictionary (BEP 3, BEP 52) as it streams past, a few bytes at a time, without
 * keeping it: only whether its bencoding is one well-formed dictionary, and the two top-level keys
 * that tell its version. {@code meta version} 2 means BEP 52 (the SHA-256 of the dictionary is the
 * v2 infohash); {@code pieces} (the SHA-1 hash per piece) means BEP 3 (its SHA-1 is the v1
 * infohash); both mean a hybrid torrent, whose two infohashes name two swarms of the same content
 * (BEP 52, "Upgrade Path").
 *
 * <p>A state machine over bencoding tokens; memory is fixed: the nesting (at most
 * {@value #MAX_DEPTH} levels, one bit each) and 12 bytes of the current top-level key. Anything
 * that is not bencoding, nests deeper, or follows the dictionary's end makes it {@link #kind()
 * UNKNOWN} for good.
 */
final class InfoDictionary {
    /** File trees nest one level per directory; 64 levels is far beyond real torrents. */
    static final int MAX_DEPTH = 64;

    enum Kind {
        /** Not (yet) a complete, well-formed info dictionary. */
        UNKNOWN,
        /** BEP 3: {@code pieces}, no {@code meta version}. */
        V1,
        /** BEP 52: {@code meta version} 2, no {@code pieces}. */
        V2,
        /** Both. */
        HYBRID
    }

    private enum State { VALUE, INTEGER, STRING_LENGTH, STRING, DONE, BROKEN }

    private static final byte[] META_VERSION = "meta version".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] PIECES = "pieces".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private State state = State.VALUE;
    /** Open containers: bit d is set when level d is a dictionary. Level 0 is the info dictionary. */
    private long dictionaries;
    private int depth = -1;
    /** Within each open dictionary, whether the next item is a key; one bit per level. */
    private long expectKey;
    private long number;
    private int digits;
    private boolean negative;
    private long stringLeft;
    /** The current string is a top-level key: its first bytes are kept here. */
    private boolean topKey;
    private final byte[] key = new byte[META_VERSION.length];
    private int keyLength;
    private long stringLength;
    /** The top-level key whose value comes next: 1 meta version, 2 pieces, 0 another. */
    private int pendingKey;
    /** The value of {@code meta version}: absent, or not an integer, is not 2. A repeated key: the last value counts. */
    private boolean metaVersionSeen;
    private long metaVersion;
    private boolean pieces;

    /** Reads the next bytes of the dictionary. */
    void feed(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end && state != State.BROKEN; i++) {
            byte c = b[i];
            switch (state) {
                case VALUE -> value(c);
                case INTEGER -> integerByte(c);
                case STRING_LENGTH -> lengthByte(c);
                case STRING -> {
                    int n = (int) Math.min(stringLeft, end - i);
                    if (topKey) {
                        for (int k = 0; k < n && keyLength < key.length; k++) {
                            key[keyLength++] = b[i + k];
                        }
                    }
                    stringLeft -= n;
                    i += n - 1;
                    if (stringLeft == 0) {
                        stringEnded();
                    }
                }
                case DONE -> state = State.BROKEN; // bytes after the dictionary
                case BROKEN -> {
                }
            }
        }
    }

    /** What the bytes read so far are: a kind once the whole dictionary was read, else UNKNOWN. */
    Kind kind() {
        if (state != State.DONE) {
            return Kind.UNKNOWN;
        }
        if (metaVersion == 2) {
            return pieces ? Kind.HYBRID : Kind.V2;
        }
        return pieces && !metaVersionSeen ? Kind.V1 : Kind.UNKNOWN;
    }

    private boolean inDictionary() {
        return depth >= 0 && (dictionaries >>> depth & 1) != 0;
    }

    private boolean keyNext() {
        return inDictionary() && (expectKey >>> depth & 1) != 0;
    }

    private void value(byte c) {
        if (c == 'e') {
            if (depth < 0 || inDictionary() && !keyNext()) {
                state = State.BROKEN; // nothing to close, or a key without its value
                return;
            }
            depth--;
            itemEnded();
            return;
        }
        if (keyNext() && (c < '0' || c > '9')) {
            state = State.BROKEN; // dictionary keys are strings
            return;
        }
        if (depth < 0 && c != 'd') {
            state = State.BROKEN; // an info dictionary is a dictionary
            return;
        }
        if (c == 'd' || c == 'l') {
            if (depth + 1 >= MAX_DEPTH) {
                state = State.BROKEN;
                return;
            }
            depth++;
            dictionaries = c == 'd' ? dictionaries | 1L << depth : dictionaries & ~(1L << depth);
            expectKey |= 1L << depth;
            if (depth == 1) {
                containerValue(); // a container value of a top-level key: neither of ours is one
            }
        } else if (c == 'i') {
            state = State.INTEGER;
            number = 0;
            digits = 0;
            negative = false;
        } else if (c >= '0' && c <= '9') {
            state = State.STRING_LENGTH;
            number = c - '0';
            digits = 1;
        } else {
            state = State.BROKEN;
        }
    }

    private void integerByte(byte c) {
        if (c == '-' && digits == 0 && !negative) {
            negative = true;
        } else if (c >= '0' && c <= '9' && digits < 18) {
            number = number * 10 + (c - '0');
            digits++;
        } else if (c == 'e' && digits > 0) {
            state = State.VALUE;
            if (depth == 0 && pendingKey == 1) {
                metaVersion = negative ? -number : number;
            } else if (depth == 0 && pendingKey == 2) {
                pieces = false;
            }
            itemEnded();
        } else {
            state = State.BROKEN;
        }
    }

    private void lengthByte(byte c) {
        if (c >= '0' && c <= '9' && digits < 18) {
            number = number * 10 + (c - '0');
            digits++;
        } else if (c == ':') {
            topKey = depth == 0 && keyNext();
            keyLength = 0;
            stringLength = number;
            stringLeft = number;
            state = State.STRING;
            if (number == 0) {
                stringEnded();
            }
        } else {
            state = State.BROKEN;
        }
    }

    private void stringEnded() {
        state = State.VALUE;
        if (topKey) {
            topKey = false;
            pendingKey = isKey(META_VERSION) ? 1 : isKey(PIECES) ? 2 : 0;
            metaVersionSeen |= pendingKey == 1;
            expectKey &= ~1L; // the value follows
            return;
        }
        if (depth == 0 && pendingKey == 2) {
            pieces = stringLength > 0 && stringLength % 20 == 0; // one SHA-1 per piece
        } else if (depth == 0 && pendingKey == 1) {
            metaVersion = -1;
        }
        itemEnded();
    }

    private void containerValue() {
        if (pendingKey == 1) {
            metaVersion = -1;
        } else if (pendingKey == 2) {
            pieces = false;
        }
        pendingKey = 0;
    }

    private boolean isKey(byte[] name) {
        return stringLength == name.length && java.util.Arrays.equals(key, 0, keyLength, name, 0, name.length);
    }

    /** A value (or container) ended at the current depth: the next item there is a key again. */
    private void itemEnded() {
        if (depth < 0) {
            state = State.DONE;
            return;
        }
        if (inDictionary()) {
            boolean wasKey = keyNext();
            expectKey = wasKey ? expectKey & ~(1L << depth) : expectKey | 1L << depth;
        }
        if (depth == 0) {
            pendingKey = 0;
        }
    }
}
