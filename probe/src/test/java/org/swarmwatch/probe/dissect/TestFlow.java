package org.swarmwatch.probe.dissect;

/** A flow context for dissector tests: IPv4, the given transport and ports, flow id 1, start not captured. */
public record TestFlow(int ianaProtocol, int sourcePort, int destinationPort) implements FlowContext {
    public static TestFlow tcp(int sourcePort, int destinationPort) {
        return new TestFlow(6, sourcePort, destinationPort);
    }

    public static TestFlow udp(int sourcePort, int destinationPort) {
        return new TestFlow(17, sourcePort, destinationPort);
    }

    @Override
    public long id() {
        return 1;
    }

    @Override
    public boolean startCaptured() {
        return false;
    }

    @Override
    public int ipVersion() {
        return 4;
    }
}
