package org.swarmwatch.probe.privacy;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.swarmwatch.events.SubscriberPseudonym;

/**
 * Turns subscriber addresses into pseudonyms: {@code sub_} + the first 128 bits of
 * HMAC-SHA-256(key, address in network byte order), in hex. Keyed, so that the pseudonym of a
 * known address cannot be computed without the key (an unkeyed hash of an IPv4 address is
 * reversed by trying all 2^32). Deterministic for a key, so that one subscriber's records link.
 *
 * <p>Each flow ends with two look-ups; a small direct-mapped cache (4096 entries) keeps the HMAC
 * off the hot path for active subscribers. Not thread-safe: one per processing thread.
 */
public final class Pseudonymiser {
    private static final int CACHE_SIZE = 4096;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Mac mac;
    private final long[] cacheHi = new long[CACHE_SIZE], cacheLo = new long[CACHE_SIZE];
    private final String[] cacheValue = new String[CACHE_SIZE];

    public Pseudonymiser(PseudonymKey key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        }
    }

    public String pseudonym(int ipVersion, long hi, long lo) {
        // IPv4 and IPv6 never collide in the cache: IPv4 has hi = 0 and a version marker in bit 63 of hi.
        long tagHi = ipVersion == 4 ? Long.MIN_VALUE : hi;
        int i = (int) ((lo * 0x9E3779B97F4A7C15L ^ tagHi) >>> 52) & (CACHE_SIZE - 1);
        String cached = cacheValue[i];
        if (cached != null && cacheHi[i] == tagHi && cacheLo[i] == lo) {
            return cached;
        }
        byte[] digest = mac.doFinal(IpAddresses.toBytes(ipVersion, hi, lo));
        char[] out = new char[SubscriberPseudonym.PREFIX.length() + SubscriberPseudonym.HEX_LENGTH];
        SubscriberPseudonym.PREFIX.getChars(0, SubscriberPseudonym.PREFIX.length(), out, 0);
        int p = SubscriberPseudonym.PREFIX.length();
        for (int b = 0; b < SubscriberPseudonym.HEX_LENGTH / 2; b++) {
            out[p++] = HEX[(digest[b] >> 4) & 0xf];
            out[p++] = HEX[digest[b] & 0xf];
        }
        String value = new String(out);
        cacheHi[i] = tagHi;
        cacheLo[i] = lo;
        cacheValue[i] = value;
        return value;
    }
}
