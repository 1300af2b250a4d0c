package org.swarmwatch.dashboard.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * CSV (RFC 4180: comma separated, CRLF, fields with a comma, quote or line break quoted, quotes
 * doubled), UTF-8, a header row of {@link IncidentFields#CSV}. A text field starting with
 * {@code = + - @} or a tab gets a leading apostrophe, so that a spreadsheet shows it instead of
 * running it as a formula (OWASP "CSV injection"): titles come from rights-holder lists.
 */
final class CsvIncidentWriter implements IncidentWriter {
    private final Writer out;

    CsvIncidentWriter(OutputStream out) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    }

    @Override
    public void begin(long incidents) throws IOException {
        row(IncidentFields.CSV.toArray(String[]::new));
    }

    @Override
    public void incident(Map<String, Object> incident) throws IOException {
        String[] cells = new String[IncidentFields.CSV.size()];
        for (int i = 0; i < cells.length; i++) {
            Object v = IncidentFields.value(incident, IncidentFields.CSV.get(i));
            String t = IncidentFields.text(incident, IncidentFields.CSV.get(i));
            cells[i] = v instanceof Number ? t : neutralised(t);
        }
        row(cells);
    }

    @Override
    public void finish() throws IOException {
        out.flush();
    }

    private void row(String[] cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quoted(cells[i]));
        }
        out.write("\r\n");
    }

    static String neutralised(String t) {
        if (!t.isEmpty() && "=+-@\t\r".indexOf(t.charAt(0)) >= 0) {
            return "'" + t;
        }
        return t;
    }

    static String quoted(String t) {
        if (t.indexOf(',') < 0 && t.indexOf('"') < 0 && t.indexOf('\n') < 0 && t.indexOf('\r') < 0) {
            return t;
        }
        return '"' + t.replace("\"", "\"\"") + '"';
    }
}
