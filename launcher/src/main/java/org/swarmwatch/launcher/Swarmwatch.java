package org.swarmwatch.launcher;

import org.swarmwatch.classifier.cli.ClassifierCommand;
import org.swarmwatch.probe.cli.SwarmwatchCommand;

/**
 * The {@code swarmwatch} command: the probe's commands (replay, capture, demo, eval) and the
 * classifier's, in one process. Only this module (and its end-to-end tests) combines components
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
        return SwarmwatchCommand.execute(cl -> cl.addSubcommand("classifier", new ClassifierCommand()), args);
    }
}
