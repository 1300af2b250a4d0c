package org.swarmwatch.probe.swarm;

import java.time.Duration;

/**
 * Limits of a {@link SwarmTable}.
 *
 * @param maxEntries endpoints and hosts held at most; beyond it the least recently used goes
 *                   (counted). At {@link SwarmTable#BYTES_PER_ENTRY} bytes each, this is the
 *                   table's memory bound
 * @param ttl        capture time after which a fact no longer counts and is dropped
 */
public record SwarmTableConfig(int maxEntries, Duration ttl) {
    /** Default memory: 64 MiB, some 200,000 endpoints and hosts. */
    public static final long DEFAULT_MEMORY = 64L << 20;
    /** Default lifetime of a fact: 30 minutes, a typical tracker announce interval. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(30);

    public SwarmTableConfig {
        if (maxEntries < 16 || maxEntries > (1 << 28)) {
            throw new IllegalArgumentException("swarm table entries must be between 16 and " + (1 << 28) + ", got " + maxEntries);
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("swarm fact lifetime must be positive, got " + ttl);
        }
    }

    public static SwarmTableConfig defaults() {
        return new SwarmTableConfig(maxEntriesForMemory(DEFAULT_MEMORY), DEFAULT_TTL);
    }

    /** The entry bound that fits a memory budget at {@link SwarmTable#BYTES_PER_ENTRY}. */
    public static int maxEntriesForMemory(long bytes) {
        return (int) Math.max(16, Math.min(1 << 28, bytes / SwarmTable.BYTES_PER_ENTRY));
    }

    /** A table with these limits. */
    public SwarmTable newTable() {
        return new SwarmTable(maxEntries, ttl.toNanos() / 1000);
    }
}
