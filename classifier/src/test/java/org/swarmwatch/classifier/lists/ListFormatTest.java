package org.swarmwatch.classifier.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmwatch.events.HashKind;

/** Both list formats, their field rules, and the error every kind of malformed file gives. */
class ListFormatTest {
    static final String HEADER = "hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action\n";
    static final String V1 = "0123456789abcdef0123456789abcdef01234567";
    static final String V2 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private final ListLoader unsigned = new ListLoader(TrustedKeys.none(), SignaturePolicy.OPTIONAL,
            new ListLimits(1 << 20, 100), Clock.systemUTC());

    ListLoader.Loaded load(String name, String content) throws Exception {
        return unsigned.load(Files.writeString(dir.resolve(name), content));
    }

    @Test
    void csvWithQuotingCrlfBomAndUppercaseHex() throws Exception {
        String csv = "\uFEFF" + HEADER.replace("\n", "\r\n")
                + V1.toUpperCase() + ",btih_v1,\"Film, The \"\"Director's cut\"\"\",Acme Pictures,acme-2024,,,incident\r\n"
                + V2 + ",btih_v2,Ünïcödé Album,Acme Pictures,acme-2024,2024-01-01,2024-12-31,incident\r\n"
                + "\r\n"
                + V1.replace('0', 'f') + ",btih,Debian 12 netinst,Debian,acme-2024,,,allow\r\n";
        ListLoader.Loaded loaded = load("acme.csv", csv);
        RightsList list = loaded.list();
        assertEquals("acme-2024", list.listId());
        assertEquals(3, list.size());
        ListEntry first = list.entry(0);
        assertEquals(V1, first.hash());
        assertEquals(HashKind.BTIH_V1, first.kind());
        assertEquals("Film, The \"Director's cut\"", first.title());
        assertEquals("Acme Pictures", first.rightsHolder());
        assertEquals(ListAction.INCIDENT, first.action());
        assertNull(first.validFrom());
        assertEquals("Ünïcödé Album", list.title(1));
        assertEquals(HashKind.BTIH_V2, list.kind(1));
        assertEquals(ListAction.ALLOW, list.action(2));
        assertEquals(HashKind.BTIH, list.kind(2));

        ListVersion v = loaded.version();
        assertEquals(ListFormat.CSV, v.format());
        assertEquals(3, v.entryCount());
        assertEquals(2, v.incidentEntries());
        assertEquals(1, v.allowEntries());
        assertNull(v.signer());
        assertEquals(Files.size(dir.resolve("acme.csv")), v.fileBytes());
        assertEquals(sha256(dir.resolve("acme.csv")), v.sha256());
    }

    @Test
    void csvColumnsInAnyOrderAndQuotedLineBreaksCountLines() throws Exception {
        String csv = "list_id,action,hash,hash_kind,title,rights_holder,valid_from,valid_until\n"
                + "l1,incident," + V1 + ",btih_v1,A,H,,\n"
                + "l1,incident,\"" + V2 + "\",btih_v2,B,\"H\",,\n"
                + "l1,incident,xyz,btih_v1,C,H,,\n";
        ListFileException e = assertThrows(ListFileException.class, () -> load("l1.csv", csv));
        assertEquals(4, e.line());
        assertEquals("hash (column 3)", e.field());
    }

    @Test
    void jsonWithMetadataAndEntries() throws Exception {
        String json = """
                {
                  "format": "swarmwatch-rights-list",
                  "version": 1,
                  "list_id": "uni-open-data",
                  "description": "Open data sets the university seeds",
                  "entries": [
                    {"hash": "%s", "hash_kind": "btih_v2_truncated", "title": "Climate data 2023",
                     "rights_holder": "University", "valid_from": "2024-03-01T10:00:00+01:00", "valid_until": null,
                     "action": "allow"},
                    {"hash": "%s", "hash_kind": "btih_v2", "title": "Lecture videos",
                     "rights_holder": "University", "list_id": "uni-open-data", "action": "incident"}
                  ]
                }
                """.formatted(V1.toUpperCase(), V2);
        ListLoader.Loaded loaded = load("uni.json", json);
        assertEquals("uni-open-data", loaded.list().listId());
        assertEquals(2, loaded.list().size());
        assertEquals("Open data sets the university seeds", loaded.version().description());
        ListEntry e = loaded.list().entry(0);
        assertEquals(V1, e.hash());
        assertEquals(HashKind.BTIH_V2_TRUNCATED, e.kind());
        assertEquals(ListAction.ALLOW, e.action());
        assertEquals(Instant.parse("2024-03-01T09:00:00Z"), e.validFrom());
        assertNull(e.validUntil());
        assertEquals(ListFormat.JSON, loaded.version().format());
    }

    @Test
    void validityWindows() throws Exception {
        String csv = HEADER
                + V1 + ",btih_v1,Days,H,w,2024-01-01,2024-01-31,incident\n"
                + V2 + ",btih_v2,Instants,H,w,2024-01-01T00:00:00Z,2024-01-01T12:00:00Z,incident\n";
        RightsList l = load("w.csv", csv).list();
        ListEntry days = l.entry(0);
        assertFalse(days.validAt(Instant.parse("2023-12-31T23:59:59Z")));
        assertTrue(days.validAt(Instant.parse("2024-01-01T00:00:00Z")));
        assertTrue(days.validAt(Instant.parse("2024-01-31T23:59:59Z")), "a date until includes its whole day");
        assertFalse(days.validAt(Instant.parse("2024-02-01T00:00:00Z")));
        assertTrue(l.validAt(1, Instant.parse("2024-01-01T11:59:59Z").toEpochMilli()));
        assertFalse(l.validAt(1, Instant.parse("2024-01-01T12:00:00Z").toEpochMilli()), "an instant until is exclusive");
    }

    @Test
    void identicalDuplicateRowsAreDroppedAndCounted() throws Exception {
        String row = V1 + ",btih_v1,A,H,d,,,incident\n";
        ListLoader.Loaded loaded = load("d.csv", HEADER + row + row + row.toUpperCase().replace("BTIH_V1,A,H,D,,,INCIDENT",
                "btih_v1,A,H,d,,,incident"));
        assertEquals(1, loaded.list().size());
        assertEquals(2, loaded.version().duplicateRows());
    }

    @Test
    void sameHashUnderAnotherKindIsAnotherEntry() throws Exception {
        ListLoader.Loaded loaded = load("k.csv", HEADER + V1 + ",btih_v1,A,H,k,,,incident\n"
                + V1 + ",btih,A,H,k,,,incident\n");
        assertEquals(2, loaded.list().size());
    }

    static Stream<Arguments> malformed() {
        String ok = V1 + ",btih_v1,Title,Holder,l1,,,incident\n";
        return Stream.of(
                Arguments.of("bad hex", HEADER + ok + V1.replace('a', 'g') + ",btih_v1,T,H,l1,,,incident\n",
                        "x.csv line 3, field hash (column 1): 'g' at position 11 is not a hex digit"),
                Arguments.of("hash too short", HEADER + V1.substring(1) + ",btih_v1,T,H,l1,,,incident\n",
                        "x.csv line 2, field hash (column 1): 39 hex digits, btih_v1 needs 40"),
                Arguments.of("v1 length under btih_v2", HEADER + V1 + ",btih_v2,T,H,l1,,,incident\n",
                        "line 2, field hash (column 1): 40 hex digits, btih_v2 needs 64"),
                Arguments.of("unknown kind", HEADER + V1 + ",ed2k,T,H,l1,,,incident\n",
                        "line 2, field hash_kind (column 2): unknown hash kind 'ed2k'"),
                Arguments.of("unknown action", HEADER + V1 + ",btih_v1,T,H,l1,,,block\n",
                        "line 2, field action (column 8): unknown action 'block' (expected incident, allow)"),
                Arguments.of("missing column", "hash,hash_kind,title,list_id,valid_from,valid_until,action\n",
                        "x.csv line 1: header lacks column(s) rights_holder"),
                Arguments.of("unknown column", HEADER.replace("title", "titel"),
                        "x.csv line 1, field column 3: unknown column 'titel'"),
                Arguments.of("duplicate column", HEADER.replace("\n", ",title\n"),
                        "line 1, field column 9: column 'title' appears twice"),
                Arguments.of("no header", "", "x.csv: empty: a CSV list starts with the header row"),
                Arguments.of("no rows", HEADER, "x.csv: no entries, so no list_id"),
                Arguments.of("too few fields", HEADER + ok + V1 + ",btih_v1,T,H,l1,,incident\n",
                        "x.csv line 3: 7 fields, the header has 8"),
                Arguments.of("inconsistent list id", HEADER + ok + V2 + ",btih_v2,T,H,l2,,,incident\n",
                        "line 3, field list_id (column 5): 'l2' differs from 'l1' (line 2)"),
                Arguments.of("conflicting duplicate", HEADER + ok + "\n" + V1 + ",btih_v1,Other title,Holder,l1,,,incident\n",
                        "line 4, field hash (column 1): already listed on line 2 with a different title"),
                Arguments.of("conflicting action", HEADER + ok + V1 + ",btih_v1,Title,Holder,l1,,,allow\n",
                        "line 3, field hash (column 1): already listed on line 2 with a different action"),
                Arguments.of("until before from", HEADER + V1 + ",btih_v1,T,H,l1,2024-02-01,2024-01-01,incident\n",
                        "line 2, field valid_until (column 7): '2024-01-01' is not after valid_from '2024-02-01'"),
                Arguments.of("bad date", HEADER + V1 + ",btih_v1,T,H,l1,2024-13-01,,incident\n",
                        "line 2, field valid_from (column 6): '2024-13-01' is neither an ISO-8601 date"),
                Arguments.of("instant without zone", HEADER + V1 + ",btih_v1,T,H,l1,2024-01-01T10:00:00,,incident\n",
                        "line 2, field valid_from (column 6): '2024-01-01T10:00:00' is neither"),
                Arguments.of("empty title", HEADER + V1 + ",btih_v1,,H,l1,,,incident\n",
                        "line 2, field title (column 3): empty"),
                Arguments.of("control character", HEADER + V1 + ",btih_v1,\"Two\nlines\",H,l1,,,incident\n",
                        "line 2, field title (column 3): control character U+000A at position 4"),
                Arguments.of("field too long", HEADER + V1 + ",btih_v1," + "t".repeat(101) + ",H,l1,,,incident\n",
                        "x.csv line 2, field column 3: longer than the limit of 100 characters"),
                Arguments.of("quote inside unquoted field", HEADER + V1 + ",btih_v1,The \"Film\",H,l1,,,incident\n",
                        "x.csv line 2, field column 3: a quote inside an unquoted field"),
                Arguments.of("text after closing quote", HEADER + V1 + ",btih_v1,\"The\" Film,H,l1,,,incident\n",
                        "x.csv line 2, field column 3: ' ' after the closing quote"),
                Arguments.of("unclosed quote", HEADER + ok + V1 + ",btih_v1,\"The Film,H,l1,,,incident\n",
                        "x.csv line 3, field column 3: quoted field is not closed before the end of the file"),
                Arguments.of("too many fields", HEADER + V1 + ",btih_v1,T,H,l1,,,incident" + ",".repeat(20) + "\n",
                        "x.csv line 2: more than 16 fields"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedCsvNamesFileLineAndField(String what, String content, String expected) throws IOException {
        ListFileException e = assertThrows(ListFileException.class, () -> load("x.csv", content));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void invalidUtf8() throws IOException {
        byte[] bad = (HEADER + V1 + ",btih_v1,T\u00e9,H,l1,,,incident\n").getBytes(StandardCharsets.ISO_8859_1);
        Path f = Files.write(dir.resolve("x.csv"), bad);
        ListFileException e = assertThrows(ListFileException.class, () -> unsigned.load(f));
        assertTrue(e.getMessage().startsWith("x.csv line "), e.getMessage());
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void fileLargerThanTheLimit() throws IOException {
        ListLoader small = new ListLoader(TrustedKeys.none(), SignaturePolicy.OPTIONAL, new ListLimits(100, 100),
                Clock.systemUTC());
        Path f = Files.writeString(dir.resolve("x.csv"), HEADER + V1 + ",btih_v1,T,H,l1,,,incident\n");
        ListFileException e = assertThrows(ListFileException.class, () -> small.load(f));
        assertTrue(e.getMessage().matches("x\\.csv: \\d+ bytes, more than the limit of 100"), e.getMessage());
    }

    static Stream<Arguments> malformedJson() {
        String head = "{\"format\":\"swarmwatch-rights-list\",\"version\":1,\"list_id\":\"j\",\"entries\":[\n";
        String entry = "{\"hash\":\"" + V1 + "\",\"hash_kind\":\"btih_v1\",\"title\":\"T\",\"rights_holder\":\"H\","
                + "\"action\":\"incident\"}";
        return Stream.of(
                Arguments.of("bad hex", head + entry + ",\n" + entry.replace(V1, V1.replace('1', 'z')) + "]}",
                        "x.json line 3, field hash: 'z' at position 2 is not a hex digit"),
                Arguments.of("other list id", head + entry.replace("{\"hash\"", "{\"list_id\":\"k\",\"hash\"") + "]}",
                        "x.json line 2, field list_id: 'k' differs from 'j' (line 1)"),
                Arguments.of("unknown entry key", head + entry.replace("\"title\"", "\"name\"") + "]}",
                        "x.json line 2, field name: unknown key in an entry"),
                Arguments.of("missing field", head + entry.replace(",\"title\":\"T\"", "") + "]}",
                        "x.json line 2, field title: missing"),
                Arguments.of("number instead of string", head + entry.replace("\"T\"", "42") + "]}",
                        "x.json line 2, field title: must be a string"),
                Arguments.of("entries before list_id",
                        "{\"format\":\"swarmwatch-rights-list\",\"version\":1,\"entries\":[" + entry + "],\"list_id\":\"j\"}",
                        "x.json line 1, field entries: format, version and list_id must come before entries"),
                Arguments.of("wrong format", head.replace("swarmwatch-rights-list", "csv") + "]}",
                        "x.json line 1, field format: 'csv', expected 'swarmwatch-rights-list'"),
                Arguments.of("newer version", head.replace("\"version\":1", "\"version\":2") + "]}",
                        "x.json line 1, field version: '2', this reader knows version 1"),
                Arguments.of("not json", head + entry + ",\n{\"hash\":}]}", "x.json line 3: not valid JSON"),
                Arguments.of("duplicate key", head + entry.replace("{\"hash\"", "{\"title\":\"X\",\"hash\"") + "]}",
                        "x.json line 2: not valid JSON: Duplicate field 'title'"),
                Arguments.of("truncated", head + entry, "x.json line 2: not valid JSON"),
                Arguments.of("not an object", "[]", "x.json line 1: a JSON list is an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedJson")
    void malformedJsonNamesFileLineAndField(String what, String content, String expected) {
        ListFileException e = assertThrows(ListFileException.class, () -> load("x.json", content));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void emptyJsonListLoads() throws Exception {
        ListLoader.Loaded loaded = load("e.json",
                "{\"format\":\"swarmwatch-rights-list\",\"version\":1,\"list_id\":\"e\",\"entries\":[]}");
        assertEquals(0, loaded.list().size());
        assertEquals("e", loaded.version().listId());
    }

    static String sha256(Path f) throws Exception {
        return java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
