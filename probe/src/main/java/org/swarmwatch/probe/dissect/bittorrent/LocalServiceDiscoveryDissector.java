package org.swarmwatch.probe.dissect.bittorrent;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * Local Service Discovery (BEP 14): a client multicasts to port 6771
 * {@code BT-SEARCH * HTTP/1.1} with {@code Port:} and one or more {@code Infohash:} headers (40 hex
 * digits) to find peers of its swarms on the local network. Each hash becomes an {@code lsd}
 * observation: the sender announces it takes part in that swarm.
 */
public final class LocalServiceDiscoveryDissector extends BitTorrentFamilyDissector {
    static final int PORT = 6771;
    static final double CONFIDENCE = 0.9;
    private static final byte[] REQUEST_LINE = "BT-SEARCH * HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A datagram carries a handful of hashes; a longer one is not LSD. */
    private static final int MAX_MESSAGE = 1400;

    public LocalServiceDiscoveryDissector() {
        super(UDP);
    }

    @Override
    public DissectorSession open(FlowContext flow) {
        boolean lsdPort = flow.destinationPort() == PORT;
        return (p, observations) -> {
            if (!lsdPort || !p.fromInitiator()) {
                return Verdict.NOT_MINE; // announces go to port 6771, and a multicast announce gets no answer
            }
            return read(p, observations) ? Verdict.MINE : Verdict.NOT_MINE;
        };
    }

    /** Reads one BT-SEARCH datagram; false if it is not one. */
    static boolean read(PacketPayload p, ObservationSink observations) {
        int len = p.length();
        if (len < REQUEST_LINE.length || len > MAX_MESSAGE) {
            return false;
        }
        for (int i = 0; i < REQUEST_LINE.length; i++) {
            if (p.bytes()[p.offset() + i] != REQUEST_LINE[i]) {
                return false;
            }
        }
        String text = new String(p.bytes(), p.offset(), len, StandardCharsets.ISO_8859_1);
        boolean any = false;
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Infohash")) {
                String hex = line.substring(colon + 1).trim();
                if (hex.length() == 40 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    byte[] hash = HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
                    observations.observed(true, ContentHash.of(HashKind.BTIH_V1, hash), "lsd", ObservationRole.ANNOUNCING,
                            CONFIDENCE, null);
                    any = true;
                }
            }
        }
        return any;
    }
}
