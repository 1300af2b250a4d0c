package org.swarmwatch.events.signature;

/** A key file or signature file that cannot be used: the message names the file and what is wrong. */
public final class SignatureFormatException extends Exception {
    public SignatureFormatException(String message) {
        super(message);
    }

    public SignatureFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
