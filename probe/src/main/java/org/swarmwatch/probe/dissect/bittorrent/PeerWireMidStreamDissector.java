package org.swarmwatch.probe.dissect.bittorrent;

import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * Peer-wire connections whose handshake was not captured: the capture (or the flow table's memory
 * of the flow) started while the transfer was going on. Recognised by the message framing of BEP 3
 * alone: a 4-byte length, an id, and a body whose size the id fixes (HAVE 5 bytes, REQUEST,
 * CANCEL and REJECT 13 with a block length of at most 128 KiB, PIECE at most a 128 KiB block plus
 * 9 with a block offset that is a multiple of 1 KiB, keep-alive 0...).
 *
 * <p>Per direction, a HAVE, REQUEST or PIECE header found anywhere in a packet is a candidate
 * (in a bulk transfer, headers fall anywhere inside packets); the candidate's length says where
 * the next message must begin (by TCP sequence number, possibly many packets later, after a 16 KiB
 * block), and a valid header exactly there (not a keep-alive) <em>confirms</em> the framing. The
 * flow is claimed after {@value #CONFIRMATIONS} confirmations: random or encrypted bytes pass one
 * predicted check with a probability below 2<sup>-40</sup> (a HAVE: {@code 00 00 00 05 04}; a
 * PIECE also needs a block offset that is a multiple of 1 KiB). A header that fails at a predicted
 * place loses that direction's framing until a new candidate shows; two keep-alives in a row are
 * zero bytes, not messages. A flow with no candidate in its first {@value #GIVE_UP} payloads is
 * given up.
 *
 * <p>Once claimed, each direction is read as a peer-wire stream from the next message boundary
 * its framing predicts ({@link PeerWireStream#midStream}): PIECE messages each way, BEP
 * 52 hash messages, and ut_metadata data pieces (BEP 9). If a side sends a whole info dictionary,
 * its hashes are the flow's only hashes of its own: {@code metadata} observations about that side
 * ({@link PeerWireConnection#reportMetadata}: SHA-1 {@code btih_v1} for a v1 dictionary, SHA-256
 * {@code btih_v2} for a v2 one, both for a hybrid), at {@value #CONFIDENCE_METADATA}. A lost
 * segment loses that direction's stream; its framing is searched again and a new stream started.
 *
 * <p>Otherwise the flow shows no hash. At its end the swarm its endpoints were seen in by
 * cleartext traffic ({@link ObservationSink#swarmOfFlow}) gives {@code correlated} observations
 * with a lower confidence than an MSE flow's (the connection itself is recognised less surely);
 * the side that sent PIECE messages is {@code offering}.
 *
 * <p>Only for flows whose start was not captured ({@link FlowContext#startCaptured()}): a flow seen
 * from its SYN shows its handshake (or MSE exchange) to the dissectors that read starts, which
 * come first in the registry.
 */
public final class PeerWireMidStreamDissector extends BitTorrentFamilyDissector {
    /** Confirmed message headers needed to claim a flow. */
    static final int CONFIRMATIONS = 2;
    /** Payloads after which a flow with no candidate header at all is not this dissector's. */
    static final int GIVE_UP = 12;
    /** Largest block a client requests or sends (BEP 3 asks for 16 KiB; 128 KiB is the common cap). */
    static final int MAX_BLOCK = 128 << 10;
    static final double CONFIDENCE_BOTH = 0.5, CONFIDENCE_RESPONDER = 0.4;
    /**
     * A whole info dictionary sent in order, its size agreeing with every piece's header and its
     * bencoding well-formed: the hash is certain, the connection's recognition less so.
     */
    static final double CONFIDENCE_METADATA = 0.7;

    public PeerWireMidStreamDissector() {
        super(TCP);
    }

    @Override
    public DissectorSession open(FlowContext flow) {
        // a flow captured from its SYN shows its handshake (or MSE exchange) to the dissectors that read starts
        return flow.startCaptured() ? (p, observations) -> Verdict.NOT_MINE : new Session();
    }

    /** {@link #header} could not tell: the header's checked fields run past the packet. */
    static final long SPLIT = -2;

    /**
     * The length field of the peer-wire message header at {@code b[at]} if it is valid (with the
     * fields its id lets us check), -1 if it is not, {@link #SPLIT} if the packet ends too soon to tell.
     */
    static long header(byte[] b, int at, int end) {
        if (end - at < 5) {
            return end - at >= 4 && UdpTrackerDissector.u32(b, at) == 0 ? 0 : SPLIT;
        }
        long length = UdpTrackerDissector.u32(b, at);
        if (length == 0) {
            return 0; // keep-alive
        }
        if (length > MAX_BLOCK + 9) {
            return -1;
        }
        int id = b[at + 4] & 0xff;
        int need = switch (id) {
            case 6, 8, 16 -> 17;
            case 7 -> 13;
            default -> 5;
        };
        if (end - at < need) {
            return SPLIT;
        }
        boolean ok = switch (id) {
            case 0, 1, 2, 3 -> length == 1; // choke, unchoke, interested, not interested
            case 4, 13, 17 -> length == 5; // have, suggest, allowed fast
            case 6, 8, 16 -> length == 13 && UdpTrackerDissector.u32(b, at + 13) - 1 < MAX_BLOCK; // request, cancel, reject
            case 7 -> length > 9 && (UdpTrackerDissector.u32(b, at + 9) & 0x3ff) == 0; // piece: begin a multiple of 1 KiB
            case 9 -> length == 3; // DHT port
            case 14, 15 -> length == 1; // have all, have none (BEP 6)
            case 20 -> length >= 2; // extended (ut_pex every minute, ut_metadata)
            case HashMessage.REQUEST, HashMessage.HASHES, HashMessage.REJECT -> HashMessage.lengthFits(id, length); // BEP 52
            // bitfield: "only ever sent as the first message" (BEP 3), so never after a header we
            // predicted from; and with any length allowed it would confirm too easily
            default -> false;
        };
        return ok ? length : -1;
    }

    /**
     * Where a message with a strong signature (HAVE, REQUEST, PIECE: the ids a transfer is made of)
     * starts in {@code b[off + from, off + len)}, or -1. Used to find a first candidate when the
     * framing is not known: headers fall anywhere inside a packet of a bulk transfer.
     */
    static int scan(byte[] b, int off, int from, int len) {
        for (int i = from; i + 5 <= len; i++) {
            int at = off + i;
            if (b[at] != 0 || (b[at + 1] & 0xff) > 2) { // lengths are at most 128 KiB + 9
                continue;
            }
            int id = b[at + 4];
            if ((id == 4 || id == 6 || id == 7) && header(b, at, off + len) > 0) {
                return i;
            }
        }
        return -1;
    }

    /** One direction's framing. */
    private static final class Direction {
        /** Sequence number where the next message header must start, or -1 without framing. */
        long expect = -1;
        int confirmed;
        /** The header at {@link #expect} follows one that was itself confirmed: the framing there is proven. */
        boolean chainConfirmed;
        long pieces;
        long payloads;
        boolean candidateSeen;

        void packet(long seq, byte[] b, int off, int len) {
            payloads++;
            int pos;
            boolean predicted;
            if (expect >= 0) {
                long delta = (expect - seq) << 32 >> 32;
                if (delta >= len) {
                    return; // the next header lies in a later packet
                }
                if (delta < 0) {
                    expect = -1; // the predicted place was skipped (a lost segment): framing lost
                    chainConfirmed = false;
                    pos = scan(b, off, 0, len);
                    predicted = false;
                } else {
                    pos = (int) delta;
                    predicted = true;
                }
            } else {
                pos = scan(b, off, 0, len);
                predicted = false;
            }
            if (pos < 0) {
                return;
            }
            if (!predicted) {
                chainConfirmed = false; // a new candidate: nothing proven about its framing yet
            }
            candidateSeen = true;
            boolean keepAlive = false;
            while (true) {
                long length = header(b, off + pos, off + len);
                if (length == SPLIT) {
                    expect = -1; // a header split across packets: wait for a new candidate
                    chainConfirmed = false;
                    return;
                }
                if (length < 0 || length == 0 && keepAlive) {
                    // not a message where one must be (two keep-alives in a row are zero bytes, not messages)
                    if (predicted) {
                        confirmed = 0;
                    }
                    expect = -1;
                    chainConfirmed = false;
                    return;
                }
                keepAlive = length == 0;
                if (predicted && !keepAlive) {
                    confirmed++;
                    chainConfirmed = true;
                }
                if (!keepAlive && b[off + pos + 4] == 7) {
                    pieces++;
                }
                long next = pos + 4 + length;
                if (next >= len) {
                    expect = (seq + next) & 0xFFFFFFFFL;
                    return;
                }
                pos = (int) next;
                predicted = true;
            }
        }
    }

    /**
     * One direction after the claim: its framing search ({@link Direction}) until a message
     * boundary is proven (a confirmed header predicts it), then a stream read from there. Counts
     * survive a lost stream.
     */
    private static final class Side {
        final Direction framing = new Direction();
        PeerWireStream stream;
        /** PIECE messages of streams that were lost, and of the framing search. */
        long pieces;
        /** What a retired stream learned of a whole info dictionary it carried: SHA-1, SHA-256, version. */
        byte[] metadataSha1, metadataSha256;
        InfoDictionary.Kind metadataKind;
        boolean metadataReported;
        /** PIECE messages covered by earlier reports (segment ends). */
        long piecesReported;

        void packet(long seq, byte[] b, int off, int len) {
            if (stream == null) {
                long before = framing.pieces;
                framing.packet(seq, b, off, len);
                pieces += framing.pieces - before;
                if (framing.expect >= 0 && framing.chainConfirmed) {
                    stream = PeerWireStream.midStream(framing.expect);
                }
                return;
            }
            stream.feedSegment(seq, b, off, len);
            if (stream.lost()) {
                retire();
                framing.expect = -1;
                framing.chainConfirmed = false;
            }
        }

        /** Moves the stream's PIECE count and metadata into the side's, and drops the stream (and its buffers). */
        void retire() {
            if (stream != null) {
                pieces += stream.pieces();
                if (stream.metadataSha1() != null && metadataSha1 == null) {
                    metadataSha1 = stream.metadataSha1();
                    metadataSha256 = stream.metadataSha256();
                    metadataKind = stream.metadataKind();
                }
                stream = null;
            }
        }

        /** PIECE messages this side sent so far: of lost streams, the framing search and the stream being read. */
        long piecesSoFar() {
            return pieces + (stream == null ? 0 : stream.pieces());
        }

        /** The metadata observations of the info dictionary this side sent, once (the first report after it arrived). */
        void reportMetadata(boolean initiator, ObservationRole role, ObservationSink observations) {
            if (metadataSha1 == null && stream != null && stream.metadataSha1() != null) {
                metadataSha1 = stream.metadataSha1();
                metadataSha256 = stream.metadataSha256();
                metadataKind = stream.metadataKind();
            }
            if (metadataSha1 != null && !metadataReported) {
                metadataReported = true;
                PeerWireConnection.reportMetadata(initiator, metadataSha1, metadataSha256, metadataKind, null, role, CONFIDENCE_METADATA, null,
                        observations);
            }
        }
    }

    private static final class Session implements DissectorSession {
        private final Side fromInitiator = new Side(), fromResponder = new Side();
        private boolean mine;
        /** Whether a correlated report was made (at a segment end). */
        private boolean reported;

        @Override
        public Verdict onPayload(PacketPayload p, ObservationSink observations) {
            Side side = p.fromInitiator() ? fromInitiator : fromResponder;
            if (mine) {
                side.packet(p.tcpSeq(), p.bytes(), p.offset(), p.length());
                return Verdict.MINE;
            }
            side.framing.packet(p.tcpSeq(), p.bytes(), p.offset(), p.length());
            side.pieces = side.framing.pieces;
            Direction i = fromInitiator.framing, r = fromResponder.framing;
            if (i.confirmed + r.confirmed >= CONFIRMATIONS) {
                mine = true;
                for (Side s : new Side[] {fromInitiator, fromResponder}) {
                    if (s.framing.expect >= 0 && s.framing.chainConfirmed) {
                        s.stream = PeerWireStream.midStream(s.framing.expect);
                    }
                }
                return Verdict.MINE;
            }
            boolean hopeless = i.payloads + r.payloads >= GIVE_UP && !i.candidateSeen && !r.candidateSeen;
            return hopeless ? Verdict.NOT_MINE : Verdict.NEED_MORE;
        }

        @Override
        public void onSegmentEnd(ObservationSink observations) {
            report(observations);
        }

        @Override
        public void onFlowEnd(ObservationSink observations) {
            if (!mine) {
                return;
            }
            report(observations);
            fromInitiator.retire();
            fromResponder.retire();
        }

        /**
         * The roles of the PIECE messages since the last report; reported the first time, and then
         * whenever pieces moved (a segment of keep-alives adds no evidence) or a dictionary arrived.
         */
        private void report(ObservationSink observations) {
            long initiatorPieces = fromInitiator.piecesSoFar(), responderPieces = fromResponder.piecesSoFar();
            boolean initiatorSent = initiatorPieces > fromInitiator.piecesReported, responderSent = responderPieces > fromResponder.piecesReported;
            ObservationRole initiatorRole = role(initiatorSent, responderSent), responderRole = role(responderSent, initiatorSent);
            fromInitiator.reportMetadata(true, initiatorRole, observations);
            fromResponder.reportMetadata(false, responderRole, observations);
            if (reported && !initiatorSent && !responderSent) {
                return;
            }
            if (Correlated.report(observations, initiatorRole, responderRole, CONFIDENCE_BOTH, CONFIDENCE_RESPONDER)) {
                reported = true;
                fromInitiator.piecesReported = initiatorPieces;
                fromResponder.piecesReported = responderPieces;
            }
        }

        private static ObservationRole role(boolean sent, boolean received) {
            return sent ? ObservationRole.OFFERING : received ? ObservationRole.FETCHING : ObservationRole.ANNOUNCING;
        }
    }
}
