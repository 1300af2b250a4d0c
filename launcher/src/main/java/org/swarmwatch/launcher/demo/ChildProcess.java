package org.swarmwatch.launcher.demo;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One component of the demo in a JVM of its own: its output (standard output and error together)
 * goes to a log file, line by line, except the lines a filter takes (the dashboard's one-time
 * passwords must not land in a file). {@link #close} asks it to stop (SIGTERM: the components'
 * own graceful stop), then kills it and its descendants after a grace period.
 */
final class ChildProcess implements AutoCloseable {
    private static final int TAIL_LINES = 15;

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread pump;
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile boolean stopping;

    private ChildProcess(String name, Process process, Path log, Predicate<String> taken) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pump = new Thread(() -> pump(taken), "demo-" + name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code java ARGS...} in {@code workingDir} (so nothing it writes by default lands
     * elsewhere); every line of output not {@code taken} goes to {@code log}.
     */
    static ChildProcess startJava(String name, List<String> args, Path workingDir, Path log, Predicate<String> taken)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(args);
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        return new ChildProcess(name, process, log, taken);
    }

    /** JVM options every child inherits from this one: the project home, and native access (JNA, under pcap4j) on new JDKs. */
    static List<String> inheritedOptions() {
        List<String> options = new ArrayList<>();
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("-Dswarmwatch.") || argument.startsWith("--enable-native-access")) {
                options.add(argument);
            }
        }
        return options;
    }

    /** This JVM's class path with every entry absolute (a child runs in another directory). */
    static String absoluteClassPath() {
        StringBuilder path = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                path.append(path.length() == 0 ? "" : File.pathSeparator).append(Path.of(entry).toAbsolutePath());
            }
        }
        return path.toString();
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** The exit code, if it has ended. */
    Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** The last lines it wrote to its log (for an error message when it ended too soon). */
    synchronized String tail() {
        return String.join(System.lineSeparator(), tail);
    }

    private void pump(Predicate<String> taken) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (taken.test(line)) {
                    continue;
                }
                out.write(line);
                out.newLine();
                out.flush();
                synchronized (this) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                System.err.println("swarmwatch demo: the output of the " + name + " is lost from here on (" + log + "): " + e.getMessage());
            }
        }
    }

    /** Stops it: SIGTERM, up to {@code graceSeconds} for its own clean stop, then SIGKILL for it and anything it started. */
    void stop(long graceSeconds) {
        stopping = true;
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        try {
            pump.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(20);
    }
}
