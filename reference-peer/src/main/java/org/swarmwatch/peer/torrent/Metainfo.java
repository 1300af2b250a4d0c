package org.swarmwatch.peer.torrent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.swarmwatch.peer.torrent.BencodeReader.BencodeException;

/**
 * What the peer needs of a metainfo file (BEP 3): the v1 info hash, the piece length and SHA-1
 * piece hashes, and the files laid end to end in the v1 view (BEP 47 pad files included, marked
 * so that they are never written). A hybrid torrent (BEP 52) is read through its v1 view; a
 * v2-only torrent is refused for now.
 *
 * <p>Checked on the way in: the piece length is a power of two from 16 KiB to 16 MiB, the piece
 * hashes cover exactly the total length, and every path component is a plain name (no
 * {@code ..}, no separators, not empty), so a torrent cannot write outside its directory.
 *
 * @param announce    the tracker URL, or null
 * @param infoHash    SHA-1 of the bencoded info dictionary (20 bytes)
 * @param name        the suggested name: the file, or the directory of a multi-file torrent
 * @param files       in v1 order; single-file torrents have one entry whose path is the name
 * @param pieceHashes 20 bytes per piece
 * @param info        the bencoded info dictionary itself (what BEP 9 hands to peers that ask)
 */
public record Metainfo(String announce, byte[] infoHash, String name, long pieceLength, List<FileEntry> files,
        byte[] pieceHashes, long totalLength, boolean multiFile, byte[] info) {

    /** Largest piece accepted: a piece is held in memory while it is downloaded. */
    public static final long MAX_PIECE_LENGTH = 16L << 20;

    /** Largest metainfo file read. */
    public static final int MAX_METAINFO_BYTES = 32 << 20;

    /**
     * One file of the v1 view.
     *
     * @param path   components under the torrent's directory (for a single file: just the name)
     * @param offset where it starts in the pieces laid end to end
     * @param pad    a BEP 47 pad file: zeros, never stored
     */
    public record FileEntry(List<String> path, long length, long offset, boolean pad) {
    }

    public int pieceCount() {
        return pieceHashes.length / 20;
    }

    /** Length of piece {@code index}: the piece length, except perhaps the last. */
    public int pieceSize(int index) {
        long start = index * pieceLength;
        return (int) Math.min(pieceLength, totalLength - start);
    }

    public byte[] pieceHash(int index) {
        return Arrays.copyOfRange(pieceHashes, index * 20, index * 20 + 20);
    }

    public static Metainfo parse(byte[] torrent) throws BencodeException {
        if (torrent.length > MAX_METAINFO_BYTES) {
            throw new BencodeException("metainfo larger than " + MAX_METAINFO_BYTES + " bytes");
        }
        if (!(BencodeReader.decode(torrent) instanceof Map<?, ?> top)) {
            throw new BencodeException("metainfo is not a dictionary");
        }
        int[] span = BencodeReader.span(torrent, "info");
        if (span == null || !(top.get("info") instanceof Map<?, ?> info)) {
            throw new BencodeException("metainfo has no info dictionary");
        }
        String announce = top.get("announce") instanceof byte[] a ? utf8(a) : null;
        return fromInfo(announce, Arrays.copyOfRange(torrent, span[0], span[1]), info);
    }

    /** From the bencoded info dictionary alone (what BEP 9 metadata exchange hands over). */
    public static Metainfo fromInfo(String announce, byte[] infoBytes) throws BencodeException {
        if (!(BencodeReader.decode(infoBytes) instanceof Map<?, ?> info)) {
            throw new BencodeException("info is not a dictionary");
        }
        return fromInfo(announce, infoBytes, info);
    }

    private static Metainfo fromInfo(String announce, byte[] infoBytes, Map<?, ?> info) throws BencodeException {
        if (!(info.get("pieces") instanceof byte[] pieces)) {
            throw new BencodeException(info.containsKey("file tree")
                    ? "v2-only torrents are not supported yet (no v1 pieces)" : "info has no pieces");
        }
        String name = name(info.get("name"), "name");
        long pieceLength = number(info.get("piece length"), "piece length");
        if (pieceLength < 16384 || pieceLength > MAX_PIECE_LENGTH || Long.bitCount(pieceLength) != 1) {
            throw new BencodeException("piece length " + pieceLength + " is not a power of two from 16 KiB to 16 MiB");
        }
        List<FileEntry> files = new ArrayList<>();
        long total = 0;
        boolean multi = info.get("files") instanceof List<?>;
        if (multi) {
            for (Object o : (List<?>) info.get("files")) {
                if (!(o instanceof Map<?, ?> f) || !(f.get("path") instanceof List<?> parts) || parts.isEmpty()) {
                    throw new BencodeException("a file entry without a path");
                }
                List<String> path = new ArrayList<>();
                for (Object p : parts) {
                    path.add(name(p, "path component"));
                }
                long length = number(f.get("length"), "file length");
                boolean pad = f.get("attr") instanceof byte[] attr && new String(attr, StandardCharsets.ISO_8859_1).contains("p");
                files.add(new FileEntry(List.copyOf(path), length, total, pad));
                total = Math.addExact(total, length);
            }
            if (files.isEmpty()) {
                throw new BencodeException("a multi-file torrent without files");
            }
        } else {
            total = number(info.get("length"), "length");
            files.add(new FileEntry(List.of(name), total, 0, false));
        }
        long pieceCount = (total + pieceLength - 1) / pieceLength;
        if (pieces.length % 20 != 0 || pieces.length / 20 != pieceCount) {
            throw new BencodeException(pieces.length / 20 + " piece hashes for " + pieceCount + " pieces");
        }
        return new Metainfo(announce, sha1(infoBytes), name, pieceLength, List.copyOf(files), pieces, total, multi, infoBytes);
    }

    private static long number(Object o, String what) throws BencodeException {
        if (!(o instanceof Long n) || n < 0) {
            throw new BencodeException(what + " is not a non-negative integer");
        }
        return n;
    }

    private static String name(Object o, String what) throws BencodeException {
        if (!(o instanceof byte[] b)) {
            throw new BencodeException(what + " is not a string");
        }
        String s = utf8(b);
        if (s.isEmpty() || s.equals(".") || s.equals("..") || s.contains("/") || s.contains("\\") || s.indexOf('\0') >= 0) {
            throw new BencodeException(what + " '" + s + "' is not a plain file name");
        }
        return s;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    public static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
