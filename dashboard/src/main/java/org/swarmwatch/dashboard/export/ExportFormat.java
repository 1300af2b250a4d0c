package org.swarmwatch.dashboard.export;

import java.io.OutputStream;
import java.util.Locale;

/** The export formats, as {@code format=} names them. */
public enum ExportFormat {
    CSV("csv", "text/csv; charset=UTF-8"),
    JSON("json", "application/json"),
    PDF("pdf", "application/pdf");

    private final String extension;
    private final String contentType;

    ExportFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** The format named {@code name} (any case), or null. */
    public static ExportFormat named(String name) {
        for (ExportFormat f : values()) {
            if (f.extension.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        return null;
    }

    IncidentWriter writer(OutputStream out, ExportHeader header) {
        return switch (this) {
            case CSV -> new CsvIncidentWriter(out);
            case JSON -> new JsonIncidentWriter(out, header);
            case PDF -> new PdfIncidentReport(out, header);
        };
    }
}
