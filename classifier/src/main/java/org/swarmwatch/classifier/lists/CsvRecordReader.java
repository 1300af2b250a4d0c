package org.swarmwatch.classifier.lists;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 records one at a time from a character stream, holding one record at most.
 *
 * <p>Accepted: fields separated by commas, records by CRLF, LF or a lone CR; a field in double
 * quotes may hold commas, line breaks and doubled quotes ({@code ""}). Refused, with the line and
 * column: a quote inside an unquoted field, anything but a comma or a line break after a closing
 * quote, a quoted field still open at the end of the file, a field longer than the limit, more
 * fields than the limit. A UTF-8 byte order mark at the start and empty lines are skipped.
 */
final class CsvRecordReader {
    private static final int EOF = -1;

    private final Reader in;
    private final String file;
    private final int maxFieldChars;
    private final int maxFields;
    private final char[] buffer = new char[1 << 16];
    private int bufferLength;
    private int bufferPos;
    private int pushedBack = Integer.MIN_VALUE;
    private long line = 1;
    private long recordLine;
    private boolean started;
    private final StringBuilder field = new StringBuilder();
    private final List<String> fields = new ArrayList<>();

    CsvRecordReader(Reader in, String file, int maxFieldChars, int maxFields) {
        this.in = in;
        this.file = file;
        this.maxFieldChars = maxFieldChars;
        this.maxFields = maxFields;
    }

    /** Line the record last returned by {@link #next} starts on. */
    long recordLine() {
        return recordLine;
    }

    /** Line the reader is on now (for errors the decoder raises). */
    long line() {
        return line;
    }

    /** The next record's fields (a list reused by the next call), or null at the end of the file. */
    List<String> next() throws IOException, ListFileException {
        if (!started) {
            started = true;
            int c = read();
            if (c != '\uFEFF') {
                unread(c);
            }
        }
        while (true) {
            fields.clear();
            recordLine = line;
            int c = read();
            if (c == EOF) {
                return null;
            }
            unread(c);
            readRecord();
            if (fields.size() == 1 && fields.get(0).isEmpty()) {
                continue;
            }
            return fields;
        }
    }

    /** Reads one record into {@link #fields}. */
    private void readRecord() throws IOException, ListFileException {
        while (true) {
            field.setLength(0);
            int c = read();
            int end;
            if (c == '"') {
                end = readQuoted();
            } else {
                end = readUnquoted(c);
            }
            if (fields.size() == maxFields) {
                throw new ListFileException(file, recordLine, null, "more than " + maxFields + " fields");
            }
            fields.add(field.toString());
            if (end != ',') {
                return;
            }
        }
    }

    /** Reads an unquoted field starting with {@code c}; returns what ended it (',', '\n' or EOF). */
    private int readUnquoted(int c) throws IOException, ListFileException {
        while (true) {
            switch (c) {
                case ',':
                case EOF:
                    return c;
                case '\n':
                    return '\n';
                case '\r':
                    endOfLineAfterCr();
                    return '\n';
                case '"':
                    throw fieldError("a quote inside an unquoted field (quote the whole field and double the"
                            + " quotes inside it)");
                default:
                    append(c);
                    c = read();
            }
        }
    }

    /** Reads a quoted field after its opening quote; returns what ended it (',', '\n' or EOF). */
    private int readQuoted() throws IOException, ListFileException {
        long opened = line;
        while (true) {
            int c = read();
            if (c == EOF) {
                throw new ListFileException(file, opened, column(),
                        "quoted field is not closed before the end of the file");
            }
            if (c != '"') {
                append(c);
                continue;
            }
            int next = read();
            switch (next) {
                case '"':
                    append('"');
                    break;
                case ',':
                case EOF:
                    return next;
                case '\n':
                    return '\n';
                case '\r':
                    endOfLineAfterCr();
                    return '\n';
                default:
                    throw fieldError("'" + (char) next + "' after the closing quote (expected a comma or a line"
                            + " break)");
            }
        }
    }

    /** After a CR that ends a record: swallow the LF of a CRLF, or count the lone CR as a line. */
    private void endOfLineAfterCr() throws IOException {
        int c = read();
        if (c != '\n') {
            line++;
            unread(c);
        }
    }

    private void append(int c) throws ListFileException {
        if (field.length() == maxFieldChars) {
            throw fieldError("longer than the limit of " + maxFieldChars + " characters");
        }
        field.append((char) c);
    }

    private ListFileException fieldError(String reason) {
        return new ListFileException(file, line, column(), reason);
    }

    private String column() {
        return "column " + (fields.size() + 1);
    }

    private int read() throws IOException {
        if (pushedBack != Integer.MIN_VALUE) {
            int c = pushedBack;
            pushedBack = Integer.MIN_VALUE;
            if (c == '\n') {
                line++;
            }
            return c;
        }
        if (bufferPos == bufferLength) {
            bufferLength = in.read(buffer);
            bufferPos = 0;
            if (bufferLength <= 0) {
                bufferLength = 0;
                return EOF;
            }
        }
        char c = buffer[bufferPos++];
        if (c == '\n') {
            line++;
        }
        return c;
    }

    private void unread(int c) {
        if (c == '\n') {
            line--;
        }
        pushedBack = c;
    }
}
