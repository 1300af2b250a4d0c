package org.swarmwatch.probe.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recognises a capture file by its first bytes, so that a file that is not a capture gets a clear
 * message before libpcap sees it. libpcap still does the reading.
 */
public enum CaptureFileFormat {
    /** Classic pcap: 24-byte file header, then 16-byte record headers. */
    PCAP,
    /** pcapng: blocks, starting with a Section Header Block. */
    PCAPNG;

    /** Classic pcap magic numbers (microsecond, nanosecond, Kuznetzov's modified format), in file byte order. */
    private static final int[] PCAP_MAGICS = {0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0xa1b2cd34, 0x34cdb2a1};
    private static final int PCAPNG_SHB = 0x0a0d0d0a;

    /** Checks the file and returns its format, or throws with a message naming the file and the fault. */
    public static CaptureFileFormat probe(Path file) throws CaptureException {
        if (!Files.exists(file)) {
            throw new CaptureException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new CaptureException(file + ": not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new CaptureException(file + ": not readable (permission denied)");
        }
        byte[] head = new byte[24];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new CaptureException(file + ": cannot read: " + e.getMessage());
        }
        if (n == 0) {
            throw new CaptureException(file + ": empty file (0 bytes), not a capture");
        }
        if (n < 4) {
            throw new CaptureException(file + ": only " + n + " bytes, too short for a capture file header");
        }
        int magic = (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | (head[3] & 0xff);
        if (magic == PCAPNG_SHB) {
            if (n < 12) {
                throw new CaptureException(file + ": pcapng section header truncated at byte offset " + n);
            }
            return PCAPNG;
        }
        for (int m : PCAP_MAGICS) {
            if (m == magic) {
                if (n < 24) {
                    throw new CaptureException(file + ": pcap file header truncated at byte offset " + n + " (24 bytes needed)");
                }
                return PCAP;
            }
        }
        throw new CaptureException(String.format("%s: not a pcap or pcapng capture (byte offset 0: magic 0x%08x)", file, magic));
    }
}
