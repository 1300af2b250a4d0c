package org.swarmwatch.probe.dissect.bittorrent;

import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.StreamPrefix;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * BitTorrent's Message Stream Encryption / Protocol Encryption (MSE/PE), recognised without a
 * key by the shape of its Diffie-Hellman exchange: the initiator opens with its 768-bit public key
 * Ya and 0 to 512 bytes of random padding (96 to 608 bytes, and nothing else before the answer),
 * and the responder answers with Yb and its own padding. Public keys and padding are
 * indistinguishable from random bytes, so both openings must also look random: at least
 * {@value #MIN_DISTINCT} distinct values among their first 96 bytes (random bytes give about 80;
 * text and binary protocol headers far fewer), and they must not start like the protocols that
 * also open with a single burst (TLS records, SSH banners, HTTP, a plaintext BitTorrent handshake).
 * Ethereum's RLPx opens the same way (an ECIES-encrypted auth message answered by an ack), so its
 * framing is ruled out explicitly: the pre-EIP-8 sizes (auth 307 bytes, ack 210) and EIP-8's
 * 2-byte size prefix that equals the rest of the message.
 *
 * <p>The exchange then goes on under RC4, or in plaintext when both sides select it; a plaintext
 * peer-wire handshake that a side sends after the exchange (aria2 and some uTorrent versions do)
 * is read, and reported as for unencrypted flows.
 *
 * <p>Encrypted flows give no hash of their own. At the flow's end, the swarm it belongs to is
 * looked up in what cleartext traffic taught the probe ({@link ObservationSink#swarmOfFlow}: the
 * responder's listening endpoint announced to a tracker or the DHT, listed as a peer, or seen in a
 * plaintext handshake; the initiator seen in the same swarm; failing an endpoint, the two hosts
 * seen in exactly one swarm together), and reported as a {@code correlated}
 * observation about each side, with a lower confidence than a hash read from the flow itself. The
 * roles come from the volume each side sent after the key exchange
 * ({@link Correlated#rolesByVolume}).
 */
public final class MseDissector extends BitTorrentFamilyDissector {
    static final int DH_KEY = 96;
    static final int MAX_PAD = 512;
    static final int MIN_DISTINCT = 64;
    /** Printable bytes at the start that make an opening text, not a key. */
    static final int TEXT_START = 8;
    /** Ethereum RLPx before EIP-8: auth and ack messages of fixed sizes. */
    static final int RLPX_AUTH = 307, RLPX_ACK = 210;
    /** A correlated hash when both endpoints were seen in the swarm, and when only the responder was. */
    static final double CONFIDENCE_CORRELATED_BOTH = 0.7, CONFIDENCE_CORRELATED_RESPONDER = 0.55;

    public MseDissector() {
        super(TCP);
    }

    @Override
    public DissectorSession open(FlowContext flow) {
        return new Session(flow.destinationPort());
    }

    /** True when the first 96 bytes look like a public key: many distinct values, no known protocol start. */
    static boolean looksRandom(byte[] b, int off, int len) {
        if (len < DH_KEY) {
            return false;
        }
        int first = b[off] & 0xff;
        if (first >= 0x14 && first <= 0x17 && b[off + 1] == 3) {
            return false; // a TLS record (also mid-stream: application data, alerts)
        }
        if (first == 0x13 || startsWithText(b, off, len)) {
            return false; // BitTorrent handshake, SSH banner, HTTP, other text
        }
        if (((first << 8) | (b[off + 1] & 0xff)) == len - 2) {
            return false; // a length-prefixed message (Ethereum RLPx EIP-8 auth/ack)
        }
        boolean[] seen = new boolean[256];
        int distinct = 0;
        for (int i = 0; i < DH_KEY; i++) {
            int v = b[off + i] & 0xff;
            if (!seen[v]) {
                seen[v] = true;
                distinct++;
            }
        }
        return distinct >= MIN_DISTINCT;
    }

    /**
     * Eight printable ASCII bytes: how HTTP, SSH banners and other text protocols begin. Random
     * bytes do so about once in 2,800 openings (four bytes, as once checked, one in 50: a real MSE
     * exchange in ../shared's b1 capture starts with ":;jn").
     */
    private static boolean startsWithText(byte[] b, int off, int len) {
        for (int i = 0; i < TEXT_START; i++) {
            int c = b[off + i] & 0xff;
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static final class Session implements DissectorSession {
        private boolean mine;
        /** The initiator's stream prefix, kept from its payloads: the registry shows each call only its own direction's. */
        private StreamPrefix initiatorPrefix;
        private final int responderPort;
        /** Made when a side sends a plaintext handshake after the exchange; most MSE flows never need it. */
        private PeerWireConnection connection;
        private boolean initiatorHandshake, responderHandshake;
        private long initiatorBytes, responderBytes;
        private final Correlated.Reports correlated = new Correlated.Reports();

        Session(int responderPort) {
            this.responderPort = responderPort;
        }

        @Override
        public Verdict onPayload(PacketPayload p, ObservationSink observations) {
            if (mine) {
                if (p.fromInitiator()) {
                    initiatorBytes += p.length();
                } else {
                    responderBytes += p.length();
                }
                plaintextHandshake(p, observations);
                return Verdict.MINE;
            }
            StreamPrefix prefix = p.prefix();
            if (prefix == null) {
                return Verdict.NOT_MINE; // without the stream's start there is nothing to measure
            }
            if (p.fromInitiator()) {
                initiatorPrefix = prefix;
                if (prefix.length() > DH_KEY + MAX_PAD) {
                    return Verdict.NOT_MINE; // more than a key and its padding before any answer
                }
                return prefix.length() >= DH_KEY && !looksRandom(prefix.bytes(), 0, prefix.length()) ? Verdict.NOT_MINE
                        : Verdict.NEED_MORE;
            }
            // the responder's first bytes: judge both openings now
            StreamPrefix initiator = initiatorPrefix;
            if (initiator == null || initiator.length() < DH_KEY || initiator.length() > DH_KEY + MAX_PAD
                    || !looksRandom(initiator.bytes(), 0, initiator.length())) {
                return Verdict.NOT_MINE;
            }
            if (prefix.length() < DH_KEY) {
                return prefix.frozen() ? Verdict.NOT_MINE : Verdict.NEED_MORE;
            }
            if (!looksRandom(prefix.bytes(), 0, prefix.length())
                    || initiator.length() == RLPX_AUTH && prefix.length() == RLPX_ACK) {
                return Verdict.NOT_MINE;
            }
            mine = true;
            return Verdict.MINE;
        }

        /** A peer-wire handshake in the clear after the key exchange starts a readable stream for that side. */
        private void plaintextHandshake(PacketPayload p, ObservationSink observations) {
            boolean init = p.fromInitiator();
            boolean started = init ? initiatorHandshake : responderHandshake;
            if (!started && PeerWireHandshake.match(p.bytes(), p.offset(), p.length()) != PeerWireHandshake.Match.NO
                    && p.length() >= PeerWireHandshake.HEADER.length) {
                if (init) {
                    initiatorHandshake = true;
                } else {
                    responderHandshake = true;
                }
                started = true;
            }
            if (started) {
                if (connection == null) {
                    connection = new PeerWireConnection(responderPort);
                }
                connection.stream(init).feedSegment(p.tcpSeq(), p.bytes(), p.offset(), p.length());
                connection.learn(observations);
            }
        }

        @Override
        public void onSegmentEnd(ObservationSink observations) {
            onFlowEnd(observations);
        }

        @Override
        public void onFlowEnd(ObservationSink observations) {
            if (connection != null) {
                connection.report(observations);
                return;
            }
            correlated.report(observations, initiatorBytes, responderBytes, CONFIDENCE_CORRELATED_BOTH, CONFIDENCE_CORRELATED_RESPONDER);
        }
    }
}
