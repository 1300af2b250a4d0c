package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.probe.dissect.bittorrent.PeerWireStreamTest.concat;
import static org.swarmwatch.probe.dissect.bittorrent.SwarmEvidenceTest.digest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.dissect.FlowDissection;
import org.swarmwatch.probe.dissect.ObservationSink.SwarmAttribution;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.RecordingSink;
import org.swarmwatch.probe.dissect.TestFlow;

/**
 * Peer-wire connections joined mid-way (BEP 3 framing without the handshake): claimed from
 * consecutive well-formed messages, followed after the claim (who sent PIECE messages, BEP 52 hash
 * messages, a whole info dictionary by BEP 9), and never claimed for other protocols.
 */
class MidStreamTest {
    static final int MSS = 1448;
    final RecordingSink sink = new RecordingSink();
    final TestFlow flow = TestFlow.tcp(51413, 6881);

    /** Both directions' bytes, sent as TCP segments of at most {@value #MSS} bytes, alternating. */
    final class Replay {
        final DissectorRegistry registry;
        final RecordingSink observations;
        FlowDissection state;
        long initiatorSeq = 1_000_000, responderSeq = 0xFFFF_0000L; // the responder's wraps around 2^32

        Replay(DissectorRegistry registry, RecordingSink observations) {
            this.registry = registry;
            this.observations = observations;
        }

        Replay send(boolean fromInitiator, byte[] bytes) {
            for (int at = 0; at < bytes.length; at += MSS) {
                int n = Math.min(MSS, bytes.length - at);
                PacketPayload p = new PacketPayload();
                long seq = fromInitiator ? initiatorSeq : responderSeq;
                p.set(bytes, at, n, n, fromInitiator, 0x18, seq, 0);
                state = registry.offer(flow, state, p, observations);
                if (fromInitiator) {
                    initiatorSeq = (initiatorSeq + n) & 0xFFFFFFFFL;
                } else {
                    responderSeq = (responderSeq + n) & 0xFFFFFFFFL;
                }
            }
            return this;
        }

        /** Bytes of one direction the capture missed. */
        Replay lose(boolean fromInitiator, int bytes) {
            if (fromInitiator) {
                initiatorSeq = (initiatorSeq + bytes) & 0xFFFFFFFFL;
            } else {
                responderSeq = (responderSeq + bytes) & 0xFFFFFFFFL;
            }
            return this;
        }

        String protocol() {
            return state == null || state.protocol() == null ? "undecided" : state.protocol();
        }

        void end() {
            registry.end(state, observations);
        }
    }

    Replay midStreamOnly() {
        return new Replay(new DissectorRegistry(List.of(new PeerWireMidStreamDissector())), sink);
    }

    static byte[] have(int index) {
        return ByteBuffer.allocate(9).putInt(5).put((byte) 4).putInt(index).array();
    }

    static byte[] request(int index, int begin) {
        return ByteBuffer.allocate(17).putInt(13).put((byte) 6).putInt(index).putInt(begin).putInt(16384).array();
    }

    static byte[] piece(int index, int begin, int block) {
        byte[] data = new byte[block];
        new Random(index * 31L + begin).nextBytes(data);
        return concat(ByteBuffer.allocate(13).putInt(9 + block).put((byte) 7).putInt(index).putInt(begin).array(), data);
    }

    static byte[] join(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** The tail of a message the capture joined in the middle of. */
    static final byte[] TAIL = {0x13, 0x77, 0x00, 0x00, 0x40};

    @Test
    void aTransferJoinedMidWayIsClaimedAndTheSideThatSentPiecesOffers() {
        Replay r = midStreamOnly();
        for (int round = 0; round < 6; round++) {
            r.send(true, concat(round == 0 ? TAIL : new byte[0], request(round, 0), request(round, 16384)));
            r.send(false, concat(round == 0 ? TAIL : new byte[0], piece(round, 0, 16384), piece(round, 16384, 16384)));
        }
        assertEquals("bittorrent", r.protocol());
        r.end();
        assertEquals(List.of(), sink.observations, "no hash on the flow and no swarm known: nothing is guessed");
        sink.attribution = new SwarmAttribution(PeerWireStreamTest.HASH, true);
        r.end();
        assertEquals(List.of("initiator correlated btih fetching a0a1a2 null", "responder correlated btih offering a0a1a2 null"),
                sink.observations);
    }

    @Test
    void theUploadIsSeenEvenWhenOnlyTheOtherSideConfirmedTheFraming() {
        Replay r = midStreamOnly();
        // the requester's framing makes the claim; the uploader's stream starts in the middle of a block
        r.send(true, concat(TAIL, have(1), have(2), have(3), request(4, 0)));
        byte[] blocks = join(List.of(piece(4, 0, 16384), piece(4, 16384, 16384), piece(5, 0, 16384)));
        r.send(false, Arrays.copyOfRange(blocks, 5000, blocks.length));
        assertEquals("bittorrent", r.protocol());
        sink.attribution = new SwarmAttribution(PeerWireStreamTest.HASH, false);
        r.end();
        assertEquals(List.of("initiator correlated btih fetching a0a1a2 null", "responder correlated btih offering a0a1a2 null"),
                sink.observations);
    }

    @Test
    void bep52AndFastExtensionMessagesAreFramingToo() {
        Replay r = midStreamOnly();
        byte[] haveAll = {0, 0, 0, 1, 0x0e};
        r.send(true, concat(TAIL, have(7), PeerWireMessagesTest.hashRequest(HashMessage.REQUEST, 0, 0, 2, 3), haveAll));
        assertEquals("bittorrent", r.protocol());
    }

    @Test
    void aWholeInfoDictionarySentMidStreamIsHashed() throws Exception {
        for (String kind : List.of("v1", "v2", "hybrid")) {
            RecordingSink s = new RecordingSink();
            byte[] info = MetadataEvidenceTest.dictionary(kind, 20000);
            String sha1 = HexFormat.of().formatHex(digest("SHA-1", info)), sha256 = HexFormat.of().formatHex(digest("SHA-256", info));
            Replay r = new Replay(new DissectorRegistry(List.of(new PeerWireMidStreamDissector())), s);
            r.send(false, concat(TAIL, have(1), have(2), have(3)));
            r.send(false, MetadataEvidenceTest.metadataMessages(info));
            r.send(false, concat(piece(0, 0, 16384)));
            assertEquals("bittorrent", r.protocol(), kind);
            r.end();
            List<String> expected = switch (kind) {
                case "v1" -> List.of("responder metadata btih_v1 offering " + sha1.substring(0, 6) + " null");
                case "v2" -> List.of("responder metadata btih_v2 offering " + sha256.substring(0, 6) + " null");
                default -> List.of("responder metadata btih_v2 offering " + sha256.substring(0, 6) + " null",
                        "responder metadata btih_v1 offering " + sha1.substring(0, 6) + " null");
            };
            assertEquals(expected, s.observations, kind);
            if (!kind.equals("v1")) {
                assertTrue(s.hashes.stream().anyMatch(h -> h.hex().equals(sha256)), "the full SHA-256");
            }
        }
    }

    @Test
    void afterALostSegmentTheFramingIsFoundAgainAndTheStreamReadFromThere() throws Exception {
        byte[] info = MetadataEvidenceTest.dictionary("v1", 20000);
        String sha1 = HexFormat.of().formatHex(digest("SHA-1", info));
        Replay r = midStreamOnly();
        r.send(false, concat(TAIL, have(1), have(2), have(3)));
        assertEquals("bittorrent", r.protocol());
        byte[] block = piece(9, 0, 16384);
        r.send(false, Arrays.copyOf(block, 3000)).lose(false, 5000).send(false, Arrays.copyOfRange(block, 8000, block.length));
        // random bytes after the gap may hold a false candidate, but no stream starts before a header is confirmed
        r.send(false, concat(have(4), have(5), have(6)));
        r.send(false, MetadataEvidenceTest.metadataMessages(info));
        r.end();
        assertEquals(List.of("responder metadata btih_v1 offering " + sha1.substring(0, 6) + " null"), sink.observations, "it sent a PIECE");
    }

    // --- other protocols are never claimed

    /** TLS 1.3 records: a handshake, then application data of the sizes browsers send. */
    static byte[] tls(Random random, boolean client) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] hello = new byte[client ? 512 : 122];
        random.nextBytes(hello);
        out.writeBytes(ByteBuffer.allocate(5).put((byte) 0x16).putShort((short) 0x0301).putShort((short) hello.length).array());
        out.writeBytes(hello);
        for (int i = 0; i < 40; i++) {
            int size = client ? 40 + random.nextInt(600) : random.nextInt(4) == 0 ? 16401 : 17 + random.nextInt(16384);
            byte[] record = new byte[size];
            random.nextBytes(record);
            out.writeBytes(ByteBuffer.allocate(5).put((byte) 0x17).putShort((short) 0x0303).putShort((short) size).array());
            out.writeBytes(record);
        }
        return out.toByteArray();
    }

    /** SSH: banner, then binary packets (RFC 4253 6) whose length is in clear (AES-GCM) and the rest random. */
    static byte[] ssh(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 400; i++) {
            int length = 16 * (1 + random.nextInt(100)) + 12; // packet_length + 4 is a multiple of 16
            byte[] packet = new byte[length + 16]; // and a 16-byte tag
            random.nextBytes(packet);
            out.writeBytes(ByteBuffer.allocate(4).putInt(length).array());
            out.writeBytes(packet);
        }
        return out.toByteArray();
    }

    static byte[] http(Random random, boolean request) {
        if (request) {
            return ("GET /video/segment-0042.ts HTTP/1.1\r\nHost: cdn.example\r\nRange: bytes=0-\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        byte[] body = new byte[300_000];
        random.nextBytes(body);
        return concat(("HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), body);
    }

    @Test
    void tlsSshHttpAndRandomBytesAreNeverClaimed() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            for (String protocol : List.of("tls", "ssh", "http", "random")) {
                Replay r = new Replay(DissectorRegistry.standard(), sink);
                byte[] up, down;
                switch (protocol) {
                    case "tls" -> {
                        up = tls(random, true);
                        down = tls(random, false);
                    }
                    case "ssh" -> {
                        up = ssh(random);
                        down = ssh(random);
                    }
                    case "http" -> {
                        up = http(random, true);
                        down = http(random, false);
                    }
                    default -> {
                        up = new byte[50_000];
                        down = new byte[300_000];
                        random.nextBytes(up);
                        random.nextBytes(down);
                    }
                }
                // joined mid-way: from some byte after the start
                int skip = random.nextInt(2000);
                r.send(true, Arrays.copyOfRange(up, Math.min(skip, up.length - 1), up.length));
                r.send(false, Arrays.copyOfRange(down, Math.min(skip, down.length - 1), down.length));
                assertNotEquals("bittorrent", r.protocol(), protocol + " seed " + seed);
                r.end();
            }
        }
        assertEquals(List.of(), sink.observations);
    }
}
