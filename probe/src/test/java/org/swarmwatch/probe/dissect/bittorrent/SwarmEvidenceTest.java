package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.probe.dissect.bittorrent.PeerWireStreamTest.HASH;
import static org.swarmwatch.probe.dissect.bittorrent.PeerWireStreamTest.concat;
import static org.swarmwatch.probe.dissect.bittorrent.UdpDissectorsTest.datagram;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowDissection;
import org.swarmwatch.probe.dissect.ObservationSink.SwarmAttribution;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.RecordingSink;
import org.swarmwatch.probe.dissect.TestFlow;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * What the dissectors teach the swarm table (announced ports, tracker and DHT peer lists,
 * handshakes), what they prove about hash kinds, and how encrypted flows get a correlated hash.
 */
class SwarmEvidenceTest {
    final RecordingSink sink = new RecordingSink();

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static PacketPayload tcp(byte[] b, boolean fromInitiator, long seq) {
        PacketPayload p = new PacketPayload();
        p.set(b, 0, b.length, b.length, fromInitiator, 0x18, seq, 0);
        return p;
    }

    // --- trackers

    static final String ANNOUNCE = "GET /announce?info_hash=%a0%a1%a2%a3%a4%a5%a6%a7%a8%a9%aa%ab%ac%ad%ae%af%b0%b1%b2%b3"
            + "&peer_id=-LT2080-abcdefghijkl&port=6882&uploaded=0&downloaded=0&left=1000&event=started&compact=1 HTTP/1.1\r\n"
            + "Host: tracker\r\n\r\n";

    @Test
    void httpAnnounceTeachesTheClientsPortAndTheResponseItsPeers() {
        DissectorSession s = new HttpTrackerDissector().open(TestFlow.tcp(40000, 6969));
        assertEquals(Verdict.MINE, s.onPayload(tcp(b(ANNOUNCE), true, 1), sink));
        assertEquals(List.of("initiator http_tracker btih fetching a0a1a2 libtorrent 2.0.8"), sink.observations,
                "libtorrent 2 speaks v1 and v2: the kind is not shown");
        assertEquals(List.of("member initiator 6882 a0a1a2 fetching"), sink.facts, "left=1000: still downloading");
        // a chunked response in two segments; two compact IPv4 peers and one IPv6 peer
        byte[] peers = {10, 77, 0, 11, 0x1a, (byte) 0xe1, 10, 77, 0, 12, 0x1a, (byte) 0xe2};
        byte[] peers6 = new byte[18];
        peers6[15] = 1;
        peers6[17] = 80;
        byte[] body = concat(b("d8:intervali1800e5:peers12:"), peers, b("6:peers618:"), peers6, b("e"));
        byte[] response = concat(b("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length) + "\r\n"),
                body, b("\r\n0\r\n\r\n"));
        assertTrue(s.wantsMore());
        s.onPayload(tcp(Arrays.copyOfRange(response, 0, 60), false, 500), sink);
        assertTrue(s.wantsMore(), "the body has not arrived");
        s.onPayload(tcp(Arrays.copyOfRange(response, 60, response.length), false, 560), sink);
        assertEquals(List.of("member initiator 6882 a0a1a2 fetching", "peers to-initiator 2 ipv4 a0a1a2", "peers to-initiator 1 ipv6 a0a1a2"), sink.facts);
        assertTrue(!s.wantsMore());
    }

    @Test
    void trackerResponsesInOtherShapes() {
        byte[] dict = b("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nd5:peersld2:ip8:10.0.0.14:porti6881eed2:ip4:host4:porti1eeee");
        TrackerResponse.Result r = TrackerResponse.parse(dict, 0, dict.length);
        assertEquals(TrackerResponse.Status.RESPONSE, r.status());
        assertArrayEquals(new byte[] {10, 0, 0, 1, 0x1a, (byte) 0xe1}, r.response().peers(), "dictionary peers; a host name is skipped");
        byte[] error = b("HTTP/1.1 404 Not Found\r\n\r\nd14:failure reason4:nonee");
        assertEquals(TrackerResponse.Status.NOT_RESPONSE, TrackerResponse.parse(error, 0, error.length).status());
        byte[] partial = b("HTTP/1.1 200 OK\r\n\r\nd5:peers12:abc");
        assertEquals(TrackerResponse.Status.INCOMPLETE, TrackerResponse.parse(partial, 0, partial.length).status());
        byte[] html = b("HTTP/1.1 200 OK\r\n\r\n<html>");
        assertEquals(TrackerResponse.Status.NOT_RESPONSE, TrackerResponse.parse(html, 0, html.length).status());
    }

    @Test
    void udpAnnounceResponseGivesThePeers() {
        DissectorSession s = new UdpTrackerDissector().open(TestFlow.udp(6881, 6969));
        s.onPayload(datagram(UdpDissectorsTest.connect(42), true), sink);
        s.onPayload(datagram(UdpDissectorsTest.connected(42, 77), false), sink);
        s.onPayload(datagram(UdpDissectorsTest.announce(77, 0, 0, 2), true), sink);
        byte[] wrongTransaction = ByteBuffer.allocate(26).putInt(1).putInt(8).putInt(1800).putInt(0).putInt(1).put(new byte[6]).array();
        s.onPayload(datagram(wrongTransaction, false), sink);
        byte[] response = ByteBuffer.allocate(32).putInt(1).putInt(7).putInt(1800).putInt(1).putInt(1)
                .put(new byte[] {10, 77, 0, 11, 0x1a, (byte) 0xe1, 10, 77, 0, 12, 0x1a, (byte) 0xe2}).array();
        s.onPayload(datagram(response, false), sink);
        assertEquals(List.of("kind d0d1d2 btih_v1", "member initiator 6881 d0d1d2", "peers to-initiator 2 ipv4 d0d1d2"), sink.facts,
                "Transmission 3.00 speaks only v1; the announce's port; the answer to the announce (not the one to another transaction)");
    }

    // --- DHT

    static final String NODE = "abcdefghij0123456789";

    static String getPeers(String t, String target) {
        return "d1:ad2:id20:" + NODE + "9:info_hash20:" + target + "e1:q9:get_peers1:t2:" + t + "1:y1:qe";
    }

    @Test
    void aDhtLookupIsContentOnlyWhenAnsweredWithPeersAndFarFromTheQuerier() {
        DissectorSession s = new DhtDissector().open(TestFlow.udp(6881, 6881));
        String content = "mnopqrstuvwxyz012345";
        String random = "zyxwvutsrqponm543210";
        String routing = "abcdefghij9999999999"; // shares 80 bits with the querier's id
        s.onPayload(datagram(b(getPeers("aa", content)), true), sink);
        s.onPayload(datagram(b(getPeers("bb", random)), true), sink);
        s.onPayload(datagram(b(getPeers("cc", routing)), true), sink);
        String peer = "\n\u004d\u0000\u000b\u001a\u00e1";
        String values = "d1:rd2:id20:" + NODE + "5:token2:xx6:valuesl6:" + peer + "ee1:t2:%s1:y1:re";
        String nodesOnly = "d1:rd2:id20:" + NODE + "5:nodes26:" + "x".repeat(26) + "5:token2:xxe1:t2:bb1:y1:re";
        s.onPayload(datagram(b(nodesOnly), false), sink);
        s.onPayload(datagram(b(String.format(values, "cc")), false), sink);
        s.onPayload(datagram(b(String.format(values, "aa")), false), sink);
        assertEquals(List.of("initiator dht_get_peers btih looking_up 6d6e6f null"), sink.observations);
        assertEquals(List.of("peers to-initiator 1 ipv4 6d6e6f"), sink.facts);
    }

    @Test
    void dhtAnnounceTeachesThePortItNames() {
        DissectorSession s = new DhtDissector().open(TestFlow.udp(50000, 6881));
        String implied = "d1:ad2:id20:" + NODE + "12:implied_porti1e9:info_hash20:mnopqrstuvwxyz0123454:porti7000e5:token2:tte"
                + "1:q13:announce_peer1:t2:aa1:y1:qe";
        String explicit = implied.replace("12:implied_porti1e", "");
        s.onPayload(datagram(b(implied), true), sink);
        s.onPayload(datagram(b(explicit), false), sink);
        assertEquals(List.of("member initiator 50000 6d6e6f", "member responder 7000 6d6e6f"), sink.facts);
    }

    // --- peer wire: kinds and metadata

    static byte[] handshake(byte[] hash, String peerIdPrefix) {
        return ByteBuffer.allocate(68).put(PeerWireHandshake.HEADER).putLong(0x0000_0000_0010_0005L).put(hash)
                .put(PeerIdsTest.id(peerIdPrefix)).array();
    }

    static byte[] extended(int extId, byte[] body) {
        return ByteBuffer.allocate(6 + body.length).putInt(2 + body.length).put((byte) 20).put((byte) extId).put(body).array();
    }

    static byte[] metadataPiece(int piece, int total, byte[] data) {
        return extended(3, concat(b("d8:msg_typei1e5:piecei" + piece + "e10:total_sizei" + total + "ee"), data));
    }

    static byte[] digest(String algorithm, byte[] data) throws Exception {
        return MessageDigest.getInstance(algorithm).digest(data);
    }

    /** A v2-style info dictionary of {@code size} bytes (its content does not matter to the hashing). */
    static byte[] info(int size) {
        byte[] info = new byte[size];
        Arrays.fill(info, (byte) 'x');
        return info;
    }

    @Test
    void metadataSentInOrderIsHashedAndProvesTheKind() throws Exception {
        byte[] info = info(20000);
        byte[] v2 = digest("SHA-256", info);
        byte[] truncated = Arrays.copyOf(v2, 20);
        PeerWireConnection c = new PeerWireConnection(6881);
        byte[] responder = concat(handshake(truncated, "-LT2080-"), metadataPiece(0, info.length, Arrays.copyOf(info, 16384)),
                metadataPiece(1, info.length, Arrays.copyOfRange(info, 16384, info.length)));
        // fed in odd-sized segments, as TCP would
        for (int at = 0; at < responder.length; at += 1000) {
            int n = Math.min(1000, responder.length - at);
            c.stream(false).feedSegment(100 + at, responder, at, n);
        }
        c.stream(true).feedSegment(1, handshake(truncated, "-qB4520-"), 0, 68);
        assertArrayEquals(v2, c.fromResponder.metadataSha256());
        assertArrayEquals(digest("SHA-1", info), c.fromResponder.metadataSha1());
        c.report(sink);
        assertTrue(sink.observations.contains("responder handshake btih_v2_truncated announcing " + hex(truncated) + " libtorrent 2.0.8"),
                sink.observations.toString());
        assertTrue(sink.observations.contains("responder metadata btih_v2 announcing " + hex(v2) + " libtorrent 2.0.8"));
        assertTrue(sink.facts.contains("member responder 6881 " + hex(truncated)));
        assertTrue(sink.facts.contains("kind " + hex(truncated) + " btih_v2_truncated"));
        assertEquals(64, sink.hashes.stream().filter(h -> h.kind() == HashKind.BTIH_V2).findFirst().orElseThrow().hex().length());
    }

    @Test
    void metadataOutOfOrderIsNotHashed() {
        byte[] info = info(20000);
        PeerWireStream s = new PeerWireStream();
        byte[] stream = concat(handshake(HASH, "-LT2080-"), metadataPiece(1, info.length, Arrays.copyOfRange(info, 16384, info.length)),
                metadataPiece(0, info.length, Arrays.copyOf(info, 16384)));
        s.feed(stream, 0, stream.length);
        assertNull(s.metadataSha1());
    }

    @Test
    void aV1OnlyClientProvesV1AndASmallInfoDictionaryProvesV2() {
        PeerWireConnection c = new PeerWireConnection(6881);
        c.stream(true).feed(handshake(HASH, "-TR3000-"), 0, 68);
        assertEquals(HashKind.BTIH_V1, c.kind(HASH), "Transmission 3.00 has no v2");
        PeerWireConnection lt = new PeerWireConnection(6881);
        byte[] ext = extended(0, b("d1:md11:ut_metadatai2ee13:metadata_sizei191ee"));
        byte[] have = ByteBuffer.allocate(9).putInt(5).put((byte) 4).putInt(31).array(); // piece 31: at least 32 pieces
        byte[] stream = concat(handshake(HASH, "-LT2080-"), ext);
        lt.stream(true).feed(stream, 0, stream.length);
        assertEquals(HashKind.BTIH, lt.kind(HASH), "libtorrent 2 speaks both; nothing shows which yet");
        lt.stream(true).feed(have, 0, have.length);
        assertEquals(HashKind.BTIH_V2_TRUNCATED, lt.kind(HASH), "32 SHA-1 piece hashes do not fit in 191 bytes: the torrent is v2-only");
        assertEquals(31, lt.fromInitiator.maxPieceIndex());
    }

    @Test
    void v1OnlyClients() {
        assertTrue(PeerIds.v1Only(PeerIdsTest.id("-TR2940-")));
        assertTrue(PeerIds.v1Only(PeerIdsTest.id("A2-1-36-0-")));
        assertTrue(PeerIds.v1Only(PeerIdsTest.id("-lt0D80-")));
        assertTrue(PeerIds.v1Only(PeerIdsTest.id("-LT1280-")));
        assertTrue(PeerIds.v1Only(PeerIdsTest.id("-qB4350-")));
        for (String v2Capable : List.of("-TR4000-", "-LT2080-", "-qB4520-", "-UT355S-", "-DE211s-", "M7-2-3--")) {
            assertTrue(!PeerIds.v1Only(PeerIdsTest.id(v2Capable)), v2Capable);
        }
        assertTrue(!PeerIds.v1Only(PeerIdsTest.id("A2-99999999999-0-")), "absurd versions are not believed");
    }

    // --- encrypted and mid-stream flows

    @Test
    void anMseFlowGetsTheCorrelatedHashAndRolesFromTheVolumeEachSideSent() {
        byte[] random = new byte[200];
        new java.util.Random(7).nextBytes(random);
        DissectorRegistry registry = new DissectorRegistry(List.of(new MseDissector()));
        FlowDissection d = registry.offer(TestFlow.tcp(40000, 6881), null, tcp(random, true, 1), sink);
        byte[] answer = new byte[150];
        new java.util.Random(8).nextBytes(answer);
        d = registry.offer(TestFlow.tcp(40000, 6881), d, tcp(answer, false, 1), sink);
        assertEquals("bittorrent", d.protocol());
        byte[] block = new byte[1400];
        for (int i = 0; i < 100; i++) {
            d = registry.offer(TestFlow.tcp(40000, 6881), d, tcp(block, false, 151 + 1400L * i), sink);
        }
        registry.end(d, sink);
        assertEquals(List.of(), sink.observations, "no swarm known for these endpoints: nothing is guessed");
        sink.attribution = new SwarmAttribution(HASH, true);
        registry.end(d, sink);
        assertEquals(List.of("initiator correlated btih fetching a0a1a2 null", "responder correlated btih offering a0a1a2 null"),
                sink.observations);
    }

    @Test
    void aMidStreamTransferIsClaimedByItsFramingAlone() {
        // the requesting side: REQUEST messages for 16 KiB blocks, several per segment
        ByteBuffer requests = ByteBuffer.allocate(17 * 6);
        for (int i = 0; i < 6; i++) {
            requests.putInt(13).put((byte) 6).putInt(3).putInt(i * 16384).putInt(16384);
        }
        DissectorSession s = new PeerWireMidStreamDissector().open(TestFlow.tcp(40000, 6881));
        byte[] r = requests.array();
        // the capture starts in the middle of a message: the first 7 bytes are the tail of one
        byte[] first = concat(new byte[] {0, 0, 0x40, 0, 1, 2, 3}, Arrays.copyOf(r, 40));
        assertEquals(Verdict.NEED_MORE, s.onPayload(tcp(first, true, 1000), sink));
        assertEquals(Verdict.MINE, s.onPayload(tcp(Arrays.copyOfRange(r, 40, r.length), true, 1047), sink));
        // and random bytes never are
        byte[] noise = new byte[1448];
        java.util.Random random = new java.util.Random(1);
        DissectorSession n = new PeerWireMidStreamDissector().open(TestFlow.tcp(40000, 443));
        Verdict v = Verdict.NEED_MORE;
        for (int i = 0; i < 48 && v == Verdict.NEED_MORE; i++) {
            random.nextBytes(noise);
            v = n.onPayload(tcp(noise, i % 2 == 0, 1 + 1448L * i), sink);
        }
        assertEquals(Verdict.NOT_MINE, v);
    }

    // --- magnet links in HTTP

    @Test
    void magnetLinksInRequestsAndRedirects() {
        DissectorRegistry registry = new DissectorRegistry(List.of(new MagnetLinkDissector()));
        String hex = "0e1042f9e37849c0e5823403ff493f915758f880";
        String v2 = "0e1042f9e37849c0e5823403ff493f915758f88045f14067883068a1db2aa923";
        String request = "POST /api/v2/torrents/add HTTP/1.1\r\nHost: nas\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n"
                + "urls=magnet%3A%3Fxt%3Durn%3Abtih%3A" + hex + "%26xt%3Durn%3Abtmh%3A1220" + v2 + "%26dn%3Dx";
        FlowDissection d = registry.offer(TestFlow.tcp(40000, 8080), null, tcp(b(request), true, 1), sink);
        String response = "HTTP/1.1 302 Found\r\nLocation: magnet:?xt=urn:btih:BYIEF6PDPBE4BZMCGQB76SJ7SFLVR6EA&dn=x\r\n\r\n";
        d = registry.offer(TestFlow.tcp(40000, 8080), d, tcp(b(response), false, 1), sink);
        assertEquals(List.of("initiator magnet btih_v1 looking_up 0e1042 null", "initiator magnet btih_v2 looking_up 0e1042 null",
                "initiator magnet btih_v1 looking_up 0e1042 null"), sink.observations);
        assertEquals(v2, sink.hashes.get(1).hex());
        assertEquals(hex, sink.hashes.get(2).hex(), "base32 of the same hash");
        assertEquals("unknown", d.protocol() == null ? "unknown" : d.protocol(), "the flow is not claimed");
        assertNull(MagnetLinkDissector.urn("urn:btih:" + hex.substring(2)));
        assertNull(MagnetLinkDissector.base32("BYIEF6PHPBE4BZMCGQB76SJ7SFLVR6E1"));
    }

    static String hex(byte[] h) {
        return java.util.HexFormat.of().formatHex(h, 0, 3);
    }
}
