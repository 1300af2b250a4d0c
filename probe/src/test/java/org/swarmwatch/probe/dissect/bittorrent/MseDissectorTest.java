package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.dissect.TestFlow;
import org.swarmwatch.probe.dissect.FlowDissection;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;

/** MSE/PE recognised by the shape of its key exchange, through the registry (the dissector needs the stream prefixes). */
class MseDissectorTest {
    final ObservationSink none = (fi, h, s, r, c, cl) -> { };
    final Random random = new Random(17);

    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        b[0] = (byte) 0x8a; // not a TLS, text or handshake start by accident
        return b;
    }

    String verdict(byte[] initiator, byte[] responder) {
        DissectorRegistry reg = new DissectorRegistry(List.of(new MseDissector()));
        PacketPayload p = new PacketPayload();
        p.set(initiator, 0, initiator.length, initiator.length, true, 0x18, 1000, 0);
        FlowDissection d = reg.offer(TestFlow.tcp(40000, 6881), null, p, none);
        if (d.finished()) {
            return d.protocol();
        }
        p.set(responder, 0, responder.length, responder.length, false, 0x18, 5000, 0);
        d = reg.offer(TestFlow.tcp(40000, 6881), d, p, none);
        return d.protocol() == null ? "undecided" : d.protocol();
    }

    @Test
    void aKeyExchangeOfRandomBurstsIsMse() {
        assertEquals("bittorrent", verdict(randomBytes(96), randomBytes(96 + 300)));
        assertEquals("bittorrent", verdict(randomBytes(608), randomBytes(150)));
    }

    @Test
    void thingsThatAreNot() {
        assertEquals("unknown", verdict(randomBytes(700), randomBytes(200)), "more than a key and the longest padding");
        byte[] tls = randomBytes(300);
        tls[0] = 0x17;
        tls[1] = 3;
        assertEquals("unknown", verdict(tls, randomBytes(200)), "TLS application data");
        byte[] text = ("SSH-2.0-OpenSSH_9.2 " + "x".repeat(200)).getBytes(StandardCharsets.US_ASCII);
        assertEquals("unknown", verdict(text, randomBytes(200)));
        assertEquals("unknown", verdict(new byte[300], randomBytes(200)), "zeros are not random");
        assertEquals("unknown", verdict(randomBytes(307), randomBytes(210)), "Ethereum RLPx auth and ack");
        byte[] eip8 = randomBytes(400);
        eip8[0] = 0x01;
        eip8[1] = (byte) 0x8e; // 398: the rest of the message
        assertEquals("unknown", verdict(eip8, randomBytes(200)), "Ethereum RLPx EIP-8 auth");
        assertEquals("unknown", verdict(randomBytes(200), "HTTP/1.1 200 OK\r\n".repeat(10).getBytes(StandardCharsets.US_ASCII)));
    }
}
