package org.swarmwatch.classifier.lists;

import java.util.Locale;

/** The two list file formats, told apart by the file name's extension (docs/rights-lists.md). */
public enum ListFormat {
    CSV(".csv"),
    JSON(".json");

    private final String extension;

    ListFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    /** The format of a file with this name, or null when it is not a list file. */
    public static ListFormat ofFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (ListFormat f : values()) {
            if (lower.endsWith(f.extension) && lower.length() > f.extension.length()) {
                return f;
            }
        }
        return null;
    }
}
