package org.swarmwatch.events;

/** A record that cannot be read: the message says which field and what is wrong with it. */
public final class RecordFormatException extends Exception {
    public RecordFormatException(String message) {
        super(message);
    }

    public RecordFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
