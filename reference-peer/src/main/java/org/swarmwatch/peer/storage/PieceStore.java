package org.swarmwatch.peer.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.Metainfo.FileEntry;
import org.swarmwatch.peer.torrent.V2View;

/**
 * The files of a torrent on disk, addressed as pieces (BEP 3: the files laid end to end in
 * metainfo order, cut in pieces of the piece length). A single-file torrent is
 * {@code directory/name}; a multi-file one lives under {@code directory/name/}. Pad files
 * (BEP 47, and those a v2-only torrent implies after each file) read as zeros and are never written. Thread-safe: one lock around the file channels,
 * which stay open until {@link #close()}.
 */
public final class PieceStore implements Closeable {
    private final Metainfo meta;
    private final Path root;
    private final Map<FileEntry, FileChannel> open = new HashMap<>();

    public PieceStore(Metainfo meta, Path directory) {
        this.meta = meta;
        this.root = meta.multiFile() ? directory.resolve(meta.name()) : directory;
    }

    public Path pathOf(FileEntry f) {
        Path p = root;
        for (String part : f.path()) {
            p = p.resolve(part);
        }
        return p;
    }

    /** Check (SHA-1, or v2 merkle) of every piece found complete on disk: what this store can serve. */
    public BitSet verify() throws IOException {
        BitSet have = new BitSet(meta.pieceCount());
        for (int i = 0; i < meta.pieceCount(); i++) {
            byte[] piece = read(i, 0, meta.pieceSize(i), false);
            if (piece != null && matches(i, piece)) {
                have.set(i);
            }
        }
        return have;
    }

    /**
     * Whether {@code data} is piece {@code index}: its SHA-1 is the one in the metainfo, or for a
     * v2-only torrent its blocks hash up to the piece's merkle node ({@link V2View#verify}).
     */
    public boolean matches(int index, byte[] data) {
        if (meta.isV2()) {
            return meta.v2().verify(index, data);
        }
        try {
            return Arrays.equals(MessageDigest.getInstance("SHA-1").digest(data), meta.pieceHash(index));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code length} bytes at {@code begin} in piece {@code index}; the caller checked the bounds. */
    public byte[] readBlock(int index, int begin, int length) throws IOException {
        return read(index, begin, length, true);
    }

    /** Writes a whole piece that {@link #matches} already accepted. */
    public synchronized void writePiece(int index, byte[] data) throws IOException {
        long at = index * meta.pieceLength();
        for (FileEntry f : meta.files()) {
            long from = Math.max(at, f.offset()), to = Math.min(at + data.length, f.offset() + f.length());
            if (from >= to || f.pad()) {
                continue;
            }
            FileChannel ch = channel(f, true);
            ByteBuffer b = ByteBuffer.wrap(data, (int) (from - at), (int) (to - from));
            long pos = from - f.offset();
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
        }
    }

    /** Creates the (empty) files that no piece touches, such as zero-length ones. */
    public synchronized void createEmptyFiles() throws IOException {
        for (FileEntry f : meta.files()) {
            if (f.length() == 0 && !f.pad()) {
                channel(f, true);
            }
        }
    }

    private synchronized byte[] read(int index, int begin, int length, boolean mustExist) throws IOException {
        byte[] out = new byte[length];
        long at = index * meta.pieceLength() + begin;
        for (FileEntry f : meta.files()) {
            long from = Math.max(at, f.offset()), to = Math.min(at + length, f.offset() + f.length());
            if (from >= to || f.pad()) {
                continue;
            }
            Path p = pathOf(f);
            if (!Files.isRegularFile(p) || Files.size(p) < f.length()) {
                if (mustExist) {
                    throw new IOException("missing or short file " + p);
                }
                return null;
            }
            FileChannel ch = channel(f, false);
            ByteBuffer b = ByteBuffer.wrap(out, (int) (from - at), (int) (to - from));
            long pos = from - f.offset();
            while (b.hasRemaining()) {
                int n = ch.read(b, pos);
                if (n < 0) {
                    throw new IOException("short file " + p);
                }
                pos += n;
            }
        }
        return out;
    }

    private FileChannel channel(FileEntry f, boolean write) throws IOException {
        FileChannel ch = open.get(f);
        if (ch != null) {
            return ch;
        }
        Path p = pathOf(f);
        if (write) {
            Files.createDirectories(p.getParent());
            ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } else {
            ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        open.put(f, ch);
        return ch;
    }

    @Override
    public synchronized void close() throws IOException {
        IOException first = null;
        for (FileChannel ch : open.values()) {
            try {
                ch.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
