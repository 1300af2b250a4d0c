package org.swarmwatch.peer.dht;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;

/**
 * The tokens a get_peers answer hands out and an announce_peer must bring back (BEP 5): the
 * first 8 bytes of SHA-1(secret, querier's IP address), with a random secret replaced every
 * {@code rotation}; a token made with the current or the previous secret is accepted, so a token
 * lives between one and two rotations (BEP 5's reference: 5 minutes, accepted for up to 10). A
 * token is bound to the IP address only, not the port, as the BEP says.
 */
final class Tokens {
    static final int LENGTH = 8;

    private final SecureRandom random = new SecureRandom();
    private final long rotationNanos;
    private byte[] current = new byte[20], previous = new byte[20];
    private long rotatedAt;

    Tokens(Duration rotation) {
        this.rotationNanos = rotation.toNanos();
        random.nextBytes(current);
        random.nextBytes(previous);
        rotatedAt = System.nanoTime();
    }

    synchronized byte[] issue(InetAddress querier) {
        rotate();
        return token(current, querier);
    }

    synchronized boolean valid(byte[] token, InetAddress querier) {
        rotate();
        return MessageDigest.isEqual(token, token(current, querier)) || MessageDigest.isEqual(token, token(previous, querier));
    }

    private void rotate() {
        long now = System.nanoTime();
        if (now - rotatedAt < rotationNanos) {
            return;
        }
        if (now - rotatedAt >= 2 * rotationNanos) {
            random.nextBytes(previous); // idle for two rotations: every old token is dead
        } else {
            previous = current;
        }
        current = new byte[20];
        random.nextBytes(current);
        rotatedAt = now;
    }

    private static byte[] token(byte[] secret, InetAddress querier) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(secret);
            sha1.update(querier.getAddress());
            return Arrays.copyOf(sha1.digest(), LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
