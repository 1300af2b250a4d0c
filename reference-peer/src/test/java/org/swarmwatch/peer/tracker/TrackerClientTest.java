package org.swarmwatch.peer.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.swarmwatch.peer.tracker.Announce.Event;

class TrackerClientTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void compactAndDictionaryPeerListsAreRead() throws IOException {
        Announce.Response r = TrackerClient.parse(b("d8:intervali5e5:peers12:\u007f\u0000\u0000\u0001\u001a\u00e1\n\u0001\u0002\u0003\u0000\u0050e"));
        assertEquals(5, r.interval());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881), new InetSocketAddress("10.1.2.3", 80)), r.peers());
        Announce.Response d = TrackerClient.parse(b("d5:peersld2:ip9:127.0.0.24:porti99eed2:ip11:example.org4:porti1eeee"));
        assertEquals(List.of(new InetSocketAddress("127.0.0.2", 99)), d.peers(), "a host name is never looked up");
        IOException f = assertThrows(IOException.class, () -> TrackerClient.parse(b("d14:failure reason4:nopee")));
        assertTrue(f.getMessage().contains("nope"));
        assertThrows(IOException.class, () -> TrackerClient.parse(b("d5:peers5:abcdee")));
    }

    @Test
    void theLocalTrackerTellsEachPeerAboutTheOthersAndForgetsTheStopped() throws IOException {
        try (LocalTracker t = LocalTracker.start()) {
            TrackerClient c = new TrackerClient(Duration.ofSeconds(5), InetAddress::isLoopbackAddress);
            byte[] hash = new byte[20];
            hash[3] = '%'; // bytes that must be percent-encoded
            hash[4] = (byte) 0xff;
            byte[] a = b("-SW0001-aaaaaaaaaaaa"), z = b("-SW0001-zzzzzzzzzzzz");
            assertEquals(List.of(), c.announce(t.announceUrl(), new Announce.Request(hash, a, 7001, 0, 0, 0, Event.STARTED, 50)).peers());
            Announce.Response r = c.announce(t.announceUrl(), new Announce.Request(hash, z, 7002, 0, 0, 10, Event.STARTED, 50));
            assertEquals(List.of(new InetSocketAddress("127.0.0.1", 7001)), r.peers());
            c.announce(t.announceUrl(), new Announce.Request(hash, a, 7001, 0, 0, 0, Event.STOPPED, 50));
            assertEquals(1, t.peers(hash));
            assertEquals(List.of("started", "started", "stopped"), t.seen().stream().map(LocalTracker.Seen::event).toList());
        }
    }

    @Test
    void aTrackerOutsideTheAllowedAddressesIsNeverContacted() {
        TrackerClient c = new TrackerClient(Duration.ofSeconds(1), InetAddress::isLoopbackAddress);
        IOException e = assertThrows(IOException.class, () -> c.announce("http://192.0.2.1:6969/announce",
                new Announce.Request(new byte[20], new byte[20], 1, 0, 0, 0, Event.STARTED, 1)));
        assertTrue(e.getMessage().contains("refusing"), e.getMessage());
    }
}
