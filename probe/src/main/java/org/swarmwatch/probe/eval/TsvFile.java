package org.swarmwatch.probe.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tab-separated file with a header line, as the manifests of ../shared are written: cells hold
 * no tabs and no quoting. Every error names the file, the line (1-based, the header is line 1)
 * and the column.
 */
final class TsvFile {
    final Path path;
    final List<String> header;
    final List<Row> rows;

    /** One data line; {@code line} is its number in the file. */
    record Row(int line, String[] cells) {
    }

    private TsvFile(Path path, List<String> header, List<Row> rows) {
        this.path = path;
        this.header = header;
        this.rows = rows;
    }

    /** Reads the file; blank lines are skipped, a line with another number of cells than the header is an error. */
    static TsvFile read(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new ManifestException(path, 1, null, "no header line (the file is empty)");
        }
        List<String> header = List.of(lines.get(0).split("\t", -1));
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (cells.length != header.size()) {
                throw new ManifestException(path, i + 1, null,
                        cells.length + " tab-separated cells, the header has " + header.size());
            }
            rows.add(new Row(i + 1, cells));
        }
        return new TsvFile(path, header, rows);
    }

    boolean has(String column) {
        return header.contains(column);
    }

    /** Fails unless the header has every one of {@code columns}. */
    void require(String format, String... columns) throws ManifestException {
        for (String c : columns) {
            if (!has(c)) {
                throw new ManifestException(path, 1, c, "missing (a " + format + " manifest has it)");
            }
        }
    }

    String get(Row row, String column) {
        return row.cells()[header.indexOf(column)];
    }

    ManifestException error(Row row, String column, String message) {
        return new ManifestException(path, row.line(), column, message);
    }
}
