package org.swarmwatch.peer.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.swarmwatch.peer.session.Encryption;
import org.swarmwatch.peer.dht.DhtConfig;
import org.swarmwatch.peer.dht.DhtNode;
import org.swarmwatch.peer.session.MetadataFetcher;
import org.swarmwatch.peer.session.PeerConfig;
import org.swarmwatch.peer.session.TorrentSession;
import org.swarmwatch.peer.torrent.Magnet;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.TorrentBuilder;
import org.swarmwatch.peer.tracker.LocalTracker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code swarmwatch peer seed|get|tracker|dht}: the reference peer from the command line, to make
 * known BitTorrent traffic by hand (for a capture, a demo, a check of the probe). Safe by
 * default: it binds to 127.0.0.1 and contacts loopback addresses only, so it cannot join a public
 * swarm; {@code --allow-network} widens that to private ranges a lab needs, never the Internet.
 * The DHT is used only with nodes named on the command line, never a public bootstrap router.
 */
@Command(name = "peer", mixinStandardHelpOptions = true,
        description = "The reference BitTorrent peer: seed, get, run a tracker or a DHT node.",
        subcommands = {PeerCommand.Seed.class, PeerCommand.Get.class, PeerCommand.Tracker.class, PeerCommand.Dht.class})
public final class PeerCommand implements Runnable {
    @Override
    public void run() {
        System.err.println("swarmwatch peer: say seed, get, tracker or dht (--help for each)");
    }

    /** Options every peer subcommand shares. */
    static class Network {
        @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
                description = "Address to listen on and connect from (default: ${DEFAULT-VALUE}).")
        InetAddress bind;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", description = "Port to listen on (default: a free one).")
        int port;

        @Option(names = "--allow-network", description = "Contact private-range addresses too (a lab network namespace); "
                + "without it, only loopback. Public addresses are never contacted.")
        boolean allowNetwork;

        PeerConfig config() {
            Predicate<InetAddress> contact = allowNetwork ? a -> a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()
                    : InetAddress::isLoopbackAddress;
            if (!contact.test(bind) && !bind.isAnyLocalAddress()) {
                throw new IllegalArgumentException("--bind " + bind.getHostAddress() + " is not an address this peer may use"
                        + (allowNetwork ? "" : " (loopback only without --allow-network)"));
            }
            PeerConfig c = PeerConfig.defaults().withBindAddress(bind, contact);
            return new PeerConfig(c.peerId(), c.bindAddress(), port, c.maxConnections(), c.maxMessageLength(), c.maxQueuedRequests(),
                    c.maxOutstandingRequests(), c.maxUnchoked(), c.connectTimeout(), c.handshakeTimeout(), c.idleTimeout(),
                    c.requestTimeout(), c.keepAliveInterval(), c.announceInterval(), c.mayContact(), c.encryption(),
                    c.dhtBootstrap());
        }
    }

    /** The MSE/PE policy of a seeding or downloading peer. */
    static class EncryptionOption {
        @Option(names = "--encryption", paramLabel = "POLICY", defaultValue = "prefer-plaintext",
                description = "MSE/PE encryption: plaintext (never), prefer-plaintext (accept both, dial in plaintext, retry "
                        + "encrypted), prefer-encrypted (accept both, dial encrypted offering RC4, retry in plaintext), "
                        + "require-encrypted (RC4 only, both ways). Default: ${DEFAULT-VALUE}.")
        String policy;

        PeerConfig apply(PeerConfig config) {
            return config.withEncryption(Encryption.parse(policy));
        }
    }

    /** DHT nodes given as HOST:PORT, each one an address this peer may contact. */
    static List<InetSocketAddress> nodes(List<String> given, Predicate<InetAddress> contact, String option) throws IOException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String g : given) {
            int colon = g.lastIndexOf(':');
            int port;
            try {
                port = colon > 0 ? Integer.parseInt(g.substring(colon + 1)) : -1;
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(option + " " + g + ": not HOST:PORT");
            }
            InetAddress host = InetAddress.getByName(g.substring(0, colon));
            if (!contact.test(host)) {
                throw new IllegalArgumentException(option + " " + g + " is not an address this peer may contact"
                        + " (loopback only without --allow-network, public addresses never)");
            }
            out.add(new InetSocketAddress(host, port));
        }
        return out;
    }

    /** {@code --dht-bootstrap}: find peers through the DHT too, from these nodes only. */
    static class DhtBootstrap {
        @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT", description = "A DHT node (e.g. from 'swarmwatch peer dht') "
                + "to find peers through as well as the tracker; repeatable. Without it, no DHT. Never a public router.")
        List<String> nodes = new ArrayList<>();

        PeerConfig apply(PeerConfig config) throws IOException {
            return config.withDhtBootstrap(nodes(nodes, config.mayContact(), "--dht-bootstrap"));
        }
    }

    /** Waits for Ctrl-C / SIGTERM. */
    static void untilStopped() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
    }

    @Command(name = "seed", mixinStandardHelpOptions = true,
            description = "Make a torrent of a file or directory and seed it until stopped; prints the torrent file and magnet link.")
    static final class Seed implements Callable<Integer> {
        @Parameters(paramLabel = "FILE|DIR", description = "What to seed.")
        Path source;

        @Option(names = "--tracker", paramLabel = "URL", description = "Announce URL (a tracker from 'swarmwatch peer tracker').")
        String tracker;

        @Option(names = "--torrent", paramLabel = "FILE", description = "Where to write the .torrent (default: SOURCE.torrent beside it).")
        Path torrent;

        @Option(names = "--torrent-version", paramLabel = "v1|v2|hybrid", defaultValue = "v1", description = "Torrent version (default: ${DEFAULT-VALUE}).")
        String version;

        @Option(names = "--piece-length", paramLabel = "BYTES", defaultValue = "262144", description = "Piece length (default: ${DEFAULT-VALUE}).")
        int pieceLength;

        @picocli.CommandLine.Mixin
        Network network = new Network();

        @picocli.CommandLine.Mixin
        EncryptionOption encryption = new EncryptionOption();

        @picocli.CommandLine.Mixin
        DhtBootstrap dht = new DhtBootstrap();

        @Override
        public Integer call() throws Exception {
            if (!Files.exists(source)) {
                System.err.println("swarmwatch peer seed: " + source + " does not exist");
                return 2;
            }
            TorrentBuilder.Version v = switch (version) {
                case "v1" -> TorrentBuilder.Version.V1;
                case "v2" -> TorrentBuilder.Version.V2;
                case "hybrid" -> TorrentBuilder.Version.HYBRID;
                default -> null;
            };
            if (v == null) {
                System.err.println("swarmwatch peer seed: --torrent-version must be v1, v2 or hybrid, not " + version);
                return 2;
            }
            PeerConfig config;
            try {
                config = dht.apply(encryption.apply(network.config()));
            } catch (IllegalArgumentException | IOException e) {
                System.err.println("swarmwatch peer seed: " + e.getMessage());
                return 2;
            }
            TorrentBuilder.Torrent t = TorrentBuilder.create(source, v, pieceLength, tracker);
            Path out = torrent != null ? torrent : source.toAbsolutePath().resolveSibling(source.getFileName() + ".torrent");
            Files.write(out, t.metainfo());
            Metainfo meta = Metainfo.parse(t.metainfo());
            Path directory = source.toAbsolutePath().getParent();
            try (TorrentSession session = TorrentSession.start(meta, directory, config)) {
                System.out.println("torrent: " + out);
                System.out.println("magnet: " + t.magnet(tracker == null ? List.of() : List.of(tracker)));
                System.out.println("seeding on " + session.address().getAddress().getHostAddress() + ":" + session.address().getPort()
                        + " (Ctrl-C to stop)");
                System.out.flush();
                untilStopped();
            }
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Download a torrent (a .torrent file or a magnet link) into a directory, then seed it until stopped "
                    + "(--exit to stop when done).")
    static final class Get implements Callable<Integer> {
        @Parameters(paramLabel = "TORRENT|MAGNET", description = "A .torrent file or a magnet: link.")
        String what;

        @Parameters(paramLabel = "DIR", description = "Where the content goes.")
        Path directory;

        @Option(names = "--peer", paramLabel = "HOST:PORT", description = "A peer to connect to, besides the tracker's.")
        String peer;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT10M", description = "Give up after (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--exit", description = "Stop once the download is complete instead of seeding.")
        boolean exit;

        @picocli.CommandLine.Mixin
        Network network = new Network();

        @picocli.CommandLine.Mixin
        EncryptionOption encryption = new EncryptionOption();

        @picocli.CommandLine.Mixin
        DhtBootstrap dht = new DhtBootstrap();

        @Override
        public Integer call() throws Exception {
            PeerConfig config;
            Metainfo meta;
            try {
                config = dht.apply(encryption.apply(network.config()));
                if (what.startsWith("magnet:")) {
                    System.err.println("fetching the metadata ...");
                    meta = MetadataFetcher.fetch(Magnet.parse(what), config, timeout);
                } else {
                    meta = Metainfo.parse(Files.readAllBytes(Path.of(what)));
                }
            } catch (IllegalArgumentException | IOException e) {
                System.err.println("swarmwatch peer get: " + what + ": " + e.getMessage());
                return 2;
            }
            Files.createDirectories(directory);
            try (TorrentSession session = TorrentSession.start(meta, directory, config)) {
                if (peer != null) {
                    int colon = peer.lastIndexOf(':');
                    session.connect(new InetSocketAddress(peer.substring(0, colon), Integer.parseInt(peer.substring(colon + 1))));
                }
                System.err.println("getting " + meta.name() + " (" + meta.totalLength() + " bytes) into " + directory + " ...");
                if (!session.awaitComplete(timeout)) {
                    System.err.println("swarmwatch peer get: not complete after " + timeout + " (" + session.downloaded() + " bytes)"
                            + session.lastHandshakeFailure().map(f -> "; last handshake failure: " + f).orElse(""));
                    return 1;
                }
                System.out.println("complete: " + directory.resolve(meta.name()));
                if (!exit) {
                    System.out.println("seeding (Ctrl-C to stop)");
                    System.out.flush();
                    untilStopped();
                }
            }
            return 0;
        }
    }

    @Command(name = "tracker", mixinStandardHelpOptions = true, description = "Run an HTTP tracker (BEP 3, compact peers) until stopped.")
    static final class Tracker implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Network network = new Network();

        @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "30", description = "Announce interval (default: ${DEFAULT-VALUE}).")
        int interval;

        @Override
        public Integer call() throws Exception {
            try {
                network.config();
            } catch (IllegalArgumentException e) {
                System.err.println("swarmwatch peer tracker: " + e.getMessage());
                return 2;
            }
            try (LocalTracker tracker = LocalTracker.start(network.bind, network.port, interval)) {
                System.out.println("announce: " + tracker.announceUrl() + " (Ctrl-C to stop)");
                System.out.flush();
                untilStopped();
            }
            return 0;
        }
    }

    @Command(name = "dht", mixinStandardHelpOptions = true,
            description = "Run a DHT node (BEP 5) until stopped: it answers ping, find_node, get_peers and announce_peer, and "
                    + "joins only through the --bootstrap nodes given (none: it is the first node of its own DHT). "
                    + "Peers find each other through it with 'seed|get --dht-bootstrap HOST:PORT'.")
    static final class Dht implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Network network = new Network();

        @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "A node to join the DHT through; repeatable. "
                + "Never a public router: only addresses this peer may contact.")
        List<String> bootstrap = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            DhtConfig config;
            try {
                PeerConfig peer = network.config();
                config = DhtConfig.defaults().withAddress(network.bind, network.port, peer.mayContact())
                        .withBootstrap(nodes(bootstrap, peer.mayContact(), "--bootstrap"));
            } catch (IllegalArgumentException | IOException e) {
                System.err.println("swarmwatch peer dht: " + e.getMessage());
                return 2;
            }
            try (DhtNode node = DhtNode.start(config)) {
                System.out.println("node id: " + node.id().hex());
                System.out.println("listening on " + node.address().getAddress().getHostAddress() + ":" + node.address().getPort()
                        + " (UDP; Ctrl-C to stop)");
                System.out.flush();
                untilStopped();
            } catch (IOException e) {
                System.err.println("swarmwatch peer dht: " + e.getMessage());
                return 2;
            }
            return 0;
        }
    }
}
