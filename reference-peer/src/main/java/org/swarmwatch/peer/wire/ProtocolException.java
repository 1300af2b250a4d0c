package org.swarmwatch.peer.wire;

import java.io.IOException;

/** A peer broke the protocol; the reason is what the connection is closed with (and logged). */
public final class ProtocolException extends IOException {
    public ProtocolException(String reason) {
        super(reason);
    }
}
