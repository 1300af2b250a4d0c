package org.swarmwatch.probe.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.swarmwatch.probe.decode.DecodeCounters;
import org.swarmwatch.probe.decode.DecodeStatus;
import org.swarmwatch.probe.decode.DecodedPacket;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.decode.PacketDecoder;
import org.swarmwatch.probe.source.CaptureException;
import org.swarmwatch.probe.source.PcapFileSource;

/**
 * Seeds for the fuzz tests, made when the tests run from the captures in ../shared (which stay out
 * of the repository): each capture's flows as {@link FlowInput}s, with their real directions,
 * sequence numbers and snapshot-length cuts, and its first frames. The fuzz tests hand them to
 * Jazzer through {@code @MethodSource}: an ordinary test run checks each one as a regression input,
 * and a fuzzing run starts its corpus from them.
 */
public final class CaptureSeeds {
    static final Path SHARED = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared").normalize();
    /** Per capture: flows and frames taken; per flow: payloads, and bytes per payload. */
    static final int FLOWS = 48, FRAMES = 64, PAYLOADS = 24, PAYLOAD_BYTES = 2048;

    /** A captured frame. */
    public record Frame(byte[] bytes, int wireLength, long timestampMicros) {
    }

    /** What one capture gives: its link type, first frames, and flows with payload. */
    public record Capture(String name, int linkType, List<Frame> frames, List<FlowInput> flows) {
        /** The payloads of its flows, in capture order per flow. */
        public List<byte[]> payloads() {
            return flows.stream().flatMap(f -> f.payloads().stream()).map(FlowInput.Payload::bytes).toList();
        }
    }

    private static List<Capture> captures;

    private CaptureSeeds() {
    }

    /** Every shared capture (read once per JVM). */
    public static synchronized List<Capture> all() {
        if (captures == null) {
            List<Path> files;
            try (Stream<Path> s = Stream.of("pcaps/p2p", "pcaps/nonp2p", "bt-captures/pcaps").map(SHARED::resolve)
                    .flatMap(CaptureSeeds::list)) {
                files = s.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().toList();
            }
            if (files.size() < 20) {
                throw new IllegalStateException("the fuzz tests are seeded from the captures in " + SHARED + ", found "
                        + files.size());
            }
            List<Capture> list = new ArrayList<>();
            for (Path f : files) {
                list.add(read(f));
            }
            captures = List.copyOf(list);
        }
        return captures;
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.list(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One flow being collected: who opened it, and where each direction's sequence numbers are. */
    private static final class FlowSeed {
        final boolean tcp, startCaptured;
        final int sourcePort, destinationPort;
        final List<FlowInput.Payload> payloads = new ArrayList<>();
        long initiatorSeq = -1, responderSeq = -1;
        final long[] next = {-1, -1};

        FlowSeed(boolean tcp, boolean startCaptured, int sourcePort, int destinationPort) {
            this.tcp = tcp;
            this.startCaptured = startCaptured;
            this.sourcePort = sourcePort;
            this.destinationPort = destinationPort;
        }

        void add(boolean fromInitiator, DecodedPacket p) {
            int n = Math.min(p.payloadLength, PAYLOAD_BYTES);
            byte[] b = Arrays.copyOfRange(p.payload, p.payloadOffset, p.payloadOffset + n);
            int lost = p.payloadWireLength - n;
            int d = fromInitiator ? 0 : 1;
            int sequence = FlowInput.IN_ORDER;
            if (tcp) {
                if (next[d] < 0) {
                    if (fromInitiator) {
                        initiatorSeq = p.tcpSeq;
                    } else {
                        responderSeq = p.tcpSeq;
                    }
                } else if (p.tcpSeq != next[d]) {
                    sequence = FlowInput.GIVEN;
                }
                next[d] = (p.tcpSeq + n) & 0xFFFFFFFFL;
            }
            boolean fin = (p.tcpFlags & 1) != 0;
            payloads.add(new FlowInput.Payload(fromInitiator, sequence, p.tcpSeq, Math.max(lost, 0), fin, 0, b));
        }

        FlowInput input() {
            int flags = (tcp ? 0 : FlowInput.UDP) | (startCaptured ? FlowInput.START_CAPTURED : 0);
            return new FlowInput(flags, sourcePort, destinationPort, Math.max(initiatorSeq, 0), Math.max(responderSeq, 0),
                    payloads);
        }
    }

    private static Capture read(Path file) {
        Map<String, FlowSeed> flows = new LinkedHashMap<>();
        List<Frame> frames = new ArrayList<>();
        int linkType;
        try (PcapFileSource source = new PcapFileSource(file)) {
            linkType = source.linkType();
            PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), new DecodeCounters());
            DecodedPacket p = new DecodedPacket();
            source.run((frame, captured, wire, micros) -> {
                if (frames.size() < FRAMES) {
                    frames.add(new Frame(Arrays.copyOf(frame, captured), wire, micros));
                }
                if (decoder.decode(linkType, frame, 0, captured, wire, micros, p) != DecodeStatus.OK
                        || p.protocol != 6 && p.protocol != 17) {
                    return;
                }
                String forward = p.srcHi + ":" + p.srcLo + ":" + p.srcPort + ">" + p.dstHi + ":" + p.dstLo + ":" + p.dstPort + "/"
                        + p.protocol;
                String reverse = p.dstHi + ":" + p.dstLo + ":" + p.dstPort + ">" + p.srcHi + ":" + p.srcLo + ":" + p.srcPort + "/"
                        + p.protocol;
                FlowSeed f = flows.get(forward);
                boolean fromInitiator = true;
                if (f == null && (f = flows.get(reverse)) != null) {
                    fromInitiator = false;
                }
                if (f == null) {
                    if (flows.size() == FLOWS) {
                        return;
                    }
                    boolean tcp = p.protocol == 6;
                    boolean synAck = tcp && (p.tcpFlags & 0x12) == 0x12;
                    // a SYN-ACK opens the flow for the side that sent the SYN, as in the flow table
                    f = synAck ? new FlowSeed(true, true, p.dstPort, p.srcPort)
                            : new FlowSeed(tcp, tcp && (p.tcpFlags & 0x02) != 0, p.srcPort, p.dstPort);
                    flows.put(synAck ? reverse : forward, f);
                    fromInitiator = !synAck;
                }
                if (p.payloadLength > 0 && f.payloads.size() < PAYLOADS) {
                    f.add(fromInitiator, p);
                }
            });
        } catch (CaptureException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
        List<FlowInput> inputs = flows.values().stream().filter(f -> !f.payloads.isEmpty()).map(FlowSeed::input).toList();
        return new Capture(file.getFileName().toString(), linkType, List.copyOf(frames), inputs);
    }
}
