package org.swarmwatch.probe.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of one evaluation: the tools' scorecards over the same captures of one folder,
 * against one ground truth.
 *
 * @param truth        the ground truth
 * @param dir          the folder evaluated
 * @param tools        one scorecard per tool, the probe first; their captures are in the same order
 * @param skipped      captures left out, each with the reason (a capture that could not be read)
 * @param notInManifest capture files in the folder that the manifest does not describe (not scored)
 */
public record EvalReport(GroundTruth truth, Path dir, List<Scorecard> tools, List<String> skipped, List<String> notInManifest) {
}
