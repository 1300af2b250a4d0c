package org.swarmwatch.probe.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One tool's scores over the captures of a run: per capture and summed. */
public final class Scorecard {
    private final String tool;
    private final List<CaptureScore> captures = new ArrayList<>();
    private Map<String, FlowCount> byProtocol = new TreeMap<>();
    private FlowCount allP2p = FlowCount.ZERO;
    private HashScore hashes = HashScore.ZERO;
    private long flows;

    Scorecard(String tool) {
        this.tool = tool;
    }

    void add(CaptureScore score) {
        captures.add(score);
        byProtocol = Scoring.sum(byProtocol, score.byProtocol());
        allP2p = allP2p.plus(score.allP2p());
        hashes = hashes.plus(score.hashes());
        flows += score.flows();
    }

    public String tool() {
        return tool;
    }

    public List<CaptureScore> captures() {
        return List.copyOf(captures);
    }

    /** Per P2P protocol expected or labelled in some capture. */
    public Map<String, FlowCount> byProtocol() {
        return byProtocol;
    }

    public FlowCount allP2p() {
        return allP2p;
    }

    public HashScore hashes() {
        return hashes;
    }

    /** TCP and UDP flows the tool listed. */
    public long flows() {
        return flows;
    }
}
