package org.swarmwatch.peer.dht;

import java.io.IOException;

/**
 * A KRPC message that is malformed or cannot be served, with the BEP 5 error code to answer it
 * with and the transaction id to answer to (null when the message had none readable: no answer).
 * Also what a query fails with when the other node answers with an error.
 */
public final class KrpcException extends IOException {
    /** BEP 5 error codes. */
    public static final int GENERIC = 201, SERVER = 202, PROTOCOL = 203, METHOD_UNKNOWN = 204;

    private final transient byte[] transaction;
    private final int code;

    public KrpcException(String message, byte[] transaction, int code) {
        super(message);
        this.transaction = transaction;
        this.code = code;
    }

    public byte[] transaction() {
        return transaction;
    }

    public int code() {
        return code;
    }

    /** The same complaint, now that the transaction id to answer to is known. */
    KrpcException withTransaction(byte[] t) {
        return new KrpcException(getMessage(), t, code);
    }
}
