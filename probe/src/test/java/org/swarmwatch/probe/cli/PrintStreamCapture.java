package org.swarmwatch.probe.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/** Captures standard output around a call. */
record PrintStreamCapture(int exitCode, String text) {
    static synchronized PrintStreamCapture stdout(IntSupplier call) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = call.getAsInt();
            return new PrintStreamCapture(code, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }
}
