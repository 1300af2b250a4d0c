package org.swarmwatch.classifier.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.classifier.lists.ListDirectory;
import org.swarmwatch.classifier.lists.ListLimits;
import org.swarmwatch.classifier.lists.ListLoader;
import org.swarmwatch.classifier.lists.SignaturePolicy;
import org.swarmwatch.classifier.lists.TrustedKeys;
import org.swarmwatch.classifier.match.ListCatalog;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.Endpoint;
import org.swarmwatch.events.FlowEndReason;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.events.ProbeRecord;

class IncidentBuilderTest {
    static final String LISTED = "d6c134aa85e608ef5cd9c3b13e050231dc14fb38";
    static final String ALLOWED = "1111111111111111111111111111111111111111";
    static final String V2 = "0e1042f9aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa923";
    static final String ALICE = "sub_00000000000000000000000000000a11", BOB = "sub_00000000000000000000000000000b0b";
    static final Instant T = Instant.parse("2026-11-22T20:07:18Z");

    final ListCatalog catalog = new ListCatalog();

    @BeforeEach
    void lists(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("studio.csv"), """
                hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action
                %s,btih_v1,A Film,Studio A,studio-a,,,incident
                %s,btih_v1,A Linux image,Studio A,studio-a,,,incident
                %s,btih_v2,A v2 Film,Studio A,studio-a,,2026-01-01,incident
                """.formatted(LISTED, ALLOWED, V2));
        Files.writeString(dir.resolve("licensed.csv"), """
                hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action
                %s,btih_v1,A Linux image,Debian,licensed,,,allow
                """.formatted(ALLOWED));
        ListDirectory lists = new ListDirectory(dir, new ListLoader(TrustedKeys.none(), SignaturePolicy.OPTIONAL, ListLimits.DEFAULTS,
                Clock.systemUTC()), Clock.systemUTC());
        lists.addListener(catalog);
        lists.scan();
    }

    static ObservationRecord obs(String who, String hash, HashKind kind, String seenIn, ObservationRole role, Instant t, String flow) {
        return new ObservationRecord("probe-1", AddressMode.PSEUDONYMISED, t, flow, "tcp", "bittorrent", new Endpoint(who, null, 51413, true, 0, 0),
                new Endpoint(BOB, null, 6881, true, 0, 0), new ContentHash(kind, hash), seenIn, role, 0.9, "Transmission 3.00");
    }

    static FlowRecord flow(String id, long aliceBytes, long bobBytes) {
        return new FlowRecord("probe-1", AddressMode.PSEUDONYMISED, id, 0, T, T.plusSeconds(30), FlowEndReason.END_OF_CAPTURE, 4, "tcp", 6,
                "bittorrent", new Endpoint(BOB, null, 6881, true, 10, bobBytes), new Endpoint(ALICE, null, 51413, true, 10, aliceBytes), 0,
                List.of());
    }

    IncidentBuilder builder() {
        return new IncidentBuilder(catalog, IncidentPolicy.DEFAULT, IncidentStore.NONE, 1000, 1000);
    }

    @Test
    void offeringAListedHashMakesOneHighIncidentWithItsEvidence() throws Exception {
        IncidentBuilder b = builder();
        List<ProbeRecord> batch = List.of(obs(ALICE, LISTED, HashKind.BTIH_V1, "http_tracker", ObservationRole.ANNOUNCING, T, "f1"),
                obs(ALICE, LISTED, HashKind.BTIH, "handshake", ObservationRole.OFFERING, T.plusSeconds(40), "f2"), flow("f2", 5_000_000, 2_000));
        IncidentBuilder.Result r = b.apply(batch);
        assertEquals(1, r.changed().size());
        Incident in = r.changed().get(0);
        assertEquals(ALICE, in.subscriber());
        assertEquals(Severity.HIGH, in.severity());
        assertEquals(2, in.observations());
        assertEquals(T, in.firstSeen());
        assertEquals(T.plusSeconds(40), in.lastSeen());
        assertEquals(java.util.Set.of("http_tracker", "handshake"), in.seenIn());
        assertEquals(5_000_000, in.bytesUploaded(), "Alice's side of the transfer flow, not the tracker's");
        assertEquals(2_000, in.bytesDownloaded());
        assertEquals("A Film", in.title());
        assertTrue(in.seederEvidence().contains("pieces_sent_handshake"));
        // the same records again (a replay) change the counts but never make a second incident
        assertEquals(in.id(), b.apply(batch).changed().get(0).id());
    }

    @Test
    void aFlowRecordBeforeItsObservationStillCountsOnce() throws Exception {
        IncidentBuilder b = builder();
        b.apply(List.of(flow("f9", 700, 300)));
        Incident in = b.apply(List.of(obs(ALICE, LISTED, HashKind.BTIH, "handshake", ObservationRole.FETCHING, T, "f9"))).changed().get(0);
        assertEquals(700, in.bytesUploaded());
        assertEquals(Severity.MEDIUM, in.severity(), "fetching: the 700 bytes it sent (handshake, requests) are no upload of the content");
    }

    @Test
    void allowListedUnlistedExpiredLookupsAndOutsideSubscribersMakeNone() throws Exception {
        IncidentBuilder b = builder();
        ObservationRecord outsider = new ObservationRecord("probe-1", AddressMode.PSEUDONYMISED, T, "f1", "tcp", "bittorrent",
                new Endpoint("203.0.113.9", "203.0.113.9", 6881, false, 0, 0), new Endpoint(ALICE, null, 1, true, 0, 0),
                new ContentHash(HashKind.BTIH_V1, LISTED), "handshake", ObservationRole.OFFERING, 0.9, null);
        IncidentBuilder.Result r = b.apply(List.of(obs(ALICE, ALLOWED, HashKind.BTIH_V1, "handshake", ObservationRole.OFFERING, T, "f1"),
                obs(ALICE, "2222222222222222222222222222222222222222", HashKind.BTIH_V1, "handshake", ObservationRole.OFFERING, T, "f1"),
                obs(ALICE, V2, HashKind.BTIH_V2, "metadata", ObservationRole.OFFERING, T, "f1"),
                obs(ALICE, LISTED, HashKind.BTIH, "dht_get_peers", ObservationRole.LOOKING_UP, T, "f1"), outsider));
        assertEquals(List.of(), r.changed());
        assertEquals(1, r.allowed());
        IncidentBuilder lookups = new IncidentBuilder(catalog, new IncidentPolicy(Duration.ofDays(1), true, 0), IncidentStore.NONE, 10, 10);
        Incident in = lookups.apply(List.of(obs(ALICE, LISTED, HashKind.BTIH, "dht_get_peers", ObservationRole.LOOKING_UP, T, "f1")))
                .changed().get(0);
        assertEquals(Severity.INFO, in.severity(), "lookups make incidents only when configured, and then the lowest");
    }

    @Test
    void aTruncatedV2HashMatchesItsFullListEntryWhileValid() throws Exception {
        Instant before = Instant.parse("2025-06-01T00:00:00Z");
        Incident in = builder().apply(List.of(obs(ALICE, V2.substring(0, 40), HashKind.BTIH_V2_TRUNCATED, "handshake",
                ObservationRole.FETCHING, before, "f1"))).changed().get(0);
        assertEquals(V2, in.hash());
        assertEquals("A v2 Film", in.title());
    }

    @Test
    void windowsSplitIncidentsAndARestartedBuilderContinuesFromTheStore() throws Exception {
        Map<String, Incident> stored = new HashMap<>();
        IncidentStore store = ids -> {
            Map<String, Incident> m = new HashMap<>();
            ids.forEach(id -> {
                if (stored.containsKey(id)) {
                    m.put(id, Incident.fromJson(stored.get(id).toJson()));
                }
            });
            return m;
        };
        IncidentBuilder first = new IncidentBuilder(catalog, IncidentPolicy.DEFAULT, store, 10, 10);
        Incident a = first.apply(List.of(obs(ALICE, LISTED, HashKind.BTIH_V1, "http_tracker", ObservationRole.OFFERING, T, "f1"))).changed().get(0);
        stored.put(a.id(), a);
        Incident nextDay = first.apply(List.of(obs(ALICE, LISTED, HashKind.BTIH_V1, "http_tracker", ObservationRole.OFFERING,
                T.plus(Duration.ofDays(1)), "f3"))).changed().get(0);
        assertTrue(!nextDay.id().equals(a.id()), "another day, another incident");
        IncidentBuilder restarted = new IncidentBuilder(catalog, IncidentPolicy.DEFAULT, store, 10, 10);
        Incident again = restarted.apply(List.of(obs(ALICE, LISTED, HashKind.BTIH_V1, "http_tracker", ObservationRole.FETCHING,
                T.plusSeconds(60), "f4"))).changed().get(0);
        assertEquals(a.id(), again.id());
        assertEquals(2, again.observations(), "continued, not overwritten");
        assertEquals(Severity.HIGH, again.severity(), "the strongest role stays");
    }

    @Test
    void aBatchReadAgainAfterACrashIsNotCountedTwice() throws Exception {
        Map<String, Incident> stored = new HashMap<>();
        IncidentStore store = ids -> {
            Map<String, Incident> m = new HashMap<>();
            ids.stream().filter(stored::containsKey).forEach(id -> m.put(id, Incident.fromJson(stored.get(id).toJson())));
            return m;
        };
        List<IncidentBuilder.Sourced> batch = List.of(
                new IncidentBuilder.Sourced(obs(ALICE, LISTED, HashKind.BTIH_V1, "http_tracker", ObservationRole.OFFERING, T, "f1"), "p1", 7),
                new IncidentBuilder.Sourced(obs(ALICE, LISTED, HashKind.BTIH_V1, "http_tracker", ObservationRole.OFFERING, T, "f2"), "p1", 9));
        Incident written = builder(store).applySourced(batch).changed().get(0);
        stored.put(written.id(), written); // written, but the offsets were not committed: the classifier dies
        assertEquals(List.of(), builder(store).applySourced(batch).changed(), "nothing new in a replayed batch");
        IncidentBuilder.Result next = builder(store).applySourced(List.of(
                new IncidentBuilder.Sourced(obs(ALICE, LISTED, HashKind.BTIH_V1, "http_tracker", ObservationRole.OFFERING, T, "f3"), "p1", 12)));
        assertEquals(3, next.changed().get(0).observations());
    }

    IncidentBuilder builder(IncidentStore store) {
        return new IncidentBuilder(catalog, IncidentPolicy.DEFAULT, store, 1000, 1000);
    }
}
