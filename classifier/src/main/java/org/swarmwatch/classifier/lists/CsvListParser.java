package org.swarmwatch.classifier.lists;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a CSV list (docs/rights-lists.md#csv): a header row naming the eight columns in any
 * order, then one entry per record, streamed through a {@link RightsListBuilder}.
 */
final class CsvListParser {
    private CsvListParser() {
    }

    static RightsListBuilder parse(InputStream in, String file, ListLimits limits)
            throws IOException, ListFileException {
        InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
        List<String> fieldNames = RightsListBuilder.FIELDS;
        CsvRecordReader csv = new CsvRecordReader(reader, file, limits.maxFieldChars(), fieldNames.size() + 8);
        try {
            List<String> first = csv.next();
            if (first == null) {
                throw new ListFileException(file, 0, null, "empty: a CSV list starts with the header row "
                        + String.join(",", fieldNames));
            }
            List<String> header = List.copyOf(first);
            int[] columnOfField = new int[fieldNames.size()];
            Arrays.fill(columnOfField, -1);
            Map<String, String> labels = new HashMap<>();
            for (int col = 0; col < header.size(); col++) {
                String name = header.get(col);
                int f = fieldNames.indexOf(name);
                if (f < 0) {
                    throw new ListFileException(file, csv.recordLine(), "column " + (col + 1),
                            "unknown column '" + name + "' in the header (expected " + String.join(",", fieldNames) + ")");
                }
                if (columnOfField[f] >= 0) {
                    throw new ListFileException(file, csv.recordLine(), "column " + (col + 1),
                            "column '" + name + "' appears twice in the header");
                }
                columnOfField[f] = col;
                labels.put(name, name + " (column " + (col + 1) + ")");
            }
            StringBuilder missing = new StringBuilder();
            for (int f = 0; f < columnOfField.length; f++) {
                if (columnOfField[f] < 0) {
                    missing.append(missing.length() == 0 ? "" : ", ").append(fieldNames.get(f));
                }
            }
            if (missing.length() > 0) {
                throw new ListFileException(file, csv.recordLine(), null, "header lacks column(s) " + missing
                        + " (a CSV list needs " + String.join(",", fieldNames) + ")");
            }
            RightsListBuilder builder = new RightsListBuilder(file, limits.maxFieldChars(), labels::get);
            String[] values = new String[fieldNames.size()];
            List<String> record;
            while ((record = csv.next()) != null) {
                if (record.size() != header.size()) {
                    throw new ListFileException(file, csv.recordLine(), null,
                            record.size() + " fields, the header has " + header.size());
                }
                for (int f = 0; f < values.length; f++) {
                    values[f] = record.get(columnOfField[f]);
                }
                builder.add(csv.recordLine(), values);
            }
            return builder;
        } catch (CharacterCodingException e) {
            throw new ListFileException(file, csv.line(), null, "not UTF-8 (" + e + ")");
        }
    }
}
