package org.swarmwatch.probe.cli;

/** Process exit codes of every command; listed in {@code --help}. */
final class ExitCodes {
    static final int OK = 0;
    /** Some input could not be read (a corrupt or truncated capture); the rest was processed. */
    static final int INPUT = 1;
    /** Bad command line or configuration. */
    static final int USAGE = 2;
    /** The machine is missing something: libpcap, permission to capture. */
    static final int ENVIRONMENT = 3;
    /** Records could not be written (disk full, closed output). */
    static final int OUTPUT = 4;

    static final String[] HELP = {
        "0:success",
        "1:input could not be read completely (corrupt or truncated capture file, failed live capture); the rest was processed",
        "2:invalid command line or configuration",
        "3:environment: libpcap missing, or no permission to capture",
        "4:records could not be written",
    };

    private ExitCodes() {
    }
}
