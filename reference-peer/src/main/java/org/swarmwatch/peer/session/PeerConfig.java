package org.swarmwatch.peer.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.swarmwatch.peer.dht.DhtConfig;
import org.swarmwatch.peer.wire.MessageCodec;

/**
 * Everything a {@link TorrentSession} bounds, in one place.
 *
 * @param peerId                 20 bytes, Azureus style ({@code -SW0001-} and 12 random characters)
 * @param bindAddress            where it listens and announces from (127.0.0.1 by default)
 * @param port                   listening port, 0 for a free one
 * @param maxConnections         peers at once, both directions
 * @param maxMessageLength       longest peer wire message read; longer closes the connection
 * @param maxQueuedRequests      a peer's requests waiting to be served; more are dropped, unserved
 * @param maxOutstandingRequests blocks asked of one peer and not yet received
 * @param maxUnchoked            peers uploaded to at once
 * @param connectTimeout         for an outgoing TCP connect
 * @param handshakeTimeout       for the whole handshake
 * @param idleTimeout            a peer that sends nothing (not even a keep-alive) this long is dropped
 * @param requestTimeout         a peer that answers none of our requests this long is dropped
 * @param keepAliveInterval      a keep-alive is sent after this long without sending anything
 * @param announceInterval       the longest time between announces (a tracker's interval, if shorter, wins)
 * @param mayContact             which addresses may be contacted at all (trackers, peers, DHT nodes);
 *                               loopback only by default, so a test cannot reach out
 * @param encryption             when connections use MSE/PE and RC4 ({@link Encryption#PREFER_PLAINTEXT} by default:
 *                               both accepted, dialled in plaintext first)
 * @param dhtBootstrap           DHT nodes (BEP 5) to find peers through, besides the tracker; empty
 *                               (no DHT) by default, and never a public router
 */
public record PeerConfig(byte[] peerId, InetAddress bindAddress, int port, int maxConnections, int maxMessageLength,
        int maxQueuedRequests, int maxOutstandingRequests, int maxUnchoked, Duration connectTimeout,
        Duration handshakeTimeout, Duration idleTimeout, Duration requestTimeout, Duration keepAliveInterval,
        Duration announceInterval, Predicate<InetAddress> mayContact, Encryption encryption,
        List<InetSocketAddress> dhtBootstrap) {

    public PeerConfig {
        if (peerId.length != 20) {
            throw new IllegalArgumentException("a peer id is 20 bytes");
        }
        if (encryption == null) {
            throw new IllegalArgumentException("an encryption policy is needed");
        }
        dhtBootstrap = List.copyOf(dhtBootstrap);
    }

    public static PeerConfig defaults() {
        return new PeerConfig(newPeerId(), InetAddress.getLoopbackAddress(), 0, 50, MessageCodec.DEFAULT_MAX_LENGTH, 256, 32,
                8, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofSeconds(30),
                Duration.ofSeconds(60), Duration.ofSeconds(30), InetAddress::isLoopbackAddress, Encryption.PREFER_PLAINTEXT,
                List.of());
    }

    public static byte[] newPeerId() {
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        SecureRandom r = new SecureRandom();
        StringBuilder s = new StringBuilder("-SW0001-");
        while (s.length() < 20) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public PeerConfig withBindAddress(InetAddress address, Predicate<InetAddress> contact) {
        return new PeerConfig(peerId, address, port, maxConnections, maxMessageLength, maxQueuedRequests,
                maxOutstandingRequests, maxUnchoked, connectTimeout, handshakeTimeout, idleTimeout, requestTimeout,
                keepAliveInterval, announceInterval, contact, encryption, dhtBootstrap);
    }

    public PeerConfig withTimeouts(Duration idle, Duration request, Duration announce) {
        return new PeerConfig(peerId, bindAddress, port, maxConnections, maxMessageLength, maxQueuedRequests,
                maxOutstandingRequests, maxUnchoked, connectTimeout, handshakeTimeout, idle, request, keepAliveInterval,
                announce, mayContact, encryption, dhtBootstrap);
    }

    public PeerConfig withEncryption(Encryption policy) {
        return new PeerConfig(peerId, bindAddress, port, maxConnections, maxMessageLength, maxQueuedRequests,
                maxOutstandingRequests, maxUnchoked, connectTimeout, handshakeTimeout, idleTimeout, requestTimeout,
                keepAliveInterval, announceInterval, mayContact, policy, dhtBootstrap);
    }

    /** Finds peers through the DHT too, starting from these nodes only. */
    public PeerConfig withDhtBootstrap(List<InetSocketAddress> nodes) {
        return new PeerConfig(peerId, bindAddress, port, maxConnections, maxMessageLength, maxQueuedRequests,
                maxOutstandingRequests, maxUnchoked, connectTimeout, handshakeTimeout, idleTimeout, requestTimeout,
                keepAliveInterval, announceInterval, mayContact, encryption, nodes);
    }

    /** The DHT node a session or metadata fetch runs: our address, our contact rule, our bootstrap nodes. */
    public DhtConfig dhtConfig() {
        return DhtConfig.defaults().withAddress(bindAddress, 0, mayContact).withBootstrap(dhtBootstrap);
    }
}
