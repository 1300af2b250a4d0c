package org.swarmwatch.probe.eval;

import java.io.IOException;

/** A tool the evaluation was asked to run (ndpiReader) is not installed. */
public final class MissingToolException extends IOException {
    MissingToolException(String message) {
        super(message);
    }
}
