package org.swarmwatch.probe.eval;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/** What a capture's TCP and UDP flows are known to be: one of two kinds of ground truth. */
sealed interface FlowTruth {

    /**
     * Per flow: every flow whose two endpoints lie in the lab networks is {@code protocol}, every
     * other flow is not P2P. Flow recall and precision are exact: each flow is right or wrong.
     */
    record LabFlows(List<Subnet> labNetworks, String protocol) implements FlowTruth {
        boolean expected(FlowKey flow) {
            return lab(flow.addressA()) && lab(flow.addressB());
        }

        private boolean lab(String address) {
            InetAddress a = FlowKey.address(address);
            return a != null && labNetworks.stream().anyMatch(n -> n.contains(a));
        }
    }

    /**
     * Per capture: only how many flows of each protocol it holds (protocol names lowercase), and
     * how many TCP and UDP flows in all. Which flows they are is not known, so a tool that labels
     * {@code d} flows of a protocol where {@code e} are expected is credited {@code min(d, e)}
     * right: an upper bound, exact whenever {@code d <= e} means the tool labelled a subset of the
     * right flows, as in every capture of ../shared/pcaps where each file holds one P2P protocol.
     */
    record Counts(Map<String, Integer> expected, int totalFlows) implements FlowTruth {
    }
}
