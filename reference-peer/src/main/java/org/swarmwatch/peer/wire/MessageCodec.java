package org.swarmwatch.peer.wire;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.swarmwatch.peer.wire.Message.Bitfield;
import org.swarmwatch.peer.wire.Message.Cancel;
import org.swarmwatch.peer.wire.Message.Choke;
import org.swarmwatch.peer.wire.Message.Extended;
import org.swarmwatch.peer.wire.Message.HashReject;
import org.swarmwatch.peer.wire.Message.HashRequest;
import org.swarmwatch.peer.wire.Message.Hashes;
import org.swarmwatch.peer.wire.Message.Have;
import org.swarmwatch.peer.wire.Message.Interested;
import org.swarmwatch.peer.wire.Message.KeepAlive;
import org.swarmwatch.peer.wire.Message.NotInterested;
import org.swarmwatch.peer.wire.Message.Piece;
import org.swarmwatch.peer.wire.Message.Port;
import org.swarmwatch.peer.wire.Message.Request;
import org.swarmwatch.peer.wire.Message.Unchoke;
import org.swarmwatch.peer.wire.Message.Unknown;

/**
 * Length-prefixed peer wire messages (BEP 3), both ways.
 *
 * <p>Reading is bounded: a length above {@code maxLength} is refused before a byte of the body is
 * read, and so is a fixed-size message (have, request, cancel, port, the bodiless ones) whose
 * length is not its size. The body of an unknown id is skipped, not kept. Every refusal is a
 * {@link ProtocolException} naming what was wrong; the connection that read it is closed.
 *
 * <p>BEP 52's hash request, hashes and hash reject (ids 21 to 23) are checked field by field: a
 * 32-byte pieces root, a base layer and proof layers below {@value #MAX_LAYERS}, a length that is
 * a power of two from 2 to {@value #MAX_HASH_COUNT}, an index that is a multiple of it, and for
 * hashes exactly {@code length + uncles(length, proofLayers)} hashes of 32 bytes.
 */
public final class MessageCodec {
    /** Room for a 16 KiB block, or a bitfield of 1 Mi pieces, with headers. */
    public static final int DEFAULT_MAX_LENGTH = (1 << 17) + 13;

    /** Most base-layer hashes in one hash request (BEP 52 says a length SHOULD NOT exceed 512; libtorrent accepts 8192). */
    public static final int MAX_HASH_COUNT = 8192;
    /** A merkle tree of a file of at most 2^63 bytes in 16 KiB blocks has fewer layers than this. */
    public static final int MAX_LAYERS = 64;
    private static final int HASH_HEADER = 1 + 32 + 16;

    private final int maxLength;

    public MessageCodec(int maxLength) {
        if (maxLength < 16384 + 9) {
            throw new IllegalArgumentException("a message limit must hold a 16 KiB block: " + maxLength);
        }
        this.maxLength = maxLength;
    }

    public Message read(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == 0) {
            return new KeepAlive();
        }
        if (length < 0 || length > maxLength) {
            throw new ProtocolException("message length " + Integer.toUnsignedString(length) + " above the limit " + maxLength);
        }
        int id = in.readUnsignedByte();
        switch (id) {
            case 0, 1, 2, 3 -> {
                fixed(id, length, 1);
                return switch (id) {
                    case 0 -> new Choke();
                    case 1 -> new Unchoke();
                    case 2 -> new Interested();
                    default -> new NotInterested();
                };
            }
            case 4 -> {
                fixed(id, length, 5);
                return new Have(in.readInt());
            }
            case 5 -> {
                byte[] bits = new byte[length - 1];
                in.readFully(bits);
                return new Bitfield(bits);
            }
            case 6, 8 -> {
                fixed(id, length, 13);
                int piece = in.readInt(), begin = in.readInt(), len = in.readInt();
                return id == 6 ? new Request(piece, begin, len) : new Cancel(piece, begin, len);
            }
            case 7 -> {
                if (length < 9) {
                    throw new ProtocolException("piece message of " + length + " bytes has no room for its header");
                }
                int piece = in.readInt(), begin = in.readInt();
                byte[] block = new byte[length - 9];
                in.readFully(block);
                return new Piece(piece, begin, block);
            }
            case 9 -> {
                fixed(id, length, 3);
                return new Port(in.readUnsignedShort());
            }
            case 20 -> {
                if (length < 2) {
                    throw new ProtocolException("extended message without an extension id");
                }
                int ext = in.readUnsignedByte();
                byte[] payload = new byte[length - 2];
                in.readFully(payload);
                return new Extended(ext, payload);
            }
            case 21, 23 -> {
                fixed(id, length, HASH_HEADER);
                byte[] root = new byte[32];
                in.readFully(root);
                int base = in.readInt(), index = in.readInt(), count = in.readInt(), proof = in.readInt();
                checkHashFields(id, base, index, count, proof);
                return id == 21 ? new HashRequest(root, base, index, count, proof) : new HashReject(root, base, index, count, proof);
            }
            case 22 -> {
                if (length < HASH_HEADER) {
                    throw new ProtocolException("hashes message of " + length + " bytes has no room for its header");
                }
                byte[] root = new byte[32];
                in.readFully(root);
                int base = in.readInt(), index = in.readInt(), count = in.readInt(), proof = in.readInt();
                checkHashFields(id, base, index, count, proof);
                long expected = (long) count + uncles(count, proof);
                if (length - HASH_HEADER != expected * 32) {
                    throw new ProtocolException("hashes message of " + (length - HASH_HEADER) + " bytes of hashes, expected "
                            + expected + " hashes of 32 bytes (" + count + " base, " + uncles(count, proof) + " uncles)");
                }
                byte[] hashes = new byte[length - HASH_HEADER];
                in.readFully(hashes);
                return new Hashes(root, base, index, count, proof, hashes);
            }
            default -> {
                in.skipNBytes(length - 1);
                return new Unknown(id, length);
            }
        }
    }

    private static void fixed(int id, int length, int expected) throws ProtocolException {
        if (length != expected) {
            throw new ProtocolException("message id " + id + " of length " + length + ", expected " + expected);
        }
    }

    /**
     * The number of uncle hashes a hashes message carries, as libtorrent 2.0 counts them (and
     * checks them in what it receives): proof layer {@code i} (from 0) adds the sibling of the
     * base nodes' ancestor {@code i + 1} layers above the base, once that ancestor is at or above
     * the root of the subtree the {@code length} base hashes fill ({@code log2(length)} layers up).
     */
    public static int uncles(int length, int proofLayers) {
        return Math.max(0, proofLayers - Integer.numberOfTrailingZeros(length) + 1);
    }

    private static void checkHashFields(int id, int base, int index, int length, int proof) throws ProtocolException {
        String what = id == 21 ? "hash request" : id == 22 ? "hashes" : "hash reject";
        if (base < 0 || base >= MAX_LAYERS) {
            throw new ProtocolException(what + ": base layer " + Integer.toUnsignedString(base) + " outside 0.." + (MAX_LAYERS - 1));
        }
        if (proof < 0 || proof >= MAX_LAYERS) {
            throw new ProtocolException(what + ": proof layers " + Integer.toUnsignedString(proof) + " outside 0.." + (MAX_LAYERS - 1));
        }
        if (length < 2 || length > MAX_HASH_COUNT || Integer.bitCount(length) != 1) {
            throw new ProtocolException(what + ": length " + Integer.toUnsignedString(length) + " is not a power of two from 2 to "
                    + MAX_HASH_COUNT);
        }
        if (index < 0 || index % length != 0) {
            throw new ProtocolException(what + ": index " + Integer.toUnsignedString(index) + " is not a multiple of the length " + length);
        }
    }

    /** The message as it goes on the wire, length prefix included. */
    public static byte[] encode(Message m) {
        if (m instanceof KeepAlive) {
            return new byte[4];
        } else if (m instanceof Choke) {
            return header(1, 0).array();
        } else if (m instanceof Unchoke) {
            return header(1, 1).array();
        } else if (m instanceof Interested) {
            return header(1, 2).array();
        } else if (m instanceof NotInterested) {
            return header(1, 3).array();
        } else if (m instanceof Have h) {
            return header(5, 4).putInt(h.piece()).array();
        } else if (m instanceof Bitfield b) {
            return header(1 + b.bits().length, 5).put(b.bits()).array();
        } else if (m instanceof Request r) {
            return header(13, 6).putInt(r.piece()).putInt(r.begin()).putInt(r.length()).array();
        } else if (m instanceof Piece p) {
            return header(9 + p.block().length, 7).putInt(p.piece()).putInt(p.begin()).put(p.block()).array();
        } else if (m instanceof Cancel c) {
            return header(13, 8).putInt(c.piece()).putInt(c.begin()).putInt(c.length()).array();
        } else if (m instanceof Port p) {
            return header(3, 9).putShort((short) p.port()).array();
        } else if (m instanceof HashRequest r) {
            return hashHeader(21, r.piecesRoot(), r.base(), r.index(), r.length(), r.proofLayers(), 0).array();
        } else if (m instanceof HashReject r) {
            return hashHeader(23, r.piecesRoot(), r.base(), r.index(), r.length(), r.proofLayers(), 0).array();
        } else if (m instanceof Hashes h) {
            return hashHeader(22, h.piecesRoot(), h.base(), h.index(), h.length(), h.proofLayers(), h.hashes().length)
                    .put(h.hashes()).array();
        } else if (m instanceof Extended e) {
            return header(2 + e.payload().length, 20).put((byte) e.id()).put(e.payload()).array();
        }
        throw new IllegalArgumentException("cannot send " + m);
    }

    private static ByteBuffer hashHeader(int id, byte[] root, int base, int index, int length, int proof, int extra) {
        if (root.length != 32) {
            throw new IllegalArgumentException("a pieces root of " + root.length + " bytes");
        }
        return header(HASH_HEADER + extra, id).put(root).putInt(base).putInt(index).putInt(length).putInt(proof);
    }

    private static ByteBuffer header(int length, int id) {
        return ByteBuffer.allocate(4 + length).putInt(length).put((byte) id);
    }
}
