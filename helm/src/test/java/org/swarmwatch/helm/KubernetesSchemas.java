package org.swarmwatch.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Offline validation of rendered manifests against the Kubernetes OpenAPI schemas, by the npm
 * package kubernetes-models (5.1.0, with yaml 2.9.1 to read the manifests as a cluster would),
 * run by node with {@code src/test/node/validate-manifests.mjs}.
 *
 * <p>The packages are installed into {@code target/k8s-validate} at first use, by {@code npm ci}
 * from the lock file beside the script (integrity hashes pinned); that needs the npm registry once
 * (or a populated npm cache: {@code --prefer-offline}), and every later run of the module's tests
 * is offline until {@code mvn clean}. A missing node or npm, or an install that cannot reach the
 * registry, fails with a message saying so and what to run, never as a skipped test.
 *
 * <p>Why node and not a JVM validator: kubernetes-models compiles the API's own OpenAPI schemas
 * (Kubernetes 1.3x) into validators, kept up to date upstream; a JVM-side equivalent would mean
 * vendoring the multi-megabyte OpenAPI document and a JSON-schema library that understands its
 * int-or-string and quantity formats.
 */
final class KubernetesSchemas {

    private static final Path WORK = Path.of("target", "k8s-validate").toAbsolutePath();
    private static final Path SOURCES = Path.of("src", "test", "node").toAbsolutePath();
    private static final String SCRIPT = "validate-manifests.mjs";
    private static boolean installed;
    /** An install that failed once is not tried again by every test: they all report it. */
    private static AssertionError installFailure;

    private KubernetesSchemas() {
    }

    /** What the validator said: its exit code and one line per object. */
    record Verdict(int exitCode, List<String> lines) {
        List<String> invalid() {
            return lines.stream().filter(l -> !l.startsWith("ok ")).toList();
        }

        long valid() {
            return lines.stream().filter(l -> l.startsWith("ok ")).count();
        }
    }

    /** Validates every object of the YAML text. */
    static Verdict validate(String name, String yaml) throws IOException, InterruptedException {
        ensureInstalled();
        Path file = WORK.resolve("manifests").resolve(name + ".yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        Run run = run(List.of("node", SCRIPT, file.toString()), 120);
        if (run.exitCode != 0 && run.exitCode != 1) {
            throw new AssertionError("the validator failed (exit " + run.exitCode + ") on " + file + ":\n" + run.output);
        }
        return new Verdict(run.exitCode, run.output.lines().filter(l -> !l.isBlank()).toList());
    }

    private static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (installed) {
            return;
        }
        if (installFailure != null) {
            throw installFailure;
        }
        try {
            install();
        } catch (AssertionError e) {
            installFailure = e;
            throw e;
        }
        installed = true;
    }

    private static void install() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        for (String f : List.of("package.json", "package-lock.json", SCRIPT)) {
            Files.copy(SOURCES.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        requireTool("node");
        Path marker = WORK.resolve("node_modules/kubernetes-models/package.json");
        if (!Files.isRegularFile(marker) || !Files.readString(marker).contains("\"version\": \"5.1.0\"")) {
            requireTool("npm");
            Run npm = run(List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts",
                    "--loglevel=error"), 600);
            if (npm.exitCode != 0) {
                throw new AssertionError("npm could not install kubernetes-models 5.1.0 and yaml 2.9.1 into " + WORK
                        + " (the Kubernetes schema check needs them; the npm registry is needed once, or an npm cache"
                        + " that holds them). Run by hand to see why: cd " + WORK + " && npm ci\nnpm said:\n"
                        + tail(npm.output, 2000));
            }
        }
    }

    private static void requireTool(String tool) throws IOException, InterruptedException {
        Run v;
        try {
            v = run(List.of(tool, "--version"), 60);
        } catch (IOException e) {
            throw new AssertionError(tool + " is not installed, and the Kubernetes schema check of the chart needs it:"
                    + " scripts/system-deps.sh node (Debian: apt-get install nodejs npm)", e);
        }
        if (v.exitCode != 0) {
            throw new AssertionError(tool + " --version failed: " + v.output);
        }
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).directory(WORK.toFile()).redirectErrorStream(true).start();
        // read while it runs, so that a full pipe cannot stall it
        var output = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (var in = p.getInputStream()) {
                in.transferTo(output);
            } catch (IOException ignored) {
                // the process is gone; what was read is kept
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            reader.join(5000);
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
                    + tail(output.toString(StandardCharsets.UTF_8), 2000));
        }
        reader.join(10_000);
        return new Run(p.exitValue(), output.toString(StandardCharsets.UTF_8));
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max);
    }
}
