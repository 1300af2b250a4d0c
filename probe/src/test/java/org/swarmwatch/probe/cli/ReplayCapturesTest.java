package org.swarmwatch.probe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.StatsRecord;
import org.swarmwatch.events.SubscriberPseudonym;

/**
 * Replays every shared capture (../shared/pcaps and ../shared/bt-captures/pcaps) through the real
 * command line and libpcap, and checks the flow counts per capture.
 *
 * <p>The expected counts were checked by hand against tshark 4.0
 * ({@code tshark -q -z conv,tcp -z conv,udp}: TCP and UDP columns) and nDPI's expected output
 * ({@code NAME.out} beside each capture: its flow list, which also counts ICMP and other
 * protocols). With timeouts longer than any capture, as here, a flow is a conversation, and the
 * TCP and UDP counts equal tshark's in every capture; docs/flows.md explains the few places where
 * nDPI's totals differ, and what the default timeouts change.
 */
class ReplayCapturesTest {
    static final Path SHARED = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared").normalize();

    /** capture file name -> {tcp, udp, other transports} with timeouts longer than the capture. */
    static final Map<String, int[]> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("bitcoin.pcap", new int[] {6, 0, 0}),
            Map.entry("bittorrent.pcap", new int[] {24, 0, 0}),
            Map.entry("bittorrent_tcp_miss.pcapng", new int[] {1, 0, 0}),
            Map.entry("bittorrent_utp.pcap", new int[] {0, 2, 0}),
            Map.entry("bt-dns.pcap", new int[] {0, 1, 0}),
            Map.entry("bt-http.pcapng", new int[] {1, 0, 0}),
            Map.entry("bt_search.pcap", new int[] {0, 1, 0}),
            Map.entry("edonkey.pcap", new int[] {1, 0, 0}),
            Map.entry("ethereum.pcap", new int[] {56, 18, 0}),
            Map.entry("gnutella.pcap", new int[] {137, 613, 10}),
            Map.entry("lru_ipv6_caches.pcapng", new int[] {3, 9, 0}),
            Map.entry("mining.pcapng", new int[] {4, 0, 0}),
            Map.entry("monero.pcap", new int[] {4, 0, 0}),
            Map.entry("nano.pcapng", new int[] {1, 0, 0}),
            Map.entry("ossfuzz_seed_fake_traces_1.pcapng", new int[] {6, 4, 0}),
            Map.entry("syncthing.pcap", new int[] {0, 4, 0}),
            Map.entry("synscan.pcap", new int[] {1994, 0, 0}),
            Map.entry("targusdataspeed_false_positives.pcap", new int[] {0, 2, 0}),
            Map.entry("tls_torrent.pcapng", new int[] {1, 0, 0}),
            Map.entry("zug.pcap", new int[] {0, 7, 0}),
            Map.entry("dns_doh.pcap", new int[] {1, 0, 0}),
            Map.entry("http_ipv6.pcap", new int[] {13, 2, 0}),
            Map.entry("netflix.pcap", new int[] {47, 13, 1}),
            Map.entry("quic.pcap", new int[] {0, 10, 0}),
            Map.entry("sip.pcap", new int[] {0, 4, 0}),
            Map.entry("stun.pcap", new int[] {2, 6, 1}),
            Map.entry("teams.pcap", new int[] {42, 40, 1}),
            Map.entry("windowsupdate_over_http.pcap", new int[] {1, 0, 0}),
            Map.entry("wireguard.pcap", new int[] {0, 2, 0}),
            Map.entry("a1_tcp_plain_transmission_libtorrent.pcap", new int[] {6, 0, 0}),
            Map.entry("a2_tcp_aria2_transmission.pcap", new int[] {12, 0, 0}),
            Map.entry("b1_tcp_mse_aria2_transmission.pcap", new int[] {11, 0, 0}),
            Map.entry("b2_tcp_mse_transmission_libtorrent.pcap", new int[] {6, 0, 0}),
            Map.entry("c1_utp_libtorrent.pcap", new int[] {5, 1, 0}),
            Map.entry("c2_utp_transmission_libtorrent.pcap", new int[] {5, 1, 0}),
            Map.entry("d_dht_libtorrent.pcap", new int[] {0, 3, 2}),
            Map.entry("e1_magnet_aria2_transmission.pcap", new int[] {17, 0, 0}),
            Map.entry("e2_magnet_libtorrent_qbittorrent.pcap", new int[] {10, 0, 0}),
            Map.entry("f1_v2_libtorrent.pcap", new int[] {6, 0, 0}),
            Map.entry("f2_hybrid_libtorrent_qbittorrent.pcap", new int[] {11, 0, 0}),
            Map.entry("f3_v2_magnet_libtorrent_qbittorrent.pcap", new int[] {10, 0, 0}),
            Map.entry("g1_udp_tracker_aria2_transmission.pcap", new int[] {5, 2, 0}),
            Map.entry("g2_udp_tracker_libtorrent_rtorrent.pcap", new int[] {2, 3, 0})));

    /** capture file name -> frames in it, as {@code capinfos -c} counts them. */
    static final Map<String, Integer> PACKETS = new TreeMap<>(Map.ofEntries(
            Map.entry("bitcoin.pcap", 529),
            Map.entry("bittorrent.pcap", 299),
            Map.entry("bittorrent_tcp_miss.pcapng", 100),
            Map.entry("bittorrent_utp.pcap", 92),
            Map.entry("bt-dns.pcap", 2),
            Map.entry("bt-http.pcapng", 14),
            Map.entry("bt_search.pcap", 2),
            Map.entry("edonkey.pcap", 17),
            Map.entry("ethereum.pcap", 2000),
            Map.entry("gnutella.pcap", 3905),
            Map.entry("lru_ipv6_caches.pcapng", 88),
            Map.entry("mining.pcapng", 673),
            Map.entry("monero.pcap", 60),
            Map.entry("nano.pcapng", 6),
            Map.entry("ossfuzz_seed_fake_traces_1.pcapng", 21),
            Map.entry("syncthing.pcap", 34),
            Map.entry("synscan.pcap", 2011),
            Map.entry("targusdataspeed_false_positives.pcap", 4),
            Map.entry("tls_torrent.pcapng", 7),
            Map.entry("zug.pcap", 7),
            Map.entry("dns_doh.pcap", 142),
            Map.entry("http_ipv6.pcap", 193),
            Map.entry("netflix.pcap", 1793),
            Map.entry("quic.pcap", 518),
            Map.entry("sip.pcap", 112),
            Map.entry("stun.pcap", 201),
            Map.entry("teams.pcap", 1540),
            Map.entry("windowsupdate_over_http.pcap", 20),
            Map.entry("wireguard.pcap", 52),
            Map.entry("a1_tcp_plain_transmission_libtorrent.pcap", 1246),
            Map.entry("a2_tcp_aria2_transmission.pcap", 1337),
            Map.entry("b1_tcp_mse_aria2_transmission.pcap", 1322),
            Map.entry("b2_tcp_mse_transmission_libtorrent.pcap", 1367),
            Map.entry("c1_utp_libtorrent.pcap", 1107),
            Map.entry("c2_utp_transmission_libtorrent.pcap", 987),
            Map.entry("d_dht_libtorrent.pcap", 54),
            Map.entry("e1_magnet_aria2_transmission.pcap", 1661),
            Map.entry("e2_magnet_libtorrent_qbittorrent.pcap", 1207),
            Map.entry("f1_v2_libtorrent.pcap", 1120),
            Map.entry("f2_hybrid_libtorrent_qbittorrent.pcap", 1152),
            Map.entry("f3_v2_magnet_libtorrent_qbittorrent.pcap", 1199),
            Map.entry("g1_udp_tracker_aria2_transmission.pcap", 1028),
            Map.entry("g2_udp_tracker_libtorrent_rtorrent.pcap", 1152)));

    @TempDir
    static Path dir;
    static Records longTimeouts;
    static Records defaults;
    static CommandRun longRun;
    static CommandRun defaultRun;

    static List<Path> captures() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String sub : new String[] {"pcaps/p2p", "pcaps/nonp2p", "bt-captures/pcaps"}) {
            try (Stream<Path> s = Files.list(SHARED.resolve(sub))) {
                s.filter(p -> p.getFileName().toString().matches(".*\\.pcap(ng)?$")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    @BeforeAll
    static void replayEverything() throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--quiet", "--idle-timeout", "24h", "--active-timeout", "24h",
                "--subscriber-net", "192.168.0.0/16,10.0.0.0/8,fe80::/10", "--out", dir.resolve("long.jsonl").toString()));
        captures().forEach(p -> args.add(p.toString()));
        longRun = CommandRun.run(args.toArray(String[]::new));
        longTimeouts = Records.read(dir.resolve("long.jsonl"));

        List<String> args2 = new ArrayList<>(List.of("replay", "--quiet", "--out", dir.resolve("default.jsonl").toString()));
        captures().forEach(p -> args2.add(p.toString()));
        defaultRun = CommandRun.run(args2.toArray(String[]::new));
        defaults = Records.read(dir.resolve("default.jsonl"));
    }

    @Test
    void everyCaptureReplaysWithoutError() throws Exception {
        assertEquals(0, longRun.exitCode(), longRun.stderr());
        assertEquals(0, defaultRun.exitCode(), defaultRun.stderr());
        assertEquals("", longRun.stderr());
        assertEquals(EXPECTED.keySet(), captures().stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
                "every shared capture has an expected count");
    }

    static Stream<String> captureNames() {
        return EXPECTED.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("captureNames")
    void flowCountsMatchTheConversationsTsharkSees(String capture) {
        List<FlowRecord> flows = longTimeouts.flowsOf(capture);
        int tcp = (int) flows.stream().filter(f -> f.ianaNumber() == 6).count();
        int udp = (int) flows.stream().filter(f -> f.ianaNumber() == 17).count();
        int other = flows.size() - tcp - udp;
        assertEquals(List.of(EXPECTED.get(capture)[0], EXPECTED.get(capture)[1], EXPECTED.get(capture)[2]),
                List.of(tcp, udp, other), capture + ": tcp, udp, other");
    }

    @ParameterizedTest
    @MethodSource("captureNames")
    void everyFrameOfEveryCaptureIsRead(String capture) {
        long read = longTimeouts.stats().stream().filter(s -> Path.of(s.captureSource()).getFileName().toString().equals(capture))
                .mapToLong(StatsRecord::packets).sum();
        assertEquals((long) PACKETS.get(capture), read, capture);
    }

    @Test
    void packetCountersAddUpToTheFramesThatCarriedIp() {
        // every decoded IP packet is counted in exactly one flow
        long inFlows = defaults.flows().stream().mapToLong(FlowRecord::packets).sum();
        long decodedOk = defaults.stats().stream().mapToLong(s -> s.decode().getOrDefault("ok", 0L)).sum();
        assertEquals(decodedOk, inFlows);
    }

    @Test
    void defaultTimeoutsSplitLongConversations() {
        // bitcoin.pcap spans 31 minutes; its 6 TCP conversations have gaps longer than the 120 s idle timeout
        List<FlowRecord> flows = defaults.flowsOf("bitcoin.pcap");
        assertTrue(flows.size() > 6, "idle timeouts split conversations: " + flows.size());
        assertTrue(flows.stream().anyMatch(f -> f.reason().wireName().equals("idle_timeout")));
        assertEquals(24, defaults.flowsOf("bittorrent.pcap").size(), "a 15 s capture is not split");
    }

    @Test
    void subscriberAddressesNeverAppearInClear() {
        for (FlowRecord f : longTimeouts.flows()) {
            for (var e : List.of(f.source(), f.destination())) {
                if (e.subscriber()) {
                    assertTrue(SubscriberPseudonym.isPseudonym(e.address()), e.toString());
                    assertEquals(null, e.ip());
                } else {
                    assertTrue(!e.address().startsWith("192.168.") && !e.address().startsWith("10."), e.toString());
                }
            }
        }
    }

    @Test
    void theBitTorrentCaptureMatchesNdpisFirstFlow() {
        // nDPI bittorrent.pcap.out flow 1: 192.168.1.3:52915 <-> 198.100.146.9:60163, 17 pkts / 193 pkts
        FlowRecord f = longTimeouts.flowsOf("bittorrent.pcap").stream()
                .filter(r -> r.destination().port() == 60163 && r.source().port() == 52915).findFirst().orElseThrow();
        assertEquals("198.100.146.9", f.destination().ip());
        assertEquals(17, f.source().packets());
        assertEquals(193, f.destination().packets());
        assertEquals("bittorrent", f.protocol());
    }

    @Test
    void timestampsNowStampsACaptureAsIfItWereLive(@TempDir Path out) throws Exception {
        Path capture = SHARED.resolve("bt-captures/pcaps/c1_utp_libtorrent.pcap"); // 4 s, recorded in 2026 before today
        Path recorded = out.resolve("recorded.jsonl");
        Path now = out.resolve("now.jsonl");
        assertEquals(0, CommandRun.run("replay", "--quiet", "--out", recorded.toString(), capture.toString()).exitCode());
        Instant before = Instant.now();
        assertEquals(0, CommandRun.run("replay", "--quiet", "--timestamps", "now", "--out", now.toString(), capture.toString()).exitCode());
        Instant after = Instant.now();
        List<FlowRecord> original = Records.read(recorded).flows();
        List<FlowRecord> shifted = Records.read(now).flows();
        assertEquals(original.size(), shifted.size());
        Instant firstOriginal = original.stream().map(FlowRecord::start).min(Instant::compareTo).orElseThrow();
        Instant firstShifted = shifted.stream().map(FlowRecord::start).min(Instant::compareTo).orElseThrow();
        assertTrue(firstOriginal.isBefore(before.minusSeconds(3600)), "the capture is not recent: " + firstOriginal);
        assertTrue(!firstShifted.isBefore(before.minusSeconds(1)) && !firstShifted.isAfter(after), firstShifted + " not in [" + before + ", " + after + "]");
        // one offset for the whole capture: every flow keeps its place and duration
        Duration offset = Duration.between(firstOriginal, firstShifted);
        for (int i = 0; i < original.size(); i++) {
            assertEquals(original.get(i).start().plus(offset), shifted.get(i).start());
            assertEquals(original.get(i).end().plus(offset), shifted.get(i).end());
        }
    }

    @Test
    void aLoopOverFilesThatAllFailEndsInsteadOfSpinning(@TempDir Path out) {
        CommandRun r = CommandRun.run("replay", "--quiet", "--loop", "--out", out.resolve("r.jsonl").toString(), out.resolve("missing.pcap").toString());
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("missing.pcap"), r.stderr());
        r = CommandRun.run("replay", "--timestamps", "later", SHARED.resolve("bt-captures/pcaps/c1_utp_libtorrent.pcap").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("--timestamps 'later' must be recorded or now"), r.stderr());
    }
}
