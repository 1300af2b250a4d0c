package org.swarmwatch.events;

import java.util.HexFormat;
import java.util.Objects;

/**
 * A content hash as records carry it: its kind and its bytes as lowercase hex.
 *
 * @param kind {@code hash_kind}
 * @param hex  {@code hash}: lowercase hex, exactly {@code 2 * kind.length()} characters
 */
public record ContentHash(HashKind kind, String hex) {
    public ContentHash {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != 2 * kind.length()) {
            throw new IllegalArgumentException(kind.wireName() + " hash must be " + 2 * kind.length()
                    + " hex characters, got " + hex.length());
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new IllegalArgumentException("hash must be lowercase hex; bad character '" + c + "' at " + i);
            }
        }
    }

    public static ContentHash of(HashKind kind, byte[] bytes) {
        if (bytes.length != kind.length()) {
            throw new IllegalArgumentException(kind.wireName() + " hash must be " + kind.length() + " bytes, got " + bytes.length);
        }
        return new ContentHash(kind, HexFormat.of().formatHex(bytes));
    }

    public byte[] bytes() {
        return HexFormat.of().parseHex(hex);
    }
}
