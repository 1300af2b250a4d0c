package org.swarmwatch.probe.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a swarmwatch command line in-process, capturing standard error. */
record CommandRun(int exitCode, String stderr) {
    static synchronized CommandRun run(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = SwarmwatchCommand.execute(args);
            return new CommandRun(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }
}
