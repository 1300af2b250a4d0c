package org.swarmwatch.probe.source;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.swarmwatch.probe.decode.LinkType;

/**
 * Captures from a network interface through libpcap. The handle is non-blocking: each
 * {@code pcap_dispatch} takes what the kernel buffer holds, and when it is empty the reader sleeps
 * {@value #IDLE_SLEEP_MILLIS} ms (the kernel buffer keeps what arrives meanwhile). Blocking reads
 * with a timeout do not return on a silent link with Linux's TPACKET_V3, so this is what keeps a
 * quiet link's clock moving: every 100 ms without frames the handler hears
 * {@link FrameHandler#onIdle} and flow timeouts advance.
 */
public final class LiveInterfaceSource implements PacketSource {
    private static final int IDLE_SLEEP_MILLIS = 5;
    private static final long IDLE_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String interfaceName;
    private final PcapHandle handle;
    private final int linkType;
    private volatile boolean stopped;
    private volatile CaptureStats lastStats = CaptureStats.ZERO;
    private final PcapDumper dumper;

    /**
     * @param snaplen     bytes kept per frame
     * @param bufferBytes kernel capture buffer; larger rides out bursts without drops
     * @param filter      BPF filter expression, or null for everything
     * @param writePcap   a pcap file every captured frame is also written to (libpcap's dumper), or null
     */
    public LiveInterfaceSource(String interfaceName, int snaplen, int bufferBytes, String filter, boolean promiscuous, Path writePcap)
            throws CaptureException {
        this.interfaceName = interfaceName;
        try {
            handle = new PcapHandle.Builder(interfaceName)
                    .snaplen(snaplen)
                    .bufferSize(bufferBytes)
                    .timeoutMillis(100)
                    .promiscuousMode(promiscuous ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                            : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .build();
        } catch (PcapNativeException e) {
            boolean permission = String.valueOf(e.getMessage()).toLowerCase().contains("permitted")
                    || String.valueOf(e.getMessage()).toLowerCase().contains("permission");
            throw new CaptureException("interface " + interfaceName + ": cannot capture: " + e.getMessage()
                    + (permission ? " (capturing needs root or the CAP_NET_RAW and CAP_NET_ADMIN capabilities)" : ""),
                    permission, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CaptureException("libpcap is not installed or cannot be loaded (" + e.getMessage()
                    + "); install it with: apt-get install -y libpcap0.8", true, e);
        }
        try {
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new CaptureException("interface " + interfaceName + ": cannot switch to non-blocking reads: " + e.getMessage());
        }
        linkType = handle.getDlt().value();
        if (!LinkType.isSupported(linkType)) {
            handle.close();
            throw new CaptureException("interface " + interfaceName + ": link type " + linkType + " ("
                    + LinkType.name(linkType) + ") is not supported");
        }
        if (filter != null && !filter.isBlank()) {
            try {
                handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            } catch (PcapNativeException | NotOpenException e) {
                handle.close();
                throw new CaptureException("interface " + interfaceName + ": invalid capture filter '" + filter + "': " + e.getMessage());
            }
        }
        if (writePcap != null) {
            try {
                dumper = handle.dumpOpen(writePcap.toString());
            } catch (PcapNativeException | NotOpenException e) {
                handle.close();
                throw new CaptureException("cannot write the pcap file " + writePcap + ": " + e.getMessage());
            }
        } else {
            dumper = null;
        }
    }

    @Override
    public String name() {
        return interfaceName;
    }

    @Override
    public int linkType() {
        return linkType;
    }

    @Override
    public long run(FrameHandler handler) throws CaptureException {
        long frames = 0;
        long lastStatsNanos = 0;
        long lastFrameNanos = System.nanoTime();
        long lastIdleNanos = 0;
        while (!stopped) {
            int n;
            try {
                n = handle.dispatch(-1, (byte[] frame) -> {
                    if (dumper != null) {
                        dump(frame);
                    }
                    LibpcapFrames.deliver(handle, frame, handler);
                });
            } catch (InterruptedException e) {
                break; // pcap_breakloop
            } catch (PcapNativeException | NotOpenException e) {
                throw new CaptureException("interface " + interfaceName + ": capture failed: " + e.getMessage());
            }
            frames += Math.max(0, n);
            long now = System.nanoTime();
            if (now - lastStatsNanos > TimeUnit.MILLISECONDS.toNanos(500)) {
                refreshStats();
                lastStatsNanos = now;
            }
            if (n > 0) {
                lastFrameNanos = now;
                continue;
            }
            if (now - lastFrameNanos >= IDLE_TICK_NANOS && now - lastIdleNanos >= IDLE_TICK_NANOS) {
                handler.onIdle(System.currentTimeMillis() * 1000L);
                lastIdleNanos = now;
            }
            try {
                Thread.sleep(IDLE_SLEEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        refreshStats();
        return frames;
    }

    private void dump(byte[] frame) {
        try {
            dumper.dumpRaw(frame, handle.getTimestamp());
        } catch (NotOpenException e) {
            // closed while stopping
        }
    }

    private void refreshStats() {
        try {
            PcapStat s = handle.getStats();
            lastStats = new CaptureStats(s.getNumPacketsReceived(), s.getNumPacketsDropped(), s.getNumPacketsDroppedByIf());
        } catch (PcapNativeException | NotOpenException e) {
            // keep the previous counters; the next refresh may succeed
        }
    }

    @Override
    public void stop() {
        stopped = true;
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // already closed
        }
    }

    @Override
    public CaptureStats stats() {
        return lastStats;
    }

    @Override
    public void close() {
        if (dumper != null) {
            dumper.close();
        }
        handle.close();
    }
}
