package org.swarmwatch.classifier.lists;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads a JSON list (docs/rights-lists.md#json) token by token: the metadata, then the
 * {@code entries} array one object at a time, so that only one entry is ever held as text.
 * Jackson's read constraints bound every string, name and nesting level.
 */
final class JsonListParser {
    static final String FORMAT = "swarmwatch-rights-list";
    static final int VERSION = 1;

    private JsonListParser() {
    }

    /** What the metadata said, besides the list id (which goes to the builder). */
    record Parsed(RightsListBuilder builder, String description) {
    }

    static Parsed parse(InputStream in, String file, ListLimits limits) throws IOException, ListFileException {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(limits.maxFieldChars() * 2 + 1024)
                        .maxNameLength(256)
                        .maxNumberLength(32)
                        .maxNestingDepth(8)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .build();
        JsonParser p = factory.createParser(in);
        try {
            return new JsonListParser.Reader(p, file, limits).read();
        } catch (JsonProcessingException e) {
            throw new ListFileException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), null,
                    "not valid JSON: " + e.getOriginalMessage());
        } catch (CharConversionException e) {
            throw new ListFileException(file, p.currentLocation().getLineNr(), null, "not UTF-8 (" + e.getMessage() + ")");
        } finally {
            p.close();
        }
    }

    private static final class Reader {
        private final JsonParser p;
        private final String file;
        private final RightsListBuilder builder;
        private String description;
        private boolean sawFormat;
        private boolean sawVersion;
        private boolean sawEntries;

        Reader(JsonParser p, String file, ListLimits limits) {
            this.p = p;
            this.file = file;
            UnaryOperator<String> label = name -> name;
            this.builder = new RightsListBuilder(file, limits.maxFieldChars(), label);
        }

        Parsed read() throws IOException, ListFileException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error(null, "a JSON list is an object (with format, version, list_id and entries)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                switch (key) {
                    case "format" -> {
                        if (!FORMAT.equals(text(key, value))) {
                            throw error(key, "'" + p.getText() + "', expected '" + FORMAT + "'");
                        }
                        sawFormat = true;
                    }
                    case "version" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || p.getIntValue() != VERSION) {
                            throw error(key, "'" + p.getText() + "', this reader knows version " + VERSION);
                        }
                        sawVersion = true;
                    }
                    case "list_id" -> builder.declareListId(text(key, value), line());
                    case "description" -> description = text(key, value);
                    case "entries" -> {
                        if (!sawFormat || !sawVersion || builder.listId() == null) {
                            throw error(key, "format, version and list_id must come before entries");
                        }
                        readEntries(value);
                        sawEntries = true;
                    }
                    default -> throw error(key, "unknown key (expected format, version, list_id, description,"
                            + " entries)");
                }
            }
            if (!sawEntries) {
                throw error(null, "no 'entries' array");
            }
            if (p.nextToken() != null) {
                throw error(null, "more after the list's closing brace");
            }
            return new Parsed(builder, description);
        }

        private void readEntries(JsonToken start) throws IOException, ListFileException {
            if (start != JsonToken.START_ARRAY) {
                throw error("entries", "must be an array");
            }
            List<String> fields = RightsListBuilder.FIELDS;
            String[] values = new String[fields.size()];
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                long entryLine = line();
                java.util.Arrays.fill(values, null);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int f = fields.indexOf(key);
                    if (f < 0) {
                        throw error(key, "unknown key in an entry (expected " + String.join(", ", fields) + ")");
                    }
                    JsonToken value = p.nextToken();
                    boolean optional = f == RightsListBuilder.FROM || f == RightsListBuilder.UNTIL;
                    values[f] = optional && value == JsonToken.VALUE_NULL ? null : text(key, value);
                }
                builder.add(entryLine, values);
            }
            if (t != JsonToken.END_ARRAY) {
                throw error("entries", "holds something other than entry objects");
            }
        }

        private String text(String key, JsonToken value) throws IOException, ListFileException {
            if (value != JsonToken.VALUE_STRING) {
                throw error(key, "must be a string");
            }
            return p.getText();
        }

        private long line() {
            return p.currentTokenLocation().getLineNr();
        }

        private ListFileException error(String key, String reason) {
            return new ListFileException(file, line(), key, reason);
        }
    }
}
