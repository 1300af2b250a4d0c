package org.swarmwatch.probe.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.decode.DecodeCounters;
import org.swarmwatch.probe.decode.DecodeStatus;
import org.swarmwatch.probe.decode.DecodedPacket;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.decode.PacketDecoder;
import org.swarmwatch.probe.source.PcapFileSource;

/**
 * Seeds for the fuzz tests, from the flows and frames of ../shared's captures (the captures are
 * not copied into the repository; their seeds are made here, under target/). Runs with the other
 * tests, before the fuzzing executions that read the seeds (see the probe pom): the generated
 * corpus of each fuzz test is {@code target/fuzz-cwd/.cifuzz-corpus/<class>/<method>/}, where
 * Jazzer's JUnit integration looks in fuzzing mode.
 */
class FuzzSeedsTest {
    static final Path ROOT = Path.of(System.getProperty("swarmwatch.root", ".."));
    static final Path SHARED = ROOT.resolve("../shared").normalize();
    static final Path CORPUS = ROOT.resolve("probe/target/fuzz-cwd/.cifuzz-corpus");
    /** Per capture: flows and frames taken; per flow: payloads and bytes. */
    static final int FLOWS = 40, FRAMES = 64, PAYLOADS = 24, PAYLOAD_BYTES = 2048;

    @Test
    void seedsAreMadeFromEveryCapture() throws IOException {
        Path flows = CORPUS.resolve(DissectorsFuzzTest.class.getName()).resolve("registryNeverFailsAndGivesBackItsMemory");
        Path frames = CORPUS.resolve(PacketDecoderFuzzTest.class.getName()).resolve("decoderNeverThrowsAndCountsEveryFrameOnce");
        Files.createDirectories(flows);
        Files.createDirectories(frames);
        List<Path> captures;
        try (Stream<Path> s = Stream.concat(Files.list(SHARED.resolve("pcaps/p2p")),
                Stream.concat(Files.list(SHARED.resolve("pcaps/nonp2p")), Files.list(SHARED.resolve("bt-captures/pcaps"))))) {
            captures = s.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().toList();
        }
        int flowSeeds = 0, frameSeeds = 0;
        for (Path capture : captures) {
            int[] made = seeds(capture, flows, frames);
            assertTrue(made[1] > 0, capture + " gave no frame seed");
            flowSeeds += made[0];
            frameSeeds += made[1];
        }
        assertTrue(flowSeeds > 300, "flow seeds: " + flowSeeds);
        assertTrue(frameSeeds >= captures.size(), "frame seeds: " + frameSeeds);
    }

    /** Writes one capture's seeds; returns {flow seeds, frame seeds}. */
    static int[] seeds(Path capture, Path flowDir, Path frameDir) throws IOException {
        Map<String, List<FlowInput.Payload>> flows = new LinkedHashMap<>();
        Map<String, boolean[]> flowInfo = new HashMap<>(); // tcp, start captured
        Map<String, int[]> ports = new HashMap<>();
        List<byte[]> frames = new ArrayList<>();
        int[] linkType = {0};
        try (PcapFileSource source = new PcapFileSource(capture)) {
            linkType[0] = source.linkType();
            PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), new DecodeCounters());
            DecodedPacket p = new DecodedPacket();
            source.run((frame, captured, wire, micros) -> {
                if (frames.size() < FRAMES) {
                    frames.add(java.util.Arrays.copyOf(frame, captured));
                }
                if (decoder.decode(source.linkType(), frame, 0, captured, wire, micros, p) != DecodeStatus.OK
                        || p.protocol != 6 && p.protocol != 17) {
                    return;
                }
                String forward = p.srcHi + ":" + p.srcLo + ":" + p.srcPort + ">" + p.dstHi + ":" + p.dstLo + ":" + p.dstPort + "/" + p.protocol;
                String reverse = p.dstHi + ":" + p.dstLo + ":" + p.dstPort + ">" + p.srcHi + ":" + p.srcLo + ":" + p.srcPort + "/" + p.protocol;
                boolean fromInitiator = !flows.containsKey(reverse);
                String key = fromInitiator ? forward : reverse;
                if (!flows.containsKey(key)) {
                    if (flows.size() == FLOWS) {
                        return;
                    }
                    flows.put(key, new ArrayList<>());
                    flowInfo.put(key, new boolean[] {p.protocol == 6, p.protocol == 6 && (p.tcpFlags & 0x02) != 0});
                    ports.put(key, new int[] {p.srcPort, p.dstPort});
                }
                List<FlowInput.Payload> list = flows.get(key);
                if (p.payloadLength > 0 && list.size() < PAYLOADS) {
                    int n = Math.min(p.payloadLength, PAYLOAD_BYTES);
                    byte[] b = java.util.Arrays.copyOfRange(p.payload, p.payloadOffset, p.payloadOffset + n);
                    list.add(new FlowInput.Payload(fromInitiator, b));
                }
            });
        } catch (Exception e) {
            throw new IOException(capture + ": " + e.getMessage(), e);
        }
        String name = capture.getFileName().toString();
        int flowSeeds = 0;
        for (Map.Entry<String, List<FlowInput.Payload>> e : flows.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            boolean[] info = flowInfo.get(e.getKey());
            int[] pp = ports.get(e.getKey());
            byte[] seed = new FlowInput(info[0], pp[0], pp[1], info[1], e.getValue()).encode();
            write(flowDir.resolve(name + "-flow-" + flowSeeds++), seed);
        }
        java.io.ByteArrayOutputStream frameSeed = new java.io.ByteArrayOutputStream();
        int selector = 0;
        for (int i = 0; i < PacketDecoderFuzzTest.LINK_TYPES.length; i++) {
            if (PacketDecoderFuzzTest.LINK_TYPES[i] == linkType[0]) {
                selector = i;
            }
        }
        frameSeed.write(selector);
        for (byte[] f : frames) {
            frameSeed.write(f.length >> 8);
            frameSeed.write(f.length);
            frameSeed.writeBytes(f);
        }
        write(frameDir.resolve(name + "-frames"), frameSeed.toByteArray());
        return new int[] {flowSeeds, 1};
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
