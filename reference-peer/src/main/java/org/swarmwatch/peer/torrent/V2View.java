package org.swarmwatch.peer.torrent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.swarmwatch.peer.torrent.BencodeReader.BencodeException;
import org.swarmwatch.peer.torrent.Metainfo.FileEntry;

/**
 * The v2 view of a v2-only torrent (BEP 52): its files in {@code file tree} order, each starting
 * on a new piece (pieces never span files), each with its SHA-256 merkle {@code pieces root} and,
 * for a file longer than one piece, its piece layer (one hash per piece, from the torrent's
 * {@code piece layers}, checked on the way in to hash up to the pieces root).
 *
 * <p>Piece numbering, as libtorrent 2.0 lays a v2 torrent out: the files end to end, each
 * followed by an implied pad (BEP 47 zeros, never stored) up to the next piece boundary, the
 * last file too; so every piece is a whole piece length on the wire and the padding is served as
 * zeros. Empty files take no piece.
 *
 * @param infoHash SHA-256 of the info dictionary (32 bytes); the wire and trackers use its first 20
 * @param files    the files that hold data, in piece order
 */
public record V2View(byte[] infoHash, long pieceLength, List<V2File> files) {
    /** At most this many pieces (a bitfield of a million pieces is the longest message accepted). */
    public static final int MAX_PIECES = 1 << 20;

    /**
     * One non-empty file.
     *
     * @param pieceLayer the piece layer (32 bytes a piece), or null for a file of one piece,
     *                   whose pieces root is its piece's hash
     */
    public record V2File(List<String> path, long length, byte[] piecesRoot, byte[] pieceLayer, int firstPiece, int pieces) {
    }

    /** The v2 layout and the files (with implied pads) in the form of the v1 view. */
    record Parsed(V2View view, List<FileEntry> entries, long totalLength, boolean multiFile) {
    }

    /** Which file piece {@code index} belongs to. */
    public V2File fileOf(int index) {
        int lo = 0, hi = files.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (files.get(mid).firstPiece() <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        V2File f = files.get(lo);
        if (index < f.firstPiece() || index >= f.firstPiece() + f.pieces()) {
            throw new IndexOutOfBoundsException("no piece " + index);
        }
        return f;
    }

    /** How many bytes of piece {@code index} are file data (the rest, up to the piece length, is padding). */
    public int dataLength(int index) {
        V2File f = fileOf(index);
        return (int) Math.min(pieceLength, f.length() - (index - f.firstPiece()) * pieceLength);
    }

    /**
     * Whether {@code piece} (as it travels: the file's bytes, then zeros up to its length) is piece
     * {@code index}: its 16 KiB blocks' hashes hash up to the piece layer's entry (leaves past the
     * file's end are zero hashes, up to the piece's {@code pieceLength / 16 KiB} leaves), or for a
     * file of one piece to its pieces root (over the blocks padded to a power of two), and the
     * padding is zeros.
     */
    public boolean verify(int index, byte[] piece) {
        V2File f = fileOf(index);
        int data = dataLength(index);
        if (piece.length < data) {
            return false;
        }
        for (int i = data; i < piece.length; i++) {
            if (piece[i] != 0) {
                return false;
            }
        }
        byte[] leaves = MerkleTree.leaves(piece, 0, data);
        if (f.pieceLayer() == null) {
            return MessageDigest.isEqual(MerkleTree.rootOfLeaves(leaves, MerkleTree.width(leaves.length / MerkleTree.HASH)),
                    f.piecesRoot());
        }
        int k = index - f.firstPiece();
        byte[] expected = Arrays.copyOfRange(f.pieceLayer(), k * MerkleTree.HASH, (k + 1) * MerkleTree.HASH);
        return MessageDigest.isEqual(MerkleTree.rootOfLeaves(leaves, pieceLength / MerkleTree.BLOCK), expected);
    }

    /**
     * Reads a v2 info dictionary's {@code file tree} and the torrent's {@code piece layers}
     * (binary keys as ISO-8859-1 strings; an empty map when the torrent has none; null to read
     * the layout alone, every file's piece layer left null: see {@link Metainfo#v2FilesNeedingLayers}).
     */
    static Parsed parse(Map<?, ?> info, byte[] infoBytes, long pieceLength, Map<?, ?> pieceLayers)
            throws BencodeException {
        if (!(info.get("meta version") instanceof Long v) || v != 2) {
            throw new BencodeException("v2 info without 'meta version' 2");
        }
        if (!(info.get("file tree") instanceof Map<?, ?> tree) || tree.isEmpty()) {
            throw new BencodeException("v2 info without a non-empty 'file tree'");
        }
        List<Leaf> leaves = new ArrayList<>();
        walk(tree, new ArrayList<>(), leaves);
        boolean multi = !(leaves.size() == 1 && leaves.get(0).path().size() == 1);
        List<FileEntry> entries = new ArrayList<>();
        List<V2File> files = new ArrayList<>();
        long offset = 0;
        for (Leaf l : leaves) {
            String shown = String.join("/", l.path());
            entries.add(new FileEntry(List.copyOf(l.path()), l.length(), offset, false));
            if (l.length() == 0) {
                if (l.root() != null) {
                    throw new BencodeException("file " + shown + ": empty, yet with a pieces root");
                }
                continue;
            }
            if (l.root() == null || l.root().length != MerkleTree.HASH) {
                throw new BencodeException("file " + shown + ": no 32-byte pieces root");
            }
            long pieces = l.length() / pieceLength + (l.length() % pieceLength == 0 ? 0 : 1);
            long firstPiece = offset / pieceLength;
            if (firstPiece + pieces > MAX_PIECES) {
                throw new BencodeException("more than " + MAX_PIECES + " pieces");
            }
            byte[] layer = null;
            if (pieces > 1 && pieceLayers != null) {
                layer = layer(pieceLayers, l, shown, pieces, pieceLength);
            }
            files.add(new V2File(List.copyOf(l.path()), l.length(), l.root(), layer, (int) firstPiece, (int) pieces));
            offset += l.length();
            long pad = pieces * pieceLength - l.length();
            if (pad > 0) {
                entries.add(new FileEntry(List.of(".pad", Long.toString(pad)), pad, offset, true));
                offset += pad;
            }
        }
        if (files.isEmpty()) {
            throw new BencodeException("v2 torrent whose files are all empty");
        }
        byte[] hash = MerkleTree.sha256().digest(infoBytes);
        return new Parsed(new V2View(hash, pieceLength, List.copyOf(files)), List.copyOf(entries), offset, multi);
    }

    private record Leaf(List<String> path, long length, byte[] root) {
    }

    /** Depth first, keys in byte order (the bencoded order); the nesting is bounded by the reader. */
    private static void walk(Map<?, ?> node, List<String> path, List<Leaf> out) throws BencodeException {
        for (Map.Entry<?, ?> e : new TreeMap<>(cast(node)).entrySet()) {
            String key = (String) e.getKey();
            if (key.isEmpty()) {
                String shown = path.isEmpty() ? "(top)" : String.join("/", path);
                if (path.isEmpty() || node.size() != 1) {
                    throw new BencodeException("file tree: the file entry at " + shown + " is not alone in its directory entry");
                }
                if (!(e.getValue() instanceof Map<?, ?> leaf)) {
                    throw new BencodeException("file " + shown + ": its entry is not a dictionary");
                }
                long length = Metainfo.number(leaf.get("length"), "file " + shown + ": length");
                Object root = leaf.get("pieces root");
                if (root != null && !(root instanceof byte[])) {
                    throw new BencodeException("file " + shown + ": pieces root is not a string");
                }
                out.add(new Leaf(List.copyOf(path), length, (byte[]) root));
                continue;
            }
            String part = Metainfo.name(key.getBytes(StandardCharsets.ISO_8859_1), "path component");
            if (!(e.getValue() instanceof Map<?, ?> child) || child.isEmpty()) {
                throw new BencodeException("file tree: '" + part + "' is not a non-empty dictionary");
            }
            path.add(part);
            walk(child, path, out);
            path.remove(path.size() - 1);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** The file's piece layer from {@code piece layers}, checked: its length, and that it hashes up to the pieces root. */
    private static byte[] layer(Map<?, ?> pieceLayers, Leaf l, String shown, long pieces, long pieceLength)
            throws BencodeException {
        String key = new String(l.root(), StandardCharsets.ISO_8859_1);
        String root = HexFormat.of().formatHex(l.root());
        if (!(pieceLayers.get(key) instanceof byte[] layer)) {
            throw new BencodeException("file " + shown + ": no piece layer for its pieces root " + root
                    + " (needed for a file longer than one piece)");
        }
        if (layer.length != pieces * MerkleTree.HASH) {
            throw new BencodeException("file " + shown + ": piece layer of " + layer.length + " bytes, expected "
                    + pieces * MerkleTree.HASH + " (" + pieces + " pieces of 32 bytes)");
        }
        long leavesPerPiece = pieceLength / MerkleTree.BLOCK;
        long blocks = (l.length() + MerkleTree.BLOCK - 1) / MerkleTree.BLOCK;
        long width = MerkleTree.width(blocks) / leavesPerPiece; // the tree's width at piece level
        byte[] computed = MerkleTree.root(layer, width, MerkleTree.padHash(leavesPerPiece));
        if (!MessageDigest.isEqual(computed, l.root())) {
            throw new BencodeException("file " + shown + ": piece layer does not hash up to its pieces root " + root);
        }
        return layer;
    }
}
