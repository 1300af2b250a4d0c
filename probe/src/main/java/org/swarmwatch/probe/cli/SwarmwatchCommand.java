package org.swarmwatch.probe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "swarmwatch", mixinStandardHelpOptions = true, versionProvider = SwarmwatchCommand.Version.class,
        description = "ISP-side P2P traffic monitoring: capture probes, flow and content-hash records.",
        subcommands = {ReplayCommand.class, CaptureCommand.class, EvalCommand.class, CommandLine.HelpCommand.class})
public final class SwarmwatchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return execute(cl -> { }, args);
    }

    /**
     * Runs a command line with further subcommands (the launcher adds the classifier's, which
     * this module may not depend on) and returns its exit code.
     */
    public static int execute(java.util.function.Consumer<CommandLine> extend, String... args) {
        CommandLine cl = new CommandLine(new SwarmwatchCommand());
        extend.accept(cl);
        cl.setExitCodeExceptionMapper(t -> ExitCodes.USAGE);
        cl.setParameterExceptionHandler((e, arguments) -> {
            // the error and where to look, not the whole usage text
            CommandLine failed = e.getCommandLine();
            String name = failed.getCommandSpec().qualifiedName();
            failed.getErr().println(name + ": " + e.getMessage());
            failed.getErr().println("Try '" + name + " --help' for the options and exit codes.");
            return ExitCodes.USAGE;
        });
        documentExitCodes(cl);
        return cl.execute(args);
    }

    private static void documentExitCodes(CommandLine cl) {
        java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
        for (String line : ExitCodes.HELP) {
            int colon = line.indexOf(':');
            codes.put(line.substring(0, colon), line.substring(colon + 1));
        }
        if (cl.getCommandSpec().usageMessage().exitCodeList().isEmpty()) { // a command with codes of its own keeps them
            cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            documentExitCodes(sub);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SwarmwatchCommand.class.getPackage().getImplementationVersion();
            return new String[] {"swarmwatch " + (v == null ? "development build" : v)};
        }
    }
}
