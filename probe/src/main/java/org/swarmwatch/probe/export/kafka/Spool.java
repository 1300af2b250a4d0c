package org.swarmwatch.probe.export.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The probe's write-ahead spool: every record bound for Kafka is appended here first, and a
 * sender reads it back in order and removes what the broker acknowledged. So a broker that is
 * away costs disk, not memory and not a blocked capture thread, and a probe that is killed
 * resumes sending where the broker's acknowledgements stopped.
 *
 * <p>Layout: a directory of segments {@code NNNNNNNNNNNNNNNNNNNN.spool} (the number is the
 * position of the segment's first entry in the spool's whole history) and {@code acked}, the
 * position up to which the broker acknowledged. An entry is a 4-byte length, a 4-byte CRC-32C
 * of the body and the body: topic index (1 byte), producer id (8), sequence (8), key length (2),
 * key, value. Positions count bytes across segments, so they only grow.
 *
 * <p>Bounded: when appending would take the spool past {@code maxBytes}, the entry is refused (the
 * caller counts and reports the drop); nothing is ever held in memory beyond one segment's write
 * buffer. On opening, a torn tail (a crash in mid-write: a short or corrupt last entry) is cut
 * off and counted; a corrupt entry elsewhere ends that segment's reading with a clear error.
 *
 * <p>Thread-safety: one appending thread and one reading thread; both synchronise on the spool.
 */
public final class Spool implements AutoCloseable {
    /** One entry read back. */
    public record Entry(long position, long end, int topic, long producerId, long sequence, byte[] key, byte[] value) {
    }

    static final int HEADER = 8;
    static final int MAX_ENTRY = 16 << 20;
    private static final String SUFFIX = ".spool";

    private final Path directory;
    private final long maxBytes;
    private final long segmentBytes;
    private final Deque<Long> segments = new ArrayDeque<>(); // start positions, oldest first
    private FileChannel writer;
    /** The current segment mapped for writing: an append is a memory copy into the page cache, no system call. */
    private java.nio.MappedByteBuffer map;
    private long writerStart;
    private long end; // position after the last entry
    private long acked;
    private long readPosition;
    private FileChannel reader;
    private ByteBuffer readView;
    private long readerStart = -1;
    private long tornBytes;
    private long lastAckSync;

    /**
     * Opens (or creates) the spool in {@code directory}.
     *
     * @throws IOException naming the directory when it cannot be created, read or written
     */
    public Spool(Path directory, long maxBytes, long segmentBytes) throws IOException {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IOException("cannot create the spool directory " + directory + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(directory)) {
            throw new IOException("the spool directory " + directory + " is not writable");
        }
        Path ackFile = directory.resolve("acked");
        if (Files.exists(ackFile)) {
            try {
                acked = Long.parseLong(Files.readString(ackFile).trim());
            } catch (NumberFormatException e) {
                throw new IOException(ackFile + ": not a position: " + e.getMessage());
            }
        }
        try (Stream<Path> files = Files.list(directory)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\" + SUFFIX))
                    .map(n -> Long.parseLong(n.substring(0, 20))).sorted().forEach(segments::add);
        }
        // drop segments wholly acknowledged, recover the last one's torn tail
        while (segments.size() > 1 && nextStart(segments.peekFirst()) <= acked) {
            Files.deleteIfExists(segmentPath(segments.pollFirst()));
        }
        if (segments.isEmpty()) {
            end = Math.max(acked, 0);
            segments.add(end);
        } else {
            long last = segments.peekLast();
            end = last + recover(segmentPath(last));
        }
        writerStart = segments.peekLast();
        openWriter();
        acked = Math.max(acked, segments.peekFirst());
        readPosition = acked;
    }

    private long nextStart(long start) {
        for (long s : segments) {
            if (s > start) {
                return s;
            }
        }
        return end;
    }

    private Path segmentPath(long start) {
        return directory.resolve(String.format("%020d%s", start, SUFFIX));
    }

    /** Reads a segment's entries to the first torn one, cuts there; returns the good length. */
    private long recover(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size(), at = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (at + HEADER <= size) {
                header.clear();
                ch.read(header, at);
                header.flip();
                int length = header.getInt();
                int crc = header.getInt();
                if (length <= 0 || length > MAX_ENTRY || at + HEADER + length > size) {
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                ch.read(body, at + HEADER);
                if (crc32c(body.array()) != crc) {
                    break;
                }
                at += HEADER + length;
            }
            if (at < size) {
                // a segment being written is mapped at its full size: zeros after the last entry are not a torn one
                if (at + 4 <= size) {
                    header.clear().limit(4);
                    ch.read(header, at);
                    header.flip();
                    if (header.getInt() != 0) {
                        tornBytes += size - at;
                    }
                }
                ch.truncate(at);
            }
            return at;
        }
    }

    /**
     * Appends an entry; false (and nothing written) when the spool is full.
     *
     * @throws IOException when the disk refuses the write (the caller reports it and drops the entry)
     */
    public synchronized boolean append(int topic, long producerId, long sequence, byte[] key, byte[] value) throws IOException {
        int length = 1 + 8 + 8 + 2 + key.length + value.length;
        if (length > MAX_ENTRY || key.length > 0xffff) {
            throw new IllegalArgumentException("record of " + length + " bytes is larger than a spool entry may be");
        }
        if (end - acked + HEADER + length > maxBytes) {
            return false;
        }
        if (end - writerStart + HEADER + length > map.capacity()) {
            roll();
        }
        int at = (int) (end - writerStart);
        map.position(at + HEADER);
        map.put((byte) topic).putLong(producerId).putLong(sequence).putShort((short) key.length).put(key).put(value);
        CRC32C crc = new CRC32C();
        crc.update(map.slice(at + HEADER, length));
        map.putInt(at + 4, (int) crc.getValue());
        map.putInt(at, length); // the length last: a reader or a recovery never sees a half-written entry as whole
        end += HEADER + length;
        notifyAll();
        return true;
    }

    /** Maps the current segment (its file grows to the segment size; {@link #closeWriter} cuts it back). */
    private void openWriter() throws IOException {
        writer = FileChannel.open(segmentPath(writerStart), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        map = writer.map(FileChannel.MapMode.READ_WRITE, 0, Math.max(segmentBytes, end - writerStart) + MAX_ENTRY + HEADER);
    }

    /** Flushes the mapped segment and cuts its file to the entries written. */
    private void closeWriter() throws IOException {
        map.force();
        map = null; // unmapped when collected; the file is truncated below, after which it is never touched through the map
        writer.truncate(end - writerStart);
        writer.force(false);
        writer.close();
    }

    private void roll() throws IOException {
        if (readerStart == writerStart) {
            readView = null; // the segment is cut to size below: read it again through its own mapping
        }
        closeWriter();
        writerStart = end;
        segments.add(writerStart);
        openWriter();
    }

    /**
     * Up to {@code max} entries from the read position, waiting up to {@code waitMillis} for the
     * first; empty if none came.
     */
    public synchronized List<Entry> read(int max, long waitMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (readPosition >= end) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return List.of();
            }
            wait(left);
        }
        List<Entry> out = new ArrayList<>(Math.min(max, 1024));
        while (out.size() < max && readPosition < end) {
            long segment = segmentOf(readPosition);
            if (readerStart != segment || readView == null) {
                if (reader != null) {
                    reader.close();
                    reader = null;
                }
                if (segment == writerStart) {
                    readView = map.duplicate(); // the segment being written: read it through the writer's mapping
                } else {
                    reader = FileChannel.open(segmentPath(segment), StandardOpenOption.READ);
                    readView = reader.map(FileChannel.MapMode.READ_ONLY, 0, reader.size());
                }
                readerStart = segment;
            }
            long offset = readPosition - segment;
            if (offset + HEADER > readView.capacity()) {
                readPosition = nextStart(segment); // the rest of the segment was never written (a torn tail cut at recovery)
                readView = null;
                continue;
            }
            int at = (int) offset;
            int length = readView.getInt(at);
            int crc = readView.getInt(at + 4);
            if (length <= 0 || length > MAX_ENTRY || at + HEADER + length > readView.capacity()) {
                throw new IOException(segmentPath(segment) + ": corrupt entry at byte " + offset + " (length " + length + ")");
            }
            CRC32C check = new CRC32C();
            check.update(readView.slice(at + HEADER, length));
            if ((int) check.getValue() != crc) {
                throw new IOException(segmentPath(segment) + ": corrupt entry at byte " + offset + " (checksum)");
            }
            ByteBuffer body = readView.slice(at + HEADER, length);
            int topic = body.get();
            long producer = body.getLong();
            long sequence = body.getLong();
            byte[] key = new byte[body.getShort() & 0xffff];
            body.get(key);
            byte[] value = new byte[body.remaining()];
            body.get(value);
            long entryEnd = readPosition + HEADER + length;
            out.add(new Entry(readPosition, entryEnd, topic, producer, sequence, key, value));
            readPosition = entryEnd;
        }
        return out;
    }

    private long segmentOf(long position) {
        long found = segments.peekFirst();
        for (long s : segments) {
            if (s <= position) {
                found = s;
            }
        }
        return found;
    }

    /** The broker acknowledged everything before {@code position}: free what is no longer needed. */
    public synchronized void acknowledge(long position) throws IOException {
        if (position <= acked) {
            return;
        }
        acked = position;
        while (segments.size() > 1 && nextStart(segments.peekFirst()) <= acked) {
            long start = segments.pollFirst();
            if (readerStart == start) {
                if (reader != null) {
                    reader.close();
                    reader = null;
                }
                readView = null;
                readerStart = -1;
            }
            Files.deleteIfExists(segmentPath(start));
        }
        long now = System.currentTimeMillis();
        if (now - lastAckSync >= 200 || acked == end) {
            lastAckSync = now;
            Path tmp = directory.resolve("acked.tmp");
            Files.writeString(tmp, Long.toString(acked), StandardCharsets.US_ASCII);
            Files.move(tmp, directory.resolve("acked"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Reads again from the last acknowledged position (after a failed send). */
    public synchronized void rewind() {
        readPosition = acked;
    }

    /** Bytes held: appended and not yet acknowledged. */
    public synchronized long backlogBytes() {
        return end - acked;
    }

    /** Bytes of torn entries cut off when the spool was opened (a crash in mid-write). */
    public long tornBytes() {
        return tornBytes;
    }

    /** Writes what the OS holds for the spool to the disk (the sink calls it every second). */
    public synchronized void sync() throws IOException {
        map.force();
    }

    @Override
    public synchronized void close() throws IOException {
        closeWriter();
        if (reader != null) {
            reader.close();
        }
        if (acked > 0 || end > 0) {
            Files.writeString(directory.resolve("acked"), Long.toString(acked), StandardCharsets.US_ASCII);
        }
    }

    private static int crc32c(byte[] b) {
        return crc32c(b, 0, b.length);
    }

    private static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}
