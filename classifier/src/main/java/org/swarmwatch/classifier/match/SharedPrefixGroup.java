package org.swarmwatch.classifier.match;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The distinct keys that share one 20-byte prefix, when there is more than one: a 20-byte entry
 * and the 32-byte entries it is the truncation of, or several 32-byte entries with the same first
 * 20 bytes. Random hashes almost never do this, so these live on the heap as plain objects, one
 * per prefix, and cost nothing to the common path.
 *
 * <p>Every answer is resolved at build time: a 20-byte query gets the first-added key of the
 * group; a 32-byte query whose last 12 bytes equal a tail gets the earlier of that 32-byte entry
 * and the 20-byte entry; any other 32-byte query gets the 20-byte entry, or nothing.
 */
final class SharedPrefixGroup {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** The answer to a 20-byte query. */
    final int first;
    /** The answer to a 32-byte query that matches no tail: the 20-byte entry's ordinal, or NONE. */
    private final int shortEntry;
    /** Bytes 20..27 and 28..31 of each 32-byte entry, and the resolved answer for each. */
    private final long[] tailHigh;
    private final int[] tailLow;
    private final int[] tailAnswer;

    SharedPrefixGroup(int first, int shortEntry, long[] tailHigh, int[] tailLow, int[] tailAnswer) {
        this.first = first;
        this.shortEntry = shortEntry;
        this.tailHigh = tailHigh;
        this.tailLow = tailLow;
        this.tailAnswer = tailAnswer;
    }

    /** The answer to a 32-byte query whose last 12 bytes start at {@code buf[off]}. */
    int findTail(byte[] buf, int off) {
        long high = (long) LONG.get(buf, off);
        int low = (int) INT.get(buf, off + 8);
        for (int i = 0; i < tailHigh.length; i++) {
            if (tailHigh[i] == high && tailLow[i] == low) {
                return tailAnswer[i];
            }
        }
        return shortEntry;
    }

    long residentBytes() {
        // header 12 + two ints + three compressed references = 32, and the three arrays
        return 32 + HashMatcher.arrayBytes(tailHigh.length, Long.BYTES)
                + 2 * HashMatcher.arrayBytes(tailLow.length, Integer.BYTES);
    }
}
