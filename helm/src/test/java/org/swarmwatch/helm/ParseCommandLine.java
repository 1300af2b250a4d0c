package org.swarmwatch.helm;

import org.swarmwatch.classifier.cli.ClassifierCommand;
import org.swarmwatch.probe.cli.SwarmwatchCommand;
import picocli.CommandLine;

/**
 * Parses a command line as the {@code swarmwatch} image's entry point would, without running it:
 * the probe's commands and the classifier's, with their defaults from the environment. Run in a
 * child JVM whose environment is a container's (see {@link CommandLineCompatibilityTest}).
 * Prints "parsed COMMAND" and the health options' values ("option --health-port=9465"), and exits
 * 0, or prints picocli's refusal and exits 2.
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
            for (CommandLine.Model.OptionSpec o : result.matchedOptions()) {
                if (o.longestName().startsWith("--health-")) { // what the chart's probes depend on, as the command took it
                    System.out.println("option " + o.longestName() + "=" + o.getValue());
                }
            }
            System.exit(0);
        } catch (CommandLine.ParameterException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(2);
        }
    }
}
