package org.swarmwatch.probe.eval;

import java.io.IOException;
import java.nio.file.Path;

/** A ground-truth file that cannot be used, with the place that says why: file, line and column. */
public final class ManifestException extends IOException {
    ManifestException(Path file, int line, String column, String message) {
        super(file + ": line " + line + (column == null ? "" : ", column " + column) + ": " + message);
    }
}
