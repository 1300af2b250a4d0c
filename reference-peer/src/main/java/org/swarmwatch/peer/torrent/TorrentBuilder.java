package org.swarmwatch.peer.torrent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Makes metainfo (.torrent) files from a file or a directory: BitTorrent v1 (BEP 3), v2 (BEP 52)
 * or hybrid (both in one info dictionary, with BEP 47 pad files so that every file starts on a
 * piece boundary in the v1 view too).
 *
 * <p>v2: each file is cut in 16 KiB blocks whose SHA-256 hashes are the leaves of a binary merkle
 * tree, padded with zero hashes to a power of two; its root is the file's {@code pieces root}, and
 * for files longer than a piece the tree's layer whose nodes cover one piece each goes to
 * {@code piece layers}. v1: the SHA-1 of each piece of the files laid end to end.
 */
public final class TorrentBuilder {
    /** BitTorrent versions a torrent can be made for. */
    public enum Version { V1, V2, HYBRID }

    /** v2 merkle leaves cover 16 KiB blocks. */
    public static final int BLOCK = 16384;

    /**
     * A made torrent.
     *
     * @param metainfo the bencoded .torrent file
     * @param info     the bencoded info dictionary (what the info hashes are taken of)
     * @param v1       SHA-1 of the info dictionary, or null for v2-only
     * @param v2       SHA-256 of the info dictionary, or null for v1-only
     */
    public record Torrent(String name, byte[] metainfo, byte[] info, byte[] v1, byte[] v2) {
        /** A magnet link (BEP 9; BEP 52's {@code urn:btmh} for v2), with the given trackers. */
        public String magnet(List<String> trackers) {
            StringBuilder m = new StringBuilder("magnet:?");
            if (v1 != null) {
                m.append("xt=urn:btih:").append(HexFormat.of().formatHex(v1)).append('&');
            }
            if (v2 != null) {
                m.append("xt=urn:btmh:1220").append(HexFormat.of().formatHex(v2)).append('&');
            }
            m.append("dn=").append(URLEncoder.encode(name, StandardCharsets.UTF_8));
            for (String t : trackers) {
                m.append("&tr=").append(URLEncoder.encode(t, StandardCharsets.UTF_8));
            }
            return m.toString();
        }
    }

    private TorrentBuilder() {
    }

    /**
     * @param source      a file, or a directory whose regular files (in path order) make the torrent
     * @param pieceLength a power of two of at least 16 KiB
     * @param announce    tracker URL, or null for none
     */
    public static Torrent create(Path source, Version version, int pieceLength, String announce) throws IOException {
        if (pieceLength < BLOCK || Integer.bitCount(pieceLength) != 1) {
            throw new IllegalArgumentException("piece length must be a power of two of at least 16 KiB, not " + pieceLength);
        }
        if (!Files.exists(source)) {
            throw new IOException("no such file or directory: " + source);
        }
        String name = source.getFileName().toString();
        boolean single = Files.isRegularFile(source);
        List<Path> files = new ArrayList<>();
        if (single) {
            files.add(source);
        } else {
            try (Stream<Path> s = Files.walk(source)) {
                // the order of the v2 file tree (bencoded keys: component by component, bytewise), so the v1 list agrees
                s.filter(Files::isRegularFile).sorted((a, b) -> compareComponents(source.relativize(a), source.relativize(b)))
                        .forEach(files::add);
            }
            if (files.isEmpty()) {
                throw new IOException(source + " holds no files");
            }
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("piece length", (long) pieceLength);
        Map<byte[], Object> pieceLayers = new LinkedHashMap<>();
        if (version != Version.V1) {
            info.put("meta version", 2L);
            Map<String, Object> tree = new LinkedHashMap<>();
            for (Path f : files) {
                List<String> path = single ? List.of(name) : components(source.relativize(f));
                Map<String, Object> node = tree;
                for (String part : path) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> next = (Map<String, Object>) node.computeIfAbsent(part, k -> new LinkedHashMap<String, Object>());
                    node = next;
                }
                Map<String, Object> leaf = new LinkedHashMap<>();
                long length = Files.size(f);
                leaf.put("length", length);
                if (length > 0) {
                    Merkle m = merkle(f, pieceLength);
                    leaf.put("pieces root", m.root);
                    if (length > pieceLength) {
                        pieceLayers.put(m.root, m.pieceLayer);
                    }
                }
                node.put("", leaf);
            }
            info.put("file tree", tree);
        }
        if (version != Version.V2) {
            V1 v1 = v1(source, files, single, pieceLength, version == Version.HYBRID);
            info.put("pieces", v1.pieces);
            if (single) {
                info.put("length", Files.size(source));
            } else {
                info.put("files", v1.files);
            }
        }
        byte[] infoBytes = BencodeWriter.encode(info);
        Map<String, Object> meta = new LinkedHashMap<>();
        if (announce != null) {
            meta.put("announce", announce);
        }
        meta.put("created by", "Swarmwatch reference peer");
        meta.put("info", new BencodeWriter.Raw(infoBytes));
        if (!pieceLayers.isEmpty()) {
            meta.put("piece layers", pieceLayers);
        }
        byte[] metainfo = BencodeWriter.encode(meta);
        return new Torrent(name, metainfo, infoBytes, version == Version.V2 ? null : digest("SHA-1", infoBytes),
                version == Version.V1 ? null : digest("SHA-256", infoBytes));
    }

    private static int compareComponents(Path a, Path b) {
        List<String> x = components(a), y = components(b);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = Arrays.compareUnsigned(x.get(i).getBytes(StandardCharsets.UTF_8), y.get(i).getBytes(StandardCharsets.UTF_8));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }

    private static List<String> components(Path relative) {
        List<String> parts = new ArrayList<>();
        relative.forEach(p -> parts.add(p.toString()));
        return parts;
    }

    private record Merkle(byte[] root, byte[] pieceLayer) {
    }

    /** The file's merkle root and, for a file longer than a piece, its piece layer (BEP 52). */
    private static Merkle merkle(Path file, int pieceLength) throws IOException {
        MessageDigest sha256 = sha256();
        List<byte[]> leaves = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] block = new byte[BLOCK];
            while (true) {
                int n = in.readNBytes(block, 0, BLOCK);
                if (n == 0) {
                    break;
                }
                sha256.update(block, 0, n);
                leaves.add(sha256.digest());
                if (n < BLOCK) {
                    break;
                }
            }
        }
        int blocksPerPiece = pieceLength / BLOCK;
        int width = Integer.highestOneBit(Math.max(1, leaves.size() - 1)) << 1;
        if (leaves.size() == 1) {
            width = 1;
        }
        List<byte[]> layer = new ArrayList<>(leaves);
        while (layer.size() < width) {
            layer.add(new byte[32]);
        }
        byte[] pieceLayer = null;
        int height = 0;
        while (layer.size() > 1) {
            if (1 << height == blocksPerPiece) {
                pieceLayer = concat(layer.subList(0, (leaves.size() + blocksPerPiece - 1) / blocksPerPiece));
            }
            List<byte[]> up = new ArrayList<>(layer.size() / 2);
            for (int i = 0; i < layer.size(); i += 2) {
                sha256.update(layer.get(i));
                sha256.update(layer.get(i + 1));
                up.add(sha256.digest());
            }
            layer = up;
            height++;
        }
        if (pieceLayer == null && 1 << height == blocksPerPiece) {
            pieceLayer = layer.get(0);
        }
        return new Merkle(layer.get(0), pieceLayer);
    }

    private record V1(byte[] pieces, List<Object> files) {
    }

    /** v1 piece hashes over the files laid end to end (with pad files before each next file for hybrids). */
    private static V1 v1(Path source, List<Path> files, boolean single, int pieceLength, boolean pad) throws IOException {
        MessageDigest sha1 = digestOf("SHA-1");
        java.io.ByteArrayOutputStream pieces = new java.io.ByteArrayOutputStream();
        List<Object> list = new ArrayList<>();
        long inPiece = 0;
        byte[] buffer = new byte[65536];
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            long length = Files.size(f);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("length", length);
            entry.put("path", single ? List.of(f.getFileName().toString()) : components(source.relativize(f)));
            list.add(entry);
            try (InputStream in = Files.newInputStream(f)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    int at = 0;
                    while (at < n) {
                        int take = (int) Math.min(n - at, pieceLength - inPiece);
                        sha1.update(buffer, at, take);
                        at += take;
                        inPiece += take;
                        if (inPiece == pieceLength) {
                            pieces.writeBytes(sha1.digest());
                            inPiece = 0;
                        }
                    }
                }
            }
            boolean last = i == files.size() - 1;
            if (pad && !last && inPiece > 0) {
                long padLength = pieceLength - inPiece;
                sha1.update(new byte[(int) padLength]);
                pieces.writeBytes(sha1.digest());
                inPiece = 0;
                Map<String, Object> padEntry = new LinkedHashMap<>();
                padEntry.put("attr", "p");
                padEntry.put("length", padLength);
                padEntry.put("path", List.of(".pad", Long.toString(padLength)));
                list.add(padEntry);
            }
        }
        if (inPiece > 0) {
            pieces.writeBytes(sha1.digest());
        }
        return new V1(pieces.toByteArray(), list);
    }

    private static byte[] concat(List<byte[]> parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] digest(String algorithm, byte[] data) {
        return digestOf(algorithm).digest(data);
    }

    private static MessageDigest sha256() {
        return digestOf("SHA-256");
    }

    private static MessageDigest digestOf(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java runtime", e);
        }
    }
}
