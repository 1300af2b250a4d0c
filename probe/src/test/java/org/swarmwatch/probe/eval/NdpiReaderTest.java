package org.swarmwatch.probe.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ndpiReader 4.2's per-flow lines, as {@code ndpiReader -q -v 2} prints them. */
class NdpiReaderTest {
    static final String OUTPUT = """
            Using nDPI (4.2.0) [1 thread(s)]
            \t1\tTCP 10.77.0.11:33185 <-> 10.77.0.12:6882 [proto: 37/BitTorrent][ClearText][Confidence: DPI (cache)][cat: Download/7][890 pkts/1108351 bytes <-> 296 pkts/21177 bytes][BT Hash: D6C134AA85E608EF5CD9C3B13E050231DC14FB38][PLAIN TEXT (BitTorrent protocol)]
            \t2\tTCP 10.77.0.11:38976 <-> 10.77.0.1:6969 [proto: 7.37/HTTP.BitTorrent][ClearText][Confidence: DPI][PLAIN TEXT (w/GET /announce)]
            \t3\tUDP [3991:72d:336e:65ec:c5bf:a5fa:83ad:23de]:6881 -> [2fda:1f8a:c107:88a4:e509:d2e1:445f:f34c]:6881 [proto: 37/BitTorrent][ClearText][Confidence: DPI (cache)]
            \t4\tUDP [2600:1900:4160:5999::19::]:443 <-> [2001:db8::1]:50000 [proto: 188/QUIC][Encrypted][Confidence: DPI]
            \t5\tICMP 10.77.0.23:0 -> 10.77.0.22:0 [proto: 81/ICMP][ClearText][Confidence: DPI]

            Undetected flows:
            \t1\tUDP 10.77.0.21:6881 <-> 10.77.0.22:6881 [proto: 0/Unknown][ClearText][Confidence: Unknown]
            """;

    @Test
    void flowLinesLabelsAndHashes() throws IOException {
        ToolResult r = NdpiReader.parse(new BufferedReader(new StringReader(OUTPUT)));

        assertEquals(5, r.flows().size(), "TCP and UDP only");
        assertEquals("BitTorrent", r.flows().get(FlowKey.of("tcp", "10.77.0.12", 6882, "10.77.0.11", 33185)));
        assertEquals("HTTP.BitTorrent", r.flows().get(FlowKey.of("tcp", "10.77.0.1", 6969, "10.77.0.11", 38976)));
        assertEquals("BitTorrent", r.flows().get(FlowKey.of("udp", "3991:72d:336e:65ec:c5bf:a5fa:83ad:23de", 6881,
                "2fda:1f8a:c107:88a4:e509:d2e1:445f:f34c", 6881)));
        assertEquals("QUIC", r.flows().get(FlowKey.of("udp", "[2600:1900:4160:5999::19::]", 443, "2001:db8:0::1", 50000)),
                "an address nDPI prints wrongly is kept as written");
        assertEquals(ToolResult.UNKNOWN, r.flows().get(FlowKey.of("udp", "10.77.0.22", 6881, "10.77.0.21", 6881)));
        assertEquals(Map.of("d6c134aa85e608ef5cd9c3b13e050231dc14fb38", Set.of("")), r.hashes(), "no kind from ndpiReader");
    }
}
