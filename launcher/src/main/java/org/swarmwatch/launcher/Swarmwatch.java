package org.swarmwatch.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.swarmwatch.classifier.cli.ClassifierCommand;
import org.swarmwatch.embedded.EmbeddedElasticsearch;
import org.swarmwatch.launcher.demo.DemoCommand;
import org.swarmwatch.peer.cli.PeerCommand;
import org.swarmwatch.probe.cli.SwarmwatchCommand;

/**
 * The {@code swarmwatch} command: the probe's commands (replay, capture, eval), the
 * classifier's and the reference peer's, {@code verify} for the dashboard's signed exports, and the demo of them all, in one process. Only this module (and its end-to-end tests) combines components
 * (DESIGN.md, "Modules").
 */
public final class Swarmwatch {
    private Swarmwatch() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code. */
    public static int execute(String... args) {
        return SwarmwatchCommand.execute(cl -> cl.addSubcommand("classifier", new ClassifierCommand(Swarmwatch::startEngine))
                .addSubcommand("peer", new PeerCommand()).addSubcommand("verify", new VerifyCommand())
                .addSubcommand("demo", new DemoCommand()), args);
    }

    /** The classifier's embedded default: a one-node engine in a child JVM. */
    static ClassifierCommand.Engine startEngine(Path dataDirectory) throws IOException {
        EmbeddedElasticsearch engine = new EmbeddedElasticsearch(dataDirectory).start();
        return new ClassifierCommand.Engine() {
            @Override
            public URI url() {
                return URI.create(engine.url());
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }
}
