package org.swarmwatch.probe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Captures that are broken in every way a user can hand us: a clear message, no stack trace, the rest processed. */
class BadInputTest {
    static final Path SHARED = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared").normalize();
    static final Path GOOD = SHARED.resolve("pcaps/p2p/bittorrent.pcap");

    @TempDir
    Path dir;

    private CommandRun replay(Path... files) {
        String[] args = new String[files.length + 4];
        args[0] = "replay";
        args[1] = "--quiet";
        args[2] = "--out";
        args[3] = dir.resolve("out.jsonl").toString();
        for (int i = 0; i < files.length; i++) {
            args[4 + i] = files[i].toString();
        }
        return CommandRun.run(args);
    }

    private static void assertNoStackTrace(CommandRun r) {
        assertFalse(r.stderr().contains("\tat "), r.stderr());
        assertFalse(r.stderr().contains("Exception"), r.stderr());
    }

    @Test
    void emptyFile() throws Exception {
        Path f = Files.createFile(dir.resolve("empty.pcap"));
        CommandRun r = replay(f, GOOD);
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains(f + ": empty file (0 bytes), not a capture"), r.stderr());
        assertNoStackTrace(r);
        // the good file after it was still processed
        assertEquals(24, Records.read(dir.resolve("out.jsonl")).flowsOf("bittorrent.pcap").size());
    }

    @Test
    void wrongMagic() throws Exception {
        Path f = dir.resolve("text.pcap");
        Files.writeString(f, "this is not a capture file at all, just text\n");
        CommandRun r = replay(f);
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains(f + ": not a pcap or pcapng capture (byte offset 0: magic 0x74686973)"), r.stderr());
        assertNoStackTrace(r);
    }

    @Test
    void truncatedFileHeader() throws Exception {
        Path f = dir.resolve("short.pcap");
        Files.write(f, Arrays.copyOf(Files.readAllBytes(GOOD), 10));
        CommandRun r = replay(f);
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("pcap file header truncated at byte offset 10"), r.stderr());
    }

    @Test
    void truncatedInTheMiddleOfAPacketKeepsWhatCameBefore() throws Exception {
        byte[] all = Files.readAllBytes(GOOD);
        Path f = dir.resolve("cut.pcap");
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        CommandRun r = replay(f);
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(r.stderr().matches("(?s).*cut\\.pcap: read error after packet \\d+ \\(byte offset \\d+\\): .*truncated.*"), r.stderr());
        assertNoStackTrace(r);
        Records out = Records.read(dir.resolve("out.jsonl"));
        assertTrue(out.flows().size() > 0, "flows before the cut are written");
        assertEquals(1, out.stats().size());
    }

    @Test
    void unsupportedLinkType() throws Exception {
        Path f = dir.resolve("usb.pcap");
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(189); // DLT_USB_LINUX_MMAPPED... 189
        b.putInt(1).putInt(0).putInt(4).putInt(4).putInt(0xdeadbeef);
        Files.write(f, b.array());
        CommandRun r = replay(f);
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains(f + ": link type 189"), r.stderr());
        assertTrue(r.stderr().contains("is not supported"), r.stderr());
    }

    @Test
    void absurdRecordLengthIsAClearError() throws Exception {
        Path f = dir.resolve("absurd.pcap");
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt(1).putInt(0).putInt(0x7fffffff).putInt(0x7fffffff).putLong(0);
        Files.write(f, b.array());
        CommandRun r = replay(f);
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains(f + ": read error after packet 0 (byte offset 24)"), r.stderr());
        assertNoStackTrace(r);
    }

    @Test
    void missingFileAndDirectory() {
        CommandRun r = replay(dir.resolve("nope.pcap"), dir);
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("nope.pcap: no such file"), r.stderr());
        assertTrue(r.stderr().contains(dir + ": not a regular file"), r.stderr());
    }

    @Test
    void badOptionsAreUsageErrors() {
        CommandRun r = CommandRun.run("replay", "--speed", "fast", GOOD.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("speed 'fast' must be max or a factor"), r.stderr());
        r = CommandRun.run("replay", "--subscriber-net", "10.0.0.0/99", GOOD.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("'10.0.0.0/99': prefix length must be 0..32"), r.stderr());
        r = CommandRun.run("replay", "--idle-timeout", "soon", GOOD.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("'soon' is not a duration"), r.stderr());
        r = CommandRun.run("replay", "--swarm-ttl", "0s", GOOD.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("'--swarm-ttl': '0s': a duration must be positive"), r.stderr());
        r = CommandRun.run("replay", "--swarm-memory", "lots", GOOD.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("'lots'"), r.stderr());
        r = CommandRun.run("replay");
        assertEquals(2, r.exitCode());
    }

    @Test
    void helpListsExitCodes() {
        for (String cmd : new String[] {"replay", "capture"}) {
            PrintStreamCapture out = PrintStreamCapture.stdout(() -> SwarmwatchCommand.execute(cmd, "--help"));
            assertEquals(0, out.exitCode());
            assertTrue(out.text().contains("Exit codes:"), out.text());
            assertTrue(out.text().contains("records could not be written"), out.text());
        }
    }
}
