package org.swarmwatch.probe.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.FlowDissection;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;

/**
 * Every dissector through the seam the pipeline uses ({@link DissectorRegistry}), on flows the
 * fuzzer makes (seeded with the flows of ../shared's captures, see {@link FuzzSeedsTest}). The
 * contract: no dissector throws (the registry would catch it and count a failure: that count must
 * stay 0), observations are well-formed, swarm facts name real hashes, and the stream-prefix memory
 * is all given back when the flow ends.
 */
class DissectorsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void registryNeverFailsAndGivesBackItsMemory(byte[] data) {
        FlowInput in = FlowInput.decode(data);
        DissectorRegistry registry = DissectorRegistry.standard();
        FlowContext flow = new FlowContext() {
            @Override
            public long id() {
                return 1;
            }

            @Override
            public int ipVersion() {
                return 4;
            }

            @Override
            public int ianaProtocol() {
                return in.tcp() ? 6 : 17;
            }

            @Override
            public boolean startCaptured() {
                return in.startCaptured();
            }

            @Override
            public int sourcePort() {
                return in.sourcePort();
            }

            @Override
            public int destinationPort() {
                return in.destinationPort();
            }
        };
        ObservationSink sink = new CheckingSink();
        PacketPayload payload = new PacketPayload();
        FlowDissection state = null;
        long[] seq = {1000, 5000};
        for (FlowInput.Payload p : in.payloads()) {
            int d = p.fromInitiator() ? 0 : 1;
            payload.set(p.bytes(), 0, p.bytes().length, p.bytes().length, p.fromInitiator(), 0x18, seq[d], 0);
            seq[d] = (seq[d] + p.bytes().length) & 0xFFFFFFFFL;
            state = registry.offer(flow, state, payload, sink);
            if (state.finished()) {
                break;
            }
        }
        registry.end(state, sink);
        if (registry.failures() > 0) {
            throw new AssertionError("a dissector threw", registry.lastFailure());
        }
        assertEquals(0, registry.prefixBytesReserved(), "stream prefixes not given back");
    }

    /** Checks what dissectors report, as the pipeline's sink would take it. */
    static final class CheckingSink implements ObservationSink {
        @Override
        public void observed(boolean fromInitiator, ContentHash hash, String seenIn, ObservationRole role, double confidence, String client) {
            assertTrue(hash != null && role != null && seenIn != null && seenIn.matches("[a-z0-9_]+"), () -> "seen in " + seenIn);
            assertTrue(confidence > 0 && confidence <= 1, () -> "confidence " + confidence);
            assertTrue(client == null || client.length() <= 128, () -> "client name of " + client.length() + " characters");
        }

        @Override
        public void swarmMember(boolean initiatorSide, int listenPort, byte[] infoHash) {
            assertEquals(20, infoHash.length);
            assertTrue(listenPort >= 0 && listenPort <= 0xffff, () -> "port " + listenPort);
        }

        @Override
        public void swarmPeers(boolean toInitiator, byte[] infoHash, byte[] compact, int offset, int length, boolean ipv6) {
            assertEquals(20, infoHash.length);
            assertTrue(offset >= 0 && length >= 0 && offset + length <= compact.length);
        }
    }
}
