package org.swarmwatch.probe.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The fuzz input of the dissector seam: one flow as bytes, decoded leniently so that every byte
 * string the fuzzer makes is a flow (missing fields read as zero, a last payload is cut short).
 *
 * <pre>
 * flags            1 byte: bit 0 UDP (else TCP), bit 1 IPv6, bit 2 start captured (TCP),
 *                          bit 3 the swarm table knows the flow, bit 4 ... with both ends
 * ports            2 + 2 bytes: the initiator's, the responder's
 * initial seqs     4 + 4 bytes: TCP sequence number of each direction's first byte
 * payload, repeated:
 *   control        1 byte: bit 0 from the responder; bits 1-2 how the TCP sequence number
 *                          follows: 0 in order, 1 a retransmission of the last bytes, 2 after a
 *                          hole, 3 given; bit 3 cut by the snapshot length; bit 4 FIN;
 *                          bits 5-7 repetitions: 1, 2, 3, 4, 8, 16, 64, 256 (in order)
 *   sequence       4 bytes, only for "given"
 *   bytes lost     2 bytes, only when cut: how much longer the payload was on the wire
 *   length         2 bytes, then the payload bytes
 * </pre>
 *
 * Repetitions let a short input make a long stream, so that memory that grows with a flow shows.
 */
public record FlowInput(int flags, int sourcePort, int destinationPort, long initiatorSeq, long responderSeq, List<Payload> payloads) {

    static final int UDP = 1, IPV6 = 2, START_CAPTURED = 4, SWARM_KNOWN = 8, SWARM_BOTH_ENDS = 16;
    static final int IN_ORDER = 0, RETRANSMITTED = 1, AFTER_HOLE = 2, GIVEN = 3;
    static final int[] REPETITIONS = {1, 2, 3, 4, 8, 16, 64, 256};

    /** Payloads per flow at most, repetitions included: enough for owners that read on past the registry's 48. */
    static final int MAX_PAYLOADS = 2048;

    /**
     * One payload as the input describes it.
     *
     * @param sequence   how the TCP sequence number follows ({@link #IN_ORDER} ...)
     * @param seq        the sequence number, for {@link #GIVEN}
     * @param bytesLost  payload bytes the snapshot length cut (0: captured whole)
     * @param repetition index into {@link #REPETITIONS}
     */
    record Payload(boolean fromInitiator, int sequence, long seq, int bytesLost, boolean fin, int repetition, byte[] bytes) {
        static Payload inOrder(boolean fromInitiator, byte[] bytes) {
            return new Payload(fromInitiator, IN_ORDER, 0, 0, false, 0, bytes);
        }
    }

    boolean tcp() {
        return (flags & UDP) == 0;
    }

    int ipVersion() {
        return (flags & IPV6) != 0 ? 6 : 4;
    }

    boolean startCaptured() {
        return tcp() && (flags & START_CAPTURED) != 0;
    }

    public static FlowInput decode(byte[] in) {
        Reader r = new Reader(in);
        int flags = r.u8();
        int sport = r.u16();
        int dport = r.u16();
        long iseq = r.u32();
        long rseq = r.u32();
        List<Payload> payloads = new ArrayList<>();
        int total = 0;
        while (r.more() && total < MAX_PAYLOADS) {
            int control = r.u8();
            int sequence = control >> 1 & 3;
            long seq = sequence == GIVEN ? r.u32() : 0;
            int lost = (control & 8) != 0 ? r.u16() : 0;
            int length = Math.min(r.u16(), r.left());
            byte[] b = r.bytes(length);
            Payload p = new Payload((control & 1) == 0, sequence, seq, lost, (control & 16) != 0, control >> 5, b);
            payloads.add(p);
            total += REPETITIONS[p.repetition()];
        }
        return new FlowInput(flags, sport, dport, iseq, rseq, payloads);
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(flags);
        u16(out, sourcePort);
        u16(out, destinationPort);
        u32(out, initiatorSeq);
        u32(out, responderSeq);
        for (Payload p : payloads) {
            int control = (p.fromInitiator() ? 0 : 1) | p.sequence() << 1 | (p.bytesLost() > 0 ? 8 : 0) | (p.fin() ? 16 : 0)
                    | p.repetition() << 5;
            out.write(control);
            if (p.sequence() == GIVEN) {
                u32(out, p.seq());
            }
            if (p.bytesLost() > 0) {
                u16(out, Math.min(p.bytesLost(), 0xffff));
            }
            u16(out, p.bytes().length);
            out.writeBytes(p.bytes());
        }
        return out.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        u16(out, (int) (v >> 16));
        u16(out, (int) v);
    }

    /** Reads big-endian fields; past the end, fields read as zero and byte strings come out short. */
    private static final class Reader {
        private final byte[] in;
        private int at;

        Reader(byte[] in) {
            this.in = in;
        }

        boolean more() {
            return at < in.length;
        }

        int left() {
            return in.length - at;
        }

        int u8() {
            return at < in.length ? in[at++] & 0xff : 0;
        }

        int u16() {
            return u8() << 8 | u8();
        }

        long u32() {
            return (long) u16() << 16 | u16();
        }

        byte[] bytes(int n) {
            byte[] b = new byte[n];
            System.arraycopy(in, at, b, 0, n);
            at += n;
            return b;
        }
    }
}
