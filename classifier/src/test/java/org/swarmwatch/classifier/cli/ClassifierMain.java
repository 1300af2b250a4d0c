package org.swarmwatch.classifier.cli;

import picocli.CommandLine;

/** The {@code classifier} command as its own process, for tests that run it as Kubernetes does (the launcher's main lives elsewhere). */
public final class ClassifierMain {
    private ClassifierMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClassifierCommand()).execute(args));
    }
}
