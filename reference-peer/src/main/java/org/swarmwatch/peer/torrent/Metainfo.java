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
 * so that they are never written). A hybrid torrent (BEP 52) is read through its v1 view. A
 * v2-only torrent has a {@link V2View} instead of piece hashes (pieces checked against its merkle
 * trees); its files here are laid out as that view numbers the pieces, each followed by an implied
 * pad file up to the next piece boundary.
 *
 * <p>Checked on the way in: the piece length is a power of two from 16 KiB to 16 MiB, the piece
 * hashes cover exactly the total length, and every path component is a plain name (no
 * {@code ..}, no separators, not empty), so a torrent cannot write outside its directory.
 *
 * @param announce    the tracker URL, or null
 * @param infoHash    SHA-1 of the bencoded info dictionary (20 bytes); for a v2-only torrent the
 *                    first 20 bytes of its SHA-256 (what the handshake and trackers carry)
 * @param name        the suggested name: the file, or the directory of a multi-file torrent
 * @param files       in v1 order; single-file torrents have one entry whose path is the name
 * @param pieceHashes 20 bytes per piece (empty for a v2-only torrent)
 * @param info        the bencoded info dictionary itself (what BEP 9 hands to peers that ask)
 * @param v2          the v2 view of a v2-only torrent, or null (v1 and hybrid torrents)
 */
public record Metainfo(String announce, byte[] infoHash, String name, long pieceLength, List<FileEntry> files,
        byte[] pieceHashes, long totalLength, boolean multiFile, byte[] info, V2View v2) {

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
        return (int) ((totalLength + pieceLength - 1) / pieceLength);
    }

    /** A v2-only torrent, its pieces checked by {@link V2View#verify}. */
    public boolean isV2() {
        return v2 != null;
    }

    /** Length of piece {@code index}: the piece length, except perhaps the last. */
    public int pieceSize(int index) {
        long start = index * pieceLength;
        return (int) Math.min(pieceLength, totalLength - start);
    }

    /** The SHA-1 of piece {@code index} (v1 and hybrid torrents). */
    public byte[] pieceHash(int index) {
        if (v2 != null) {
            throw new IllegalStateException("a v2-only torrent has no SHA-1 piece hashes");
        }
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
        Object layers = top.get("piece layers");
        if (layers != null && !(layers instanceof Map<?, ?>)) {
            throw new BencodeException("'piece layers' is not a dictionary");
        }
        return fromInfo(announce, Arrays.copyOfRange(torrent, span[0], span[1]), info, layers == null ? Map.of() : (Map<?, ?>) layers);
    }

    /**
     * From the bencoded info dictionary alone (what BEP 9 metadata exchange hands over). A v2-only
     * one works so only if no file is longer than a piece: the piece layers are not in the info
     * dictionary; fetch them (BEP 52 hash requests, {@link #v2FilesNeedingLayers}) and use
     * {@link #fromInfo(String, byte[], Map)}.
     */
    public static Metainfo fromInfo(String announce, byte[] infoBytes) throws BencodeException {
        return fromInfo(announce, infoBytes, Map.of());
    }

    /**
     * From the info dictionary and the piece layers of a v2-only torrent's files longer than a
     * piece, keyed by pieces root (each checked, as from a .torrent file, to hash up to its root).
     */
    public static Metainfo fromInfo(String announce, byte[] infoBytes, Map<String, byte[]> pieceLayers) throws BencodeException {
        if (!(BencodeReader.decode(infoBytes) instanceof Map<?, ?> info)) {
            throw new BencodeException("info is not a dictionary");
        }
        return fromInfo(announce, infoBytes, info, pieceLayers);
    }

    /**
     * The files of a v2-only info dictionary that are longer than a piece, whose piece layers a
     * magnet download must fetch (their {@code pieceLayer} is null here); empty for v1 and hybrid
     * info dictionaries.
     */
    public static List<V2View.V2File> v2FilesNeedingLayers(byte[] infoBytes) throws BencodeException {
        if (!(BencodeReader.decode(infoBytes) instanceof Map<?, ?> info)) {
            throw new BencodeException("info is not a dictionary");
        }
        if (info.get("pieces") instanceof byte[] || !info.containsKey("file tree")) {
            return List.of();
        }
        long pieceLength = number(info.get("piece length"), "piece length");
        if (pieceLength < 16384 || pieceLength > MAX_PIECE_LENGTH || Long.bitCount(pieceLength) != 1) {
            throw new BencodeException("piece length " + pieceLength + " is not a power of two from 16 KiB to 16 MiB");
        }
        return V2View.parse(info, infoBytes, pieceLength, null).view().files().stream().filter(f -> f.pieces() > 1).toList();
    }

    private static Metainfo fromInfo(String announce, byte[] infoBytes, Map<?, ?> info, Map<?, ?> pieceLayers)
            throws BencodeException {
        String name = name(info.get("name"), "name");
        long pieceLength = number(info.get("piece length"), "piece length");
        if (pieceLength < 16384 || pieceLength > MAX_PIECE_LENGTH || Long.bitCount(pieceLength) != 1) {
            throw new BencodeException("piece length " + pieceLength + " is not a power of two from 16 KiB to 16 MiB");
        }
        if (!(info.get("pieces") instanceof byte[] pieces)) {
            if (!info.containsKey("file tree")) {
                throw new BencodeException("info has no pieces");
            }
            V2View.Parsed v2 = V2View.parse(info, infoBytes, pieceLength, pieceLayers);
            return new Metainfo(announce, Arrays.copyOf(v2.view().infoHash(), 20), name, pieceLength, v2.entries(),
                    new byte[0], v2.totalLength(), v2.multiFile(), infoBytes, v2.view());
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
        return new Metainfo(announce, sha1(infoBytes), name, pieceLength, List.copyOf(files), pieces, total, multi, infoBytes, null);
    }

    static long number(Object o, String what) throws BencodeException {
        if (!(o instanceof Long n) || n < 0) {
            throw new BencodeException(what + " is not a non-negative integer");
        }
        return n;
    }

    static String name(Object o, String what) throws BencodeException {
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
