package org.swarmwatch.classifier.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.events.HashKind;

/** Loading a directory, reloading what changed, keeping the old version when the new one is rejected. */
class ListDirectoryTest {
    static final String HEADER = ListFormatTest.HEADER;
    static final String V1 = ListFormatTest.V1;
    static final String V2 = ListFormatTest.V2;

    @TempDir
    Path root;
    Path lists;
    TestKeys acme = new TestKeys();
    ListDirectory directory;
    final List<Object> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        lists = Files.createDirectories(root.resolve("lists"));
        acme.writePublic(root.resolve("keys"), "acme.pem");
        ListLoader loader = new ListLoader(TrustedKeys.fromDirectory(root.resolve("keys")), SignaturePolicy.REQUIRED,
                ListLimits.DEFAULTS, Clock.systemUTC());
        directory = new ListDirectory(lists, loader, Clock.systemUTC());
        directory.addListener(new ListListener() {
            @Override
            public void loaded(ListVersion version) {
                events.add(version);
            }

            @Override
            public void rejected(ListRejection rejection) {
                events.add(rejection);
            }

            @Override
            public void removed(ListRemoval removal) {
                events.add(removal);
            }

            @Override
            public void activeChanged(ActiveLists active) {
                events.add(active);
            }
        });
    }

    /** Writes a list and its signature the way the docs say: each to a hidden name, then renamed. */
    Path publish(String name, String content, boolean sign) throws Exception {
        Path tmp = Files.writeString(lists.resolve("." + name + ".tmp"), content);
        if (sign) {
            acme.signFile(tmp);
            Files.move(ListLoader.signatureFile(tmp), lists.resolve(name + ".sig"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        return Files.move(tmp, lists.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    static String row(String hash, String kind, String title, String listId, String action) {
        return hash + "," + kind + "," + title + ",Acme," + listId + ",,," + action + "\n";
    }

    @Test
    void loadsEveryListAndNumbersTheirEntries() throws Exception {
        publish("b.csv", HEADER + row(V1, "btih_v1", "B1", "list-b", "incident") + row(V2, "btih_v2", "B2", "list-b",
                "incident"), true);
        publish("a.json", """
                {"format":"swarmwatch-rights-list","version":1,"list_id":"list-a","entries":[
                 {"hash":"%s","hash_kind":"btih","title":"Debian","rights_holder":"Debian","action":"allow"}]}
                """.formatted(V1.replace('0', 'e')), true);
        ActiveLists active = directory.scan();
        assertEquals(3, active.entryCount());
        assertEquals(List.of("list-a", "list-b"), active.versions().stream().map(ListVersion::listId).toList());

        List<String> seen = new ArrayList<>();
        active.forEachEntry((hash, kind, ordinal) -> seen.add(ordinal + ":" + kind.wireName() + ":"
                + HexFormat.of().formatHex(hash)));
        assertEquals(List.of("0:btih:" + V1.replace('0', 'e'), "1:btih_v1:" + V1, "2:btih_v2:" + V2), seen);
        assertEquals(ListAction.ALLOW, active.action(0));
        assertEquals("Debian", active.entry(0).title());
        assertEquals("B2", active.entry(2).title());
        assertEquals(HashKind.BTIH_V2, active.entry(2).kind());
        assertEquals("list-b", active.versionOf(1).listId());
        assertTrue(active.validAt(1, Instant.now()));
        assertEquals(2, directory.versions().size());
    }

    @Test
    void aNewValidVersionReplacesTheOld() throws Exception {
        publish("acme.csv", HEADER + row(V1, "btih_v1", "Old", "acme", "incident"), true);
        directory.scan();
        String oldSha = directory.active().versions().get(0).sha256();
        publish("acme.csv", HEADER + row(V1, "btih_v1", "New", "acme", "incident")
                + row(V2, "btih_v2", "Added", "acme", "incident"), true);
        events.clear();
        ActiveLists active = directory.scan();
        assertEquals(2, active.entryCount());
        assertEquals("New", active.entry(0).title());
        ListVersion v = active.versions().get(0);
        assertNotEquals(oldSha, v.sha256());
        assertEquals(List.of(v, active), events);
        assertEquals(2, directory.versions().size());
    }

    @Test
    void anInvalidNewVersionIsRejectedAndTheOldStaysActive() throws Exception {
        publish("acme.csv", HEADER + row(V1, "btih_v1", "Old", "acme", "incident"), true);
        ActiveLists before = directory.scan();
        events.clear();

        publish("acme.csv", HEADER + row(V1, "btih_v1", "Old", "acme", "incident") + row("xx", "btih_v1", "Bad",
                "acme", "incident"), true);
        assertEquals(before, directory.scan());
        ListRejection r = (ListRejection) events.get(0);
        assertEquals("acme.csv", r.file());
        assertEquals("acme.csv line 3, field hash (column 1): 2 hex digits, btih_v1 needs 40", r.reason());
        assertEquals(1, events.size(), "no activeChanged");

        // a changed file with the old signature: rejected too, and not retried until something changes
        events.clear();
        Files.writeString(lists.resolve("acme.csv"), HEADER + row(V1, "btih_v1", "Tampered", "acme", "incident"));
        directory.scan();
        directory.scan();
        assertEquals(1, events.size());
        assertTrue(((ListRejection) events.get(0)).reason().contains("bad signature"));
        assertEquals("Old", directory.active().entry(0).title());
        assertEquals(2, directory.rejections().size());

        // unsigned: same
        Files.delete(lists.resolve("acme.csv.sig"));
        directory.scan();
        assertEquals("Old", directory.active().entry(0).title());

        // a correct version then loads
        publish("acme.csv", HEADER + row(V1, "btih_v1", "Fixed", "acme", "incident"), true);
        assertEquals("Fixed", directory.scan().entry(0).title());
    }

    @Test
    void aRemovedFileRemovesItsList() throws Exception {
        publish("acme.csv", HEADER + row(V1, "btih_v1", "T", "acme", "incident"), true);
        publish("other.csv", HEADER + row(V2, "btih_v2", "T", "other", "incident"), true);
        directory.scan();
        events.clear();
        Files.delete(lists.resolve("acme.csv"));
        ActiveLists active = directory.scan();
        assertEquals(List.of("other"), active.versions().stream().map(ListVersion::listId).toList());
        ListRemoval removal = (ListRemoval) events.get(0);
        assertEquals("acme.csv", removal.file());
        assertEquals("acme", removal.listId());
        assertEquals(active, events.get(1));
    }

    @Test
    void aSecondFileWithTheSameListIdIsRejected() throws Exception {
        publish("acme.csv", HEADER + row(V1, "btih_v1", "T", "acme", "incident"), true);
        publish("zz-copy.csv", HEADER + row(V2, "btih_v2", "T", "acme", "incident"), true);
        directory.scan();
        assertEquals(1, directory.active().versions().size());
        assertEquals(List.of("zz-copy.csv: list_id 'acme' is already loaded from acme.csv; a list lives in one file"),
                directory.rejections().stream().map(ListRejection::reason).toList());
    }

    @Test
    void rewritingTheSameBytesMakesNoNewVersion() throws Exception {
        Path f = publish("acme.csv", HEADER + row(V1, "btih_v1", "T", "acme", "incident"), true);
        directory.scan();
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        events.clear();
        directory.scan();
        assertEquals(List.of(), events);
        assertEquals(1, directory.versions().size());
    }

    @Test
    void thePollingThreadPicksUpChanges() throws Exception {
        publish("acme.csv", HEADER + row(V1, "btih_v1", "Old", "acme", "incident"), true);
        directory.start(Duration.ofMillis(50));
        try {
            assertEquals("Old", directory.active().entry(0).title());
            publish("acme.csv", HEADER + row(V1, "btih_v1", "New", "acme", "incident"), true);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!"New".equals(directory.active().entry(0).title()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals("New", directory.active().entry(0).title());
        } finally {
            directory.close();
        }
        assertFalse(directory.versions().isEmpty());
    }
}
