package org.swarmwatch.probe.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the captures of a manifest are known to hold, read from one of the two manifest formats of
 * ../shared (the format is recognised by the header line):
 *
 * <ul>
 *   <li>{@link BtCapturesManifest}: ../shared/bt-captures/pcaps/MANIFEST.tsv, lab captures of real
 *       clients; truth per flow.</li>
 *   <li>{@link NdpiTestManifest}: ../shared/pcaps/MANIFEST.tsv with infohashes.tsv beside it,
 *       nDPI's test captures; truth as flow counts per capture and protocol.</li>
 * </ul>
 *
 * @param manifest    the file read
 * @param format      {@code bt-captures} or {@code ndpi-pcaps}
 * @param description one line on how the truth defines a P2P flow, for reports
 * @param protocols   the P2P protocols the truth names (lower case)
 * @param captures    every capture the manifest describes, in its order
 */
public record GroundTruth(Path manifest, String format, String description, Set<String> protocols, List<CaptureTruth> captures) {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

    /** Reads a manifest; every problem is a {@link ManifestException} naming file, line and column. */
    public static GroundTruth read(Path manifest) throws IOException {
        TsvFile tsv = TsvFile.read(manifest);
        if (BtCapturesManifest.recognises(tsv)) {
            return BtCapturesManifest.read(tsv);
        }
        if (NdpiTestManifest.recognises(tsv)) {
            return NdpiTestManifest.read(tsv);
        }
        throw new ManifestException(manifest, 1, null, "not a known manifest: the header has neither seen_in_handshake "
                + "(../shared/bt-captures/pcaps/MANIFEST.tsv) nor " + NdpiTestManifest.BY_PROTOCOL + " (../shared/pcaps/MANIFEST.tsv)");
    }

    /** The folder the manifest's file names are relative to. */
    public Path base() {
        return manifest.toAbsolutePath().normalize().getParent();
    }

    /** A hash cell: hex digits, one of {@code lengths} long; returned in lower case. */
    static String hash(TsvFile tsv, TsvFile.Row row, String column, String value, int... lengths) throws ManifestException {
        for (int length : lengths) {
            if (value.length() == length && HEX.matcher(value).matches()) {
                return value.toLowerCase(Locale.ROOT);
            }
        }
        throw tsv.error(row, column, "'" + value + "' is not a hash of " + (lengths.length == 1 ? lengths[0] : lengths[0] + " or " + lengths[1])
                + " hex digits");
    }

    /** A cell holding a count. */
    static int count(TsvFile tsv, TsvFile.Row row, String column) throws ManifestException {
        String value = tsv.get(row, column);
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw tsv.error(row, column, "'" + value + "' is not a count (a whole number, 0 or more)");
    }

    /** The {@code file} cell: not empty, no ".." (names are relative to the manifest's folder). */
    static String file(TsvFile tsv, TsvFile.Row row, Set<String> seen) throws ManifestException {
        String file = tsv.get(row, "file");
        if (file.isBlank() || Path.of(file).isAbsolute() || Path.of(file).normalize().startsWith("..")) {
            throw tsv.error(row, "file", "'" + file + "' is not a file name relative to the manifest's folder");
        }
        if (!seen.add(file)) {
            throw tsv.error(row, "file", file + " is listed twice");
        }
        return file;
    }
}
