package org.swarmwatch.classifier.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HashMatcherTest {
    private static final int NONE = HashMatcher.NONE;

    @Test
    void twentyByteKeyMatchesItselfAndEveryThirtyTwoByteQueryThatStartsWithIt() {
        byte[] v1 = hash(20, 1);
        HashMatcher matcher = HashMatcher.builder().add(v1, 7).build();

        assertEquals(7, matcher.find(v1));
        assertEquals(7, matcher.find(extend(v1, 2)));
        assertEquals(7, matcher.find(extend(v1, 3)));
        assertEquals(NONE, matcher.find(hash(20, 2)));
    }

    @Test
    void thirtyTwoByteKeyMatchesItselfAndItsTruncationButNotAnotherTail() {
        byte[] v2 = hash(32, 1);
        HashMatcher matcher = HashMatcher.builder().add(v2, 9).build();

        assertEquals(9, matcher.find(v2));
        assertEquals(9, matcher.find(Arrays.copyOf(v2, 20)));
        assertEquals(NONE, matcher.find(extend(Arrays.copyOf(v2, 20), 5)));
        byte[] lastByteDiffers = v2.clone();
        lastByteDiffers[31] ^= 1;
        assertEquals(NONE, matcher.find(lastByteDiffers));
    }

    @Test
    void everyByteOfTheKeyCounts() {
        byte[] v2 = hash(32, 4);
        HashMatcher matcher = HashMatcher.builder().add(v2, 1).add(hash(20, 5), 2).build();
        for (int i = 0; i < 32; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] query = v2.clone();
                query[i] ^= (byte) (1 << bit);
                assertEquals(NONE, matcher.find(query), "byte " + i + " bit " + bit);
                if (i < 20) {
                    assertEquals(NONE, matcher.find(query, 0, 20), "20-byte query, byte " + i + " bit " + bit);
                }
            }
        }
    }

    @Test
    void findReadsTheGivenRangeOfALargerBuffer() {
        byte[] v2 = hash(32, 6);
        HashMatcher matcher = HashMatcher.builder().add(v2, 3).build();
        byte[] buf = new byte[50];
        System.arraycopy(v2, 0, buf, 11, 32);

        assertEquals(3, matcher.find(buf, 11, 32));
        assertEquals(3, matcher.find(buf, 11, 20));
        assertEquals(NONE, matcher.find(buf, 10, 32));
        assertThrows(IndexOutOfBoundsException.class, () -> matcher.find(buf, 20, 32));
    }

    @Test
    void sharedPrefixTheFirstAddedKeyThatMatchesWins() {
        byte[] full = hash(32, 7);
        byte[] truncated = Arrays.copyOf(full, 20);
        byte[] sibling = extend(truncated, 8);

        HashMatcher shortFirst = HashMatcher.builder().add(truncated, 1).add(full, 2).add(sibling, 3).build();
        assertEquals(1, shortFirst.find(truncated));
        assertEquals(1, shortFirst.find(full));
        assertEquals(1, shortFirst.find(sibling));
        assertEquals(1, shortFirst.find(extend(truncated, 9)));
        assertEquals(3, shortFirst.size());
        assertEquals(0, shortFirst.duplicates());

        HashMatcher longFirst = HashMatcher.builder().add(full, 2).add(truncated, 1).add(sibling, 3).build();
        assertEquals(2, longFirst.find(truncated));
        assertEquals(2, longFirst.find(full));
        assertEquals(1, longFirst.find(sibling), "the 20-byte key came before the sibling");
        assertEquals(1, longFirst.find(extend(truncated, 9)));

        HashMatcher onlyLong = HashMatcher.builder().add(sibling, 3).add(full, 2).build();
        assertEquals(3, onlyLong.find(truncated));
        assertEquals(2, onlyLong.find(full));
        assertEquals(3, onlyLong.find(sibling));
        assertEquals(NONE, onlyLong.find(extend(truncated, 9)));
    }

    @Test
    void duplicatesKeepTheFirstOrdinalAndAreCounted() {
        byte[] v1 = hash(20, 10);
        byte[] v2 = hash(32, 11);
        HashMatcher matcher = HashMatcher.builder()
                .add(v1, 1).add(v2, 2).add(v1.clone(), 3).add(v2.clone(), 4).add(v1, 5)
                .build();

        assertEquals(1, matcher.find(v1));
        assertEquals(2, matcher.find(v2));
        assertEquals(2, matcher.size());
        assertEquals(3, matcher.duplicates());
    }

    @Test
    void duplicatesInsideASharedPrefixGroup() {
        byte[] full = hash(32, 12);
        byte[] truncated = Arrays.copyOf(full, 20);
        HashMatcher matcher = HashMatcher.builder()
                .add(full, 1).add(full, 2).add(truncated, 3).add(truncated, 4).build();

        assertEquals(1, matcher.find(full));
        assertEquals(1, matcher.find(truncated));
        assertEquals(3, matcher.find(extend(truncated, 1)));
        assertEquals(2, matcher.size());
        assertEquals(2, matcher.duplicates());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 19, 21, 31, 33, 64})
    void otherLengthsAreRefusedNamingTheLength(int length) {
        HashMatcher.Builder builder = HashMatcher.builder();
        IllegalArgumentException added = assertThrows(IllegalArgumentException.class, () -> builder.add(new byte[length], 0));
        assertTrue(added.getMessage().contains(String.valueOf(length)), added.getMessage());
        HashMatcher matcher = builder.build();
        IllegalArgumentException found = assertThrows(IllegalArgumentException.class, () -> matcher.find(new byte[length]));
        assertTrue(found.getMessage().contains(String.valueOf(length)), found.getMessage());
    }

    @Test
    void ordinalsOutsideThirtyBitsAreRefused() {
        HashMatcher.Builder builder = HashMatcher.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.add(hash(20, 1), -1));
        assertThrows(IllegalArgumentException.class, () -> builder.add(hash(20, 1), HashMatcher.MAX_ORDINAL + 1));
        assertEquals(HashMatcher.MAX_ORDINAL, builder.add(hash(32, 1), HashMatcher.MAX_ORDINAL).build().find(hash(32, 1)));
    }

    @Test
    void emptyMatcherFindsNothing() {
        HashMatcher matcher = HashMatcher.builder().build();
        assertEquals(NONE, matcher.find(new byte[20]));
        assertEquals(NONE, matcher.find(new byte[32]));
        assertEquals(0, matcher.size());
        assertEquals(0, matcher.duplicates());
        assertTrue(matcher.residentBytes() > 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1000, 300_000})
    void boundaryHashesAmongRandomOnes(int randomKeys) {
        byte[] zeros20 = new byte[20];
        byte[] ones20 = filled(20, 0xff);
        byte[] zeros32 = extend(filled(20, 0x00), 1);
        byte[] ones32 = filled(32, 0xff);
        HashMatcher.Builder builder = HashMatcher.builder();
        SplittableRandom random = new SplittableRandom(randomKeys);
        for (int i = 0; i < randomKeys; i++) {
            builder.add(randomHash(random, 20), 100 + i);
        }
        HashMatcher matcher = builder.add(ones20, 2).add(zeros20, 1).add(ones32, 4).add(zeros32, 3).build();

        assertEquals(1, matcher.find(zeros20));
        assertEquals(1, matcher.find(zeros32), "the 20-byte zeros came first");
        assertEquals(1, matcher.find(new byte[32]), "any tail after the 20-byte zeros");
        assertEquals(2, matcher.find(ones20));
        assertEquals(2, matcher.find(ones32));
        byte[] almostZero = new byte[20];
        almostZero[19] = 1;
        byte[] almostOnes = filled(20, 0xff);
        almostOnes[19] = (byte) 0xfe;
        assertEquals(NONE, matcher.find(almostZero));
        assertEquals(NONE, matcher.find(almostOnes));
    }

    /** Skewed keys (all in one bucket) take the sort and search paths that hashes never take. */
    @Test
    void keysCrowdedIntoOneBucket() {
        HashMatcher.Builder builder = HashMatcher.builder();
        Map<ByteBuffer, Integer> expected = new HashMap<>();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 5000; i++) {
            byte[] key = randomHash(random, random.nextInt(4) == 0 ? 32 : 20);
            Arrays.fill(key, 0, 3, (byte) 0x5a);
            builder.add(key, i);
            expected.putIfAbsent(ByteBuffer.wrap(key), i);
        }
        HashMatcher matcher = builder.build();
        expected.forEach((key, ordinal) -> assertEquals(ordinal, matcher.find(key.array())));
        byte[] miss = randomHash(random, 20);
        Arrays.fill(miss, 0, 3, (byte) 0x5a);
        assertEquals(NONE, matcher.find(miss));
    }

    /** 200,000 keys, a quarter of them 32 bytes, with duplicates and truncations, against a HashMap. */
    @Test
    void randomKeysAgreeWithAHashMap() {
        SplittableRandom random = new SplittableRandom(42);
        HashMatcher.Builder builder = HashMatcher.builder();
        Map<ByteBuffer, Integer> exact = new HashMap<>();
        Map<ByteBuffer, Integer> firstByPrefix = new HashMap<>();
        List<byte[]> keys = new ArrayList<>();
        for (int ordinal = 0; ordinal < 200_000; ordinal++) {
            byte[] key;
            int kind = random.nextInt(100);
            if (kind < 2 && !keys.isEmpty()) {
                key = keys.get(random.nextInt(keys.size())).clone(); // a duplicate
            } else if (kind < 4 && !keys.isEmpty()) {
                byte[] other = keys.get(random.nextInt(keys.size())); // same prefix, other length or tail
                key = other.length == 32 && random.nextBoolean() ? Arrays.copyOf(other, 20) : extend(Arrays.copyOf(other, 20), random.nextInt());
            } else {
                key = randomHash(random, kind < 25 ? 32 : 20);
            }
            keys.add(key);
            builder.add(key, ordinal);
            exact.putIfAbsent(ByteBuffer.wrap(key), ordinal);
            firstByPrefix.putIfAbsent(ByteBuffer.wrap(Arrays.copyOf(key, 20)), ordinal);
        }
        HashMatcher matcher = builder.build();

        assertEquals(exact.size(), matcher.size());
        assertEquals(keys.size() - exact.size(), matcher.duplicates());
        for (byte[] key : keys) {
            assertEquals(expected(key, exact, firstByPrefix), matcher.find(key));
            byte[] prefix = Arrays.copyOf(key, 20);
            assertEquals(expected(prefix, exact, firstByPrefix), matcher.find(prefix));
            byte[] otherTail = extend(prefix, random.nextInt());
            assertEquals(expected(otherTail, exact, firstByPrefix), matcher.find(otherTail));
        }
        for (int i = 0; i < 200_000; i++) {
            byte[] query = randomHash(random, random.nextBoolean() ? 20 : 32);
            assertEquals(NONE, matcher.find(query));
        }
        assertFindAllAgreesWithFind(matcher, keys, random);
        // at least the 21 bytes of prefix and value that every key needs, at most the 36 of a 32-byte key
        assertTrue(matcher.residentBytes() > 21L * matcher.size(), matcher.toString());
        assertTrue(matcher.residentBytes() < 36L * matcher.size(), matcher.toString());
    }

    /** findAll over the keys, their prefixes and random misses, in a buffer at odd offsets, 1000 at a time. */
    private static void assertFindAllAgreesWithFind(HashMatcher matcher, List<byte[]> keys, SplittableRandom random) {
        int count = 1000;
        byte[] buf = new byte[count * 33 + 1];
        int[] offsets = new int[count];
        int[] lengths = new int[count];
        int[] out = new int[count];
        for (int first = 0; first < keys.size(); first += count) {
            for (int i = 0; i < count; i++) {
                byte[] query = switch (i % 3) {
                    case 0 -> keys.get(first + i);
                    case 1 -> Arrays.copyOf(keys.get(first + i), 20);
                    default -> randomHash(random, 32);
                };
                offsets[i] = 1 + i * 33;
                lengths[i] = query.length;
                System.arraycopy(query, 0, buf, offsets[i], query.length);
            }
            matcher.findAll(buf, offsets, lengths, count, out);
            for (int i = 0; i < count; i++) {
                assertEquals(matcher.find(buf, offsets[i], lengths[i]), out[i], "query " + (first + i));
            }
        }
    }

    @Test
    void findAllRefusesABadLength() {
        HashMatcher matcher = HashMatcher.builder().add(hash(20, 1), 1).build();
        int[] out = new int[2];
        assertThrows(IllegalArgumentException.class, () -> matcher.findAll(new byte[64], new int[] {0, 20}, new int[] {20, 21}, 2, out));
        matcher.findAll(new byte[64], new int[] {0, 20}, new int[] {20, 32}, 2, out);
        assertEquals(NONE, out[0]);
    }

    /** Regression: above 2^24 keys the candidate range was empty and the index fell to one bit. */
    @Test
    void bucketBitsForListsOfEveryScale() {
        assertEquals(1, HashMatcher.bucketBits(0));
        assertEquals(19, HashMatcher.bucketBits(10_000_000));
        assertEquals(20, HashMatcher.bucketBits(100_000_000));
        assertEquals(20, HashMatcher.bucketBits(Integer.MAX_VALUE));
        for (int n = 1; n > 0 && n < 1 << 30; n *= 3) {
            int bits = HashMatcher.bucketBits(n);
            assertTrue(bits >= 1 && bits <= 20, n + " keys: " + bits + " bits");
            assertTrue(n >> bits <= 32 || bits == 20, n + " keys: " + bits + " bits");
        }
    }

    /** The reference rule: the earliest-added of the exact key and the 20-byte key of a 32-byte query. */
    private static int expected(byte[] query, Map<ByteBuffer, Integer> exact, Map<ByteBuffer, Integer> firstByPrefix) {
        if (query.length == 20) {
            return firstByPrefix.getOrDefault(ByteBuffer.wrap(query), NONE);
        }
        int full = exact.getOrDefault(ByteBuffer.wrap(query), NONE);
        int truncated = exact.getOrDefault(ByteBuffer.wrap(Arrays.copyOf(query, 20)), NONE);
        if (full == NONE) {
            return truncated;
        }
        return truncated == NONE ? full : Math.min(full, truncated); // ordinals here are in order added
    }

    private static byte[] hash(int length, int seed) {
        return randomHash(new SplittableRandom(seed), length);
    }

    private static byte[] randomHash(SplittableRandom random, int length) {
        byte[] hash = new byte[length];
        random.nextBytes(hash);
        return hash;
    }

    private static byte[] extend(byte[] prefix, int seed) {
        byte[] full = Arrays.copyOf(prefix, 32);
        byte[] tail = hash(12, seed);
        System.arraycopy(tail, 0, full, 20, 12);
        return full;
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
