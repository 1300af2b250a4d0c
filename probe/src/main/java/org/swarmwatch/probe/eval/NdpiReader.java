package org.swarmwatch.probe.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nDPI's ndpiReader (4.2, Debian libndpi-bin) as a tool to score: its per-flow lines, from
 * {@code ndpiReader -q -v 2 -i FILE}, run now or saved by an earlier run. A line reads
 * <pre>
 *   2  TCP 10.77.0.11:38976 &lt;-&gt; 10.77.0.1:6969 [proto: 7.37/HTTP.BitTorrent][ClearText][Confidence: DPI]...[BT Hash: d6c1...]...
 * </pre>
 * (IPv6 addresses in brackets, {@code ->} for one-way flows). The label is the protocol name after
 * the slash; the BitTorrent hash, when nDPI read one, is in {@code [BT Hash: ...]}. ndpiReader
 * gives no hash kind. Flows of transports other than TCP and UDP are left out, as for the probe.
 */
final class NdpiReader {
    /** The command line, with the capture last. */
    static final List<String> COMMAND = List.of("ndpiReader", "-q", "-v", "2", "-i");
    private static final Pattern FLOW = Pattern.compile(
            "^\\s*\\d+\\s+(TCP|UDP)\\s+(\\[[0-9a-fA-F:.]+\\]|[0-9.]+):(\\d+)\\s+<?->\\s+(\\[[0-9a-fA-F:.]+\\]|[0-9.]+):(\\d+)\\s+"
                    + "\\[proto: [0-9.]+/([^\\]]+)\\]");
    private static final Pattern HASH = Pattern.compile("\\[BT Hash: ([0-9a-fA-F]{40})\\]");

    private NdpiReader() {
    }

    /** Reads ndpiReader's output; lines that are not flow lines (statistics, headings) are skipped. */
    static ToolResult parse(BufferedReader in) throws IOException {
        ToolResult result = new ToolResult();
        for (String line; (line = in.readLine()) != null; ) {
            Matcher m = FLOW.matcher(line);
            if (!m.find()) {
                continue;
            }
            String label = m.group(6);
            result.flow(FlowKey.of(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2), Integer.parseInt(m.group(3)), m.group(4),
                    Integer.parseInt(m.group(5))), label.equals("Unknown") ? ToolResult.UNKNOWN : label);
            Matcher h = HASH.matcher(line);
            if (h.find()) {
                result.hash(h.group(1).toLowerCase(java.util.Locale.ROOT), "");
            }
        }
        return result;
    }

    /** ndpiReader's output saved in a file. */
    static ToolResult read(Path output) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(output, StandardCharsets.UTF_8)) {
            return parse(in);
        }
    }

    /** Runs ndpiReader on {@code capture} now. */
    static ToolResult run(Path capture) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(COMMAND);
        command.add(capture.toString());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new MissingToolException("cannot run ndpiReader (" + e.getMessage() + "); on Debian: apt-get install libndpi-bin");
        }
        ToolResult result;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            result = parse(in);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("ndpiReader did not finish on " + capture + " within 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("ndpiReader failed on " + capture + " (exit " + p.exitValue() + "); run " + String.join(" ", command));
        }
        return result;
    }
}
