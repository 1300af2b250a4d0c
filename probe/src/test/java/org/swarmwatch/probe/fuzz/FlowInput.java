package org.swarmwatch.probe.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The fuzz input for the dissector seam: one flow as bytes. Header: transport (even: TCP, odd:
 * UDP), source port and destination port (2 bytes each), whether the flow's start was captured;
 * then payloads, each a direction byte (even: from the initiator), a 2-byte length and the bytes.
 * Short or odd inputs still decode (missing fields are zero, a last payload is cut short), so every
 * byte string the fuzzer makes is a flow.
 */
record FlowInput(boolean tcp, int sourcePort, int destinationPort, boolean startCaptured, List<Payload> payloads) {
    record Payload(boolean fromInitiator, byte[] bytes) {
    }

    /** Payloads per flow read at most: beyond the registry's 48 undecided ones, only owners read on. */
    static final int MAX_PAYLOADS = 256;

    static FlowInput decode(byte[] in) {
        int[] at = {0};
        boolean tcp = (u8(in, at) & 1) == 0;
        int sport = u8(in, at) << 8 | u8(in, at);
        int dport = u8(in, at) << 8 | u8(in, at);
        boolean start = (u8(in, at) & 1) == 1;
        List<Payload> payloads = new ArrayList<>();
        while (at[0] < in.length && payloads.size() < MAX_PAYLOADS) {
            boolean fromInitiator = (u8(in, at) & 1) == 0;
            int length = u8(in, at) << 8 | u8(in, at);
            int n = Math.min(length, in.length - at[0]);
            if (n <= 0) {
                break;
            }
            byte[] b = new byte[n];
            System.arraycopy(in, at[0], b, 0, n);
            at[0] += n;
            payloads.add(new Payload(fromInitiator, b));
        }
        return new FlowInput(tcp, sport, dport, start, payloads);
    }

    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tcp ? 0 : 1);
        out.write(sourcePort >> 8);
        out.write(sourcePort);
        out.write(destinationPort >> 8);
        out.write(destinationPort);
        out.write(startCaptured ? 1 : 0);
        for (Payload p : payloads) {
            out.write(p.fromInitiator() ? 0 : 1);
            out.write(p.bytes().length >> 8);
            out.write(p.bytes().length);
            out.writeBytes(p.bytes());
        }
        return out.toByteArray();
    }

    private static int u8(byte[] in, int[] at) {
        return at[0] < in.length ? in[at[0]++] & 0xff : 0;
    }
}
