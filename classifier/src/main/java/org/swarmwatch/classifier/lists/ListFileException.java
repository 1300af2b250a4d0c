package org.swarmwatch.classifier.lists;

/**
 * A list file that cannot be loaded: malformed, inconsistent, too large, unsigned or badly signed.
 * The message names the file, the line and field where there is one, and what is wrong, e.g.
 * {@code acme.csv line 7, field hash: 39 hex digits, btih_v1 needs 40}.
 */
public final class ListFileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final String field;
    private final String reason;

    /**
     * @param file the list file's name
     * @param line 1-based line, or 0 when the problem is not on one line
     * @param field the field (column name or JSON key), or null
     * @param reason what is wrong
     */
    public ListFileException(String file, long line, String field, String reason) {
        super(format(file, line, field, reason));
        this.file = file;
        this.line = line;
        this.field = field;
        this.reason = reason;
    }

    private static String format(String file, long line, String field, String reason) {
        StringBuilder s = new StringBuilder(file);
        if (line > 0) {
            s.append(" line ").append(line);
        }
        if (field != null) {
            s.append(line > 0 ? ", field " : " field ").append(field);
        }
        return s.append(": ").append(reason).toString();
    }

    public String file() {
        return file;
    }

    /** 1-based line, 0 when the problem concerns the whole file. */
    public long line() {
        return line;
    }

    /** The field (CSV column name, JSON key), or null. */
    public String field() {
        return field;
    }

    /** What is wrong, without the file and line. */
    public String reason() {
        return reason;
    }
}
