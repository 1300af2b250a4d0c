package org.swarmwatch.probe.dissect;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRole;

/** An observation sink for dissector tests: keeps what it is told, as readable lines. */
public final class RecordingSink implements ObservationSink {
    /** "initiator|responder seenIn kind role hash-prefix client". */
    public final List<String> observations = new ArrayList<>();
    /** "member initiator|responder port hash-prefix[ fetching]", "peers to-initiator|to-responder count hash-prefix", "kind hash-prefix kind". */
    public final List<String> facts = new ArrayList<>();
    public final List<ContentHash> hashes = new ArrayList<>();
    /** What {@link #swarmOfFlow} answers. */
    public SwarmAttribution attribution;

    private static String side(boolean initiator) {
        return initiator ? "initiator" : "responder";
    }

    private static String shortHex(byte[] hash) {
        return HexFormat.of().formatHex(hash, 0, 3);
    }

    @Override
    public void observed(boolean fromInitiator, ContentHash hash, String seenIn, ObservationRole role, double confidence, String client) {
        hashes.add(hash);
        observations.add(side(fromInitiator) + " " + seenIn + " " + hash.kind().wireName() + " " + role.wireName() + " "
                + hash.hex().substring(0, 6) + " " + client);
    }

    @Override
    public void swarmMember(boolean initiatorSide, int listenPort, byte[] infoHash) {
        facts.add("member " + side(initiatorSide) + " " + listenPort + " " + shortHex(infoHash));
    }

    @Override
    public void swarmMember(boolean initiatorSide, int listenPort, byte[] infoHash, boolean fetching) {
        facts.add("member " + side(initiatorSide) + " " + listenPort + " " + shortHex(infoHash) + (fetching ? " fetching" : ""));
    }

    @Override
    public void swarmPeers(boolean toInitiator, byte[] infoHash, byte[] compact, int offset, int length, boolean ipv6) {
        facts.add("peers to-" + side(toInitiator) + " " + length / (ipv6 ? 18 : 6) + (ipv6 ? " ipv6 " : " ipv4 ") + shortHex(infoHash));
    }

    @Override
    public SwarmAttribution swarmOfFlow() {
        return attribution;
    }

    @Override
    public void hashKindProven(byte[] infoHash, HashKind kind) {
        facts.add("kind " + shortHex(infoHash) + " " + kind.wireName());
    }
}
