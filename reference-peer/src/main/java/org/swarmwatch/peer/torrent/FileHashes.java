package org.swarmwatch.peer.torrent;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import org.swarmwatch.peer.torrent.V2View.V2File;

/**
 * One file's SHA-256 merkle tree as BEP 52's hash request / hashes messages address it, both
 * ways: a seeder {@link #answer answers} a request from what it has, a leecher {@link #verify
 * verifies} an answer against the file's {@code pieces root}.
 *
 * <p>Layers are numbered from the leaves (0, one hash per 16 KiB block, padded with zero hashes to
 * a power of two) up to the root; the piece layer is {@code log2(piece length / 16 KiB)}. A
 * request names a base layer, {@code length} nodes from {@code index} on it (a power of two, the
 * index a multiple of it, so they fill one subtree {@code log2(length)} layers high) and a number
 * of proof layers, counted as libtorrent 2.0 does: proof layer {@code i} (from 0) adds the
 * sibling ("uncle") of the base nodes' ancestor {@code i + 1} layers above the base, once that
 * ancestor is at or above the subtree's root; the uncles come lowest first, so the base hashes
 * hash up to a known node. Asking for {@code root layer - base - 1} proof layers reaches the root,
 * the most a request may ask for; the base layer is below the root.
 *
 * <p>The seeder side holds the layers from the piece layer up (from the torrent's piece layers,
 * built once per file) and reads at most one piece from disk per request, for the layers below
 * the piece layer; a request that would need more, or names nodes outside the tree, is refused.
 */
public final class FileHashes {
    private final V2File file;
    private final int top;          // the root's layer
    private final int pieceTop;     // the layer of a piece subtree's root: the piece layer, or the root for a file of one piece
    private final byte[][] upper;   // the layers from pieceTop up, padded to the tree's width

    /** Reads piece {@code k} of the file (counted from the file's first piece): its data, without padding. */
    public interface PieceSource {
        /** The piece's data, or null if this peer does not have it. */
        byte[] read(int pieceOfFile) throws IOException;
    }

    /** A request that cannot be answered; the reason goes to the log, a hash reject to the peer. */
    public static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    /** The tree of {@code file}, whose piece layer (for a file longer than one piece) is already checked. */
    public FileHashes(V2File file, long pieceLength) {
        this.file = file;
        long leafWidth = leafWidth(file.length());
        this.top = Long.numberOfTrailingZeros(leafWidth);
        int pieceLayer = Long.numberOfTrailingZeros(pieceLength / MerkleTree.BLOCK);
        if (file.pieceLayer() == null) {
            this.pieceTop = top;
            this.upper = new byte[][] {file.piecesRoot().clone()};
        } else {
            this.pieceTop = pieceLayer;
            this.upper = new byte[top - pieceLayer + 1][];
            long width = leafWidth >> pieceLayer;
            byte[] layer = Arrays.copyOf(file.pieceLayer(), (int) (width * MerkleTree.HASH));
            byte[] pad = MerkleTree.padHash(1L << pieceLayer);
            for (int i = file.pieceLayer().length; i < layer.length; i += MerkleTree.HASH) {
                System.arraycopy(pad, 0, layer, i, MerkleTree.HASH);
            }
            upper[0] = layer;
            for (int k = 1; k < upper.length; k++) {
                upper[k] = up(upper[k - 1]);
            }
        }
    }

    /** The file's leaves, padded: the smallest power of two not below its number of 16 KiB blocks. */
    static long leafWidth(long fileLength) {
        return MerkleTree.width((fileLength + MerkleTree.BLOCK - 1) / MerkleTree.BLOCK);
    }

    /** Uncle hashes in an answer (see the class comment; the wire's {@code MessageCodec.uncles}). */
    static int uncles(int length, int proofLayers) {
        return Math.max(0, proofLayers - Integer.numberOfTrailingZeros(length) + 1);
    }

    /** The layer of the root (0 for a file of one block). */
    public int rootLayer() {
        return top;
    }

    /**
     * The hashes that answer a request: the {@code length} base hashes, then the uncle hashes
     * (BEP 52's hashes message body).
     *
     * @throws Refused when the request names nodes outside the tree, more proof layers than lie
     *                 below the root, base nodes below the piece layer spanning more than one piece,
     *                 or a piece this peer does not have
     */
    public byte[] answer(int base, int index, int length, int proofLayers, PieceSource source) throws Refused, IOException {
        if (base < 0 || base >= top) {
            throw new Refused("base layer " + base + " not below the root layer " + top);
        }
        if (length < 1 || Integer.bitCount(length) != 1 || index < 0 || index % length != 0) {
            throw new Refused("length " + length + " and index " + index + " do not make a subtree");
        }
        long nodes = leafWidth(file.length()) >> base;
        if ((long) index + length > nodes) {
            throw new Refused("nodes " + index + ".." + ((long) index + length - 1) + " outside layer " + base + " of " + nodes);
        }
        if (proofLayers < 0 || proofLayers >= top - base) {
            throw new Refused(proofLayers + " proof layers from layer " + base + " go past the root layer " + top);
        }
        int height = Integer.numberOfTrailingZeros(length);
        int uncles = uncles(length, proofLayers);
        byte[][] piece = null; // the one piece subtree below pieceTop this request may need
        long pieceOfFile = -1;
        if (base < pieceTop) {
            long first = ((long) index << base) >> pieceTop, last = (((long) index + length - 1) << base) >> pieceTop;
            if (first != last) {
                throw new Refused("base nodes " + index + ".." + (index + length - 1) + " of layer " + base + " span more than one piece");
            }
            pieceOfFile = first;
            if (first < file.pieces()) {
                byte[] data = source.read((int) first);
                if (data == null) {
                    throw new Refused("piece " + (file.firstPiece() + first) + " is not here");
                }
                piece = subtree(data);
            }
        }
        byte[] out = new byte[(length + uncles) * MerkleTree.HASH];
        for (int i = 0; i < length; i++) {
            System.arraycopy(node(base, (long) index + i, piece, pieceOfFile), 0, out, i * MerkleTree.HASH, MerkleTree.HASH);
        }
        long a = index >> height;
        for (int u = 0; u < uncles; u++) {
            int layer = base + height + u;
            System.arraycopy(node(layer, a ^ 1, piece, pieceOfFile), 0, out, (length + u) * MerkleTree.HASH, MerkleTree.HASH);
            a >>= 1;
        }
        return out;
    }

    private byte[] node(int layer, long i, byte[][] piece, long pieceOfFile) {
        if (layer >= pieceTop) {
            return Arrays.copyOfRange(upper[layer - pieceTop], (int) i * MerkleTree.HASH, (int) (i + 1) * MerkleTree.HASH);
        }
        if (piece == null) { // past the file's last piece: a subtree of zero leaves
            return MerkleTree.padHash(1L << layer);
        }
        long local = i - (pieceOfFile << (pieceTop - layer));
        return Arrays.copyOfRange(piece[layer], (int) local * MerkleTree.HASH, (int) (local + 1) * MerkleTree.HASH);
    }

    /** The layers of one piece's subtree, from its leaves (zero hashes past the data) up to pieceTop. */
    private byte[][] subtree(byte[] data) {
        byte[][] layers = new byte[pieceTop + 1][];
        layers[0] = Arrays.copyOf(MerkleTree.leaves(data, 0, data.length), (1 << pieceTop) * MerkleTree.HASH);
        for (int k = 1; k <= pieceTop; k++) {
            layers[k] = up(layers[k - 1]);
        }
        return layers;
    }

    private static byte[] up(byte[] layer) {
        MessageDigest sha256 = MerkleTree.sha256();
        byte[] next = new byte[layer.length / 2];
        for (int i = 0; i < next.length; i += MerkleTree.HASH) {
            sha256.update(layer, 2 * i, 2 * MerkleTree.HASH);
            System.arraycopy(sha256.digest(), 0, next, i, MerkleTree.HASH);
        }
        return next;
    }

    /**
     * The base hashes of an answer, if it hashes up to {@code piecesRoot} (the base hashes to their
     * subtree's root, then with each uncle, on the left or right as the position says); null if
     * it does not, or if its proof layers stop short of the root, or it does not fit the tree of a
     * file of {@code fileLength} bytes.
     */
    public static byte[] verify(byte[] piecesRoot, long fileLength, int base, int index, int length, int proofLayers, byte[] hashes) {
        long leafWidth = leafWidth(fileLength);
        int top = Long.numberOfTrailingZeros(leafWidth);
        if (base < 0 || base >= top || length < 1 || Integer.bitCount(length) != 1 || index < 0 || index % length != 0
                || (long) index + length > leafWidth >> base) {
            return null;
        }
        int height = Integer.numberOfTrailingZeros(length);
        int uncles = uncles(length, proofLayers);
        if (base + height + uncles != top || hashes.length != (length + uncles) * MerkleTree.HASH) {
            return null;
        }
        byte[] baseHashes = Arrays.copyOf(hashes, length * MerkleTree.HASH);
        byte[] node = MerkleTree.root(baseHashes, length, new byte[MerkleTree.HASH]);
        MessageDigest sha256 = MerkleTree.sha256();
        long a = index >> height;
        for (int u = 0; u < uncles; u++) {
            int at = (length + u) * MerkleTree.HASH;
            if ((a & 1) == 0) {
                sha256.update(node);
                sha256.update(hashes, at, MerkleTree.HASH);
            } else {
                sha256.update(hashes, at, MerkleTree.HASH);
                sha256.update(node);
            }
            node = sha256.digest();
            a >>= 1;
        }
        return MessageDigest.isEqual(node, piecesRoot) ? baseHashes : null;
    }
}
