package org.swarmwatch.helm;

import org.swarmwatch.classifier.cli.ClassifierCommand;
import org.swarmwatch.probe.cli.SwarmwatchCommand;
import picocli.CommandLine;

/**
 * Parses a command line as the {@code swarmwatch} image's entry point would, without running it:
 * the probe's commands and the classifier's, with their defaults from the environment. Run in a
 * child JVM whose environment is a container's (see {@link CommandLineCompatibilityTest}).
 * Prints "parsed COMMAND" and exits 0, or prints picocli's refusal and exits 2.
 */
public final class ParseCommandLine {
    private ParseCommandLine() {
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new SwarmwatchCommand()).addSubcommand("classifier", new ClassifierCommand());
        try {
            CommandLine.ParseResult result = cl.parseArgs(args);
            while (result.hasSubcommand()) {
                result = result.subcommand();
            }
            System.out.println("parsed " + result.commandSpec().name());
            System.exit(0);
        } catch (CommandLine.ParameterException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(2);
        }
    }
}
