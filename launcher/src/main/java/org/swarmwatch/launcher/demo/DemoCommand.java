package org.swarmwatch.launcher.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code swarmwatch demo}: the whole pipeline on this machine, with the dashboard at http://localhost:8080. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole pipeline on this machine on embedded defaults: a Kafka broker and an Elasticsearch engine, "
                + "the classifier with signed demo rights lists, a probe replaying captures in a loop as live traffic, and the "
                + "dashboard (on 127.0.0.1 only) with one-time passwords printed once. Ctrl-C stops everything.",
                "Data and logs go to DATA (started afresh each time).", "",
                "Exit codes: 0 stopped by Ctrl-C or SIGTERM, 2 bad command line or no captures, 3 a component failed to start or stopped."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--captures", paramLabel = "DIR",
            description = "Captures to replay (default: the shared lab captures, ../shared/bt-captures/pcaps beside the project).")
    Path captures;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Dashboard port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--speed", paramLabel = "1x|Nx", defaultValue = "1x", description = "Replay pace (default: ${DEFAULT-VALUE}, the recorded pace).")
    String speed;

    @Option(names = "--data-dir", paramLabel = "DATA", description = "Where the demo keeps its data and logs (default: target/demo in the project).")
    Path dataDir;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        Path home = Path.of(System.getProperty("swarmwatch.home", ".")).toAbsolutePath().normalize();
        Path captureDir = captures != null ? captures : home.resolve("../shared/bt-captures/pcaps").normalize();
        Path data = dataDir != null ? dataDir : home.resolve("target/demo");
        if (!speed.matches("\\d+(\\.\\d+)?x")) {
            System.err.println("swarmwatch demo: --speed '" + speed + "' must be a factor such as 1x or 10x");
            return 2;
        }
        try {
            Demo.captures(captureDir);
        } catch (IOException e) {
            System.err.println("swarmwatch demo: " + e.getMessage());
            return 2;
        }
        out.println("Swarmwatch demo: starting (Ctrl-C stops everything) ...");
        Demo demo;
        try {
            demo = Demo.start(new Demo.Settings(home, captureDir, data, port, speed), out);
        } catch (IOException | RuntimeException e) {
            System.err.println("swarmwatch demo: " + e.getMessage());
            return 3;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println("\nSwarmwatch demo: stopping ...");
            demo.close();
            out.println("Swarmwatch demo: stopped.");
            stopped.countDown();
        }, "demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        banner(out, demo);
        try {
            while (true) {
                ChildProcess gone = demo.ended();
                if (gone != null) {
                    System.err.println("swarmwatch demo: the " + gone.name() + " stopped (exit code " + gone.exitCode() + "); its log "
                            + gone.log() + " ends with:" + System.lineSeparator() + gone.tail());
                    return 3; // the hook stops the rest
                }
                if (stopped.await(1, TimeUnit.SECONDS)) {
                    return 0;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void banner(PrintStream out, Demo demo) {
        out.println();
        out.printf(Locale.ROOT, "Swarmwatch demo ready in %.0f s: open %s%n", demo.secondsSinceStart(), demo.dashboard());
        out.println("Users, with passwords made for this run (shown once, here, stored nowhere):");
        for (Map.Entry<String, String> e : demo.passwords().entrySet()) {
            out.printf(Locale.ROOT, "  %-11s %s%n", e.getKey(), e.getValue());
        }
        out.println("operator: traffic and probe health; compliance: incidents and signed exports; admin: users and audit log.");
        out.println("Check a downloaded export offline: ./swarmwatch verify FILE FILE.sig --key " + demo.exportKey());
        out.println("The probe replays the captures in a loop, so incidents appear within a minute and grow. Ctrl-C stops everything.");
        out.flush();
    }
}
