package org.swarmwatch.embedded.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.node.ClasspathNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * The entry point of the child JVM that {@code org.swarmwatch.embedded.EmbeddedElasticsearch}
 * starts: one Elasticsearch node (single-node discovery, Netty 4, 127.0.0.1 only) keeping its
 * data under {@code DIR}.
 *
 * <p>Protocol with the parent: once the node is started, one line
 * {@code swarmwatch.elasticsearch.http=127.0.0.1:PORT} on stdout; everything else (the log) goes
 * to stderr. The node stops, and the JVM exits, when stdin reaches its end: the parent closes it,
 * or the operating system does when the parent dies, so the child never outlives its parent.
 * SIGTERM stops it as well.
 *
 * <p>usage: ChildNode DIR [HTTP_PORT] (port 0 or absent: a free one)
 */
public final class ChildNode {
    /** Prefix of the one line on stdout that gives the bound HTTP address. */
    public static final String HTTP_LINE = "swarmwatch.elasticsearch.http=";

    private static final String LOG_CONFIG = """
            status = error
            appender.console.type = Console
            appender.console.name = console
            appender.console.target = SYSTEM_ERR
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = [%d{ISO8601}][%-5p][%c{1.}] %m%n
            rootLogger.level = warn
            rootLogger.appenderRef.console.ref = console
            logger.node.name = org.elasticsearch.node.Node
            logger.node.level = info
            """;

    private ChildNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ChildNode DIR [HTTP_PORT]");
            System.exit(2);
        }
        // as Elasticsearch's jvm.options: log4j's own shutdown hook would stop logging before the node has stopped
        System.setProperty("log4j.shutdownHookEnabled", "false");
        System.setProperty("log4j2.disable.jmx", "true");
        // Elasticsearch's logging setup sends System.out and System.err to loggers: keep the pipe
        PrintStream parent = System.out;
        Path dir = Path.of(args[0]).toAbsolutePath();
        String httpPort = args.length > 1 ? args[1] : "0";
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("log4j2.properties"), LOG_CONFIG);
        Settings settings = Settings.builder()
                .put("path.home", dir.toString())
                .put("path.data", dir.resolve("data").toString())
                .put("path.logs", dir.resolve("logs").toString())
                .put("cluster.name", "swarmwatch-embedded")
                .put("node.name", "embedded")
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort)
                .put("transport.port", "0")
                .put("http.type", Netty4Plugin.NETTY_HTTP_TRANSPORT_NAME)
                .put("transport.type", Netty4Plugin.NETTY_TRANSPORT_NAME)
                // a test machine's disk is often more than 90 % full: the default watermarks would
                // refuse to allocate shards
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("action.auto_create_index", true)
                .build();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> "embedded");
        LogConfigurator.registerErrorListener();
        LogConfigurator.setClusterName("swarmwatch-embedded");
        LogConfigurator.setNodeName("embedded");
        LogConfigurator.configure(environment, true);

        Node node = new ClasspathNode(environment, List.of(Netty4Plugin.class, RootInfoPlugin.class));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(node), "embedded-elasticsearch-stop"));
        node.start();
        var address = node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress();
        parent.println(HTTP_LINE + address.getAddress() + ":" + address.getPort());
        parent.flush();

        awaitEndOf(System.in);
        System.exit(0); // the shutdown hook stops the node
    }

    private static void awaitEndOf(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the parent sends nothing; reading only tells when the pipe closes
            }
        } catch (IOException e) {
            // a broken pipe means the parent is gone too
        }
    }

    private static synchronized void stop(Node node) {
        try {
            node.close();
            node.awaitClose(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("stopping the node: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
