package org.swarmwatch.events;

import java.util.regex.Pattern;

/**
 * The text form of a subscriber pseudonym: {@code sub_} followed by 32 lowercase hex digits, the
 * first 128 bits of HMAC-SHA-256(key, address bytes). The probe computes them; everything
 * downstream only compares them. 128 bits keep collisions out of reach (birthday bound 2^64) while
 * halving what every record and index stores.
 */
public final class SubscriberPseudonym {
    public static final String PREFIX = "sub_";
    public static final int HEX_LENGTH = 32;
    private static final Pattern FORM = Pattern.compile("sub_[0-9a-f]{32}");

    private SubscriberPseudonym() {
    }

    public static boolean isPseudonym(String address) {
        return address != null && FORM.matcher(address).matches();
    }
}
