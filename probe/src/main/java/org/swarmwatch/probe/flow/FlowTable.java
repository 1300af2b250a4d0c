package org.swarmwatch.probe.flow;

import org.swarmwatch.events.FlowEndReason;
import org.swarmwatch.probe.decode.DecodedPacket;

/**
 * The probe's bidirectional flow table: finds the {@link Flow} of each decoded packet, counts it,
 * and ends flows by idle timeout, active timeout, TCP close, memory bound or end of capture.
 *
 * <h2>Design</h2>
 * Open addressing with linear probing over one {@code Flow[]} (load factor at most 1/2, so a
 * lookup touches about 1.5 slots on a hit and 2.5 on a miss), and deletion by backward shift so no
 * tombstones accumulate. Every flow also sits on one of two intrusive doubly-linked lists ordered
 * by last packet: open flows and TCP flows that have closed (FIN both ways, or RST). Because
 * a packet moves its flow to the tail, the least recently seen flow is always at a head, so:
 * <ul>
 *   <li>idle expiry looks only at the heads: O(1) per packet, no periodic scan;</li>
 *   <li>the memory bound evicts a head: closed flows first (they are finished), then the open
 *       flow seen least recently (LRU), and counts it;</li>
 *   <li>active timeouts are checked when a packet arrives for the flow (a flow that stops sending
 *       ends by idle timeout instead).</li>
 * </ul>
 * Time is the capture's (packet timestamps, never running backwards: the largest seen so far),
 * so a replay gives the same flows at any speed. A live source calls {@link #advanceTo} when the
 * link is quiet.
 *
 * <p>Memory: {@code maxFlows} flows of 136 bytes plus 2 slots of 4 bytes each (compressed oops)
 * = 144 bytes per flow at full load; docs/benchmarks.md has the measurement.
 *
 * <p>Not thread-safe: one table per processing thread.
 */
public final class FlowTable {
    private final long idleMicros, activeMicros, closedLingerMicros;
    private final int maxFlows;
    private final Flow[] slots;
    private final int mask;
    private final FlowListener listener;
    private final long idBase;

    private int size;
    private long nowMicros = Long.MIN_VALUE;
    private long nextId;
    private Flow openHead, openTail, closedHead, closedTail;
    private boolean lastFromInitiator;

    private long created, evicted;

    /**
     * @param idBase added to a per-table counter to make flow ids; give each probe run a random base
     *               so that ids do not repeat across restarts
     */
    public FlowTable(FlowTableConfig config, FlowListener listener, long idBase) {
        this.idleMicros = config.idleTimeout().toNanos() / 1000;
        this.activeMicros = config.activeTimeout().toNanos() / 1000;
        this.closedLingerMicros = config.tcpClosedLinger().toNanos() / 1000;
        this.maxFlows = config.maxFlows();
        int capacity = Integer.highestOneBit(Math.max(32, maxFlows) - 1) << 2; // >= 2 * maxFlows
        this.slots = new Flow[capacity];
        this.mask = capacity - 1;
        this.listener = listener;
        this.idBase = idBase;
    }

    /**
     * Counts a packet into its flow, creating the flow if needed, and returns it. Ends the flows
     * whose timeouts the packet's timestamp has passed first. The packet's direction relative to
     * the flow's initiator is then available from {@link #lastPacketFromInitiator()}.
     */
    public Flow update(DecodedPacket p) {
        advanceTo(p.timestampMicros);
        boolean srcIsA = compare(p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort) <= 0;
        long aHi = srcIsA ? p.srcHi : p.dstHi, aLo = srcIsA ? p.srcLo : p.dstLo;
        long bHi = srcIsA ? p.dstHi : p.srcHi, bLo = srcIsA ? p.dstLo : p.srcLo;
        int aPort = srcIsA ? p.srcPort : p.dstPort, bPort = srcIsA ? p.dstPort : p.srcPort;
        byte proto = (byte) p.protocol;
        int hash = hash(aHi, aLo, bHi, bLo, aPort, bPort, proto);

        int slot = hash & mask;
        Flow f;
        while ((f = slots[slot]) != null) {
            if (f.hash == hash && f.aLo == aLo && f.bLo == bLo && f.aHi == aHi && f.bHi == bHi
                    && f.aPort == aPort && f.bPort == bPort && f.protocol == proto) {
                break;
            }
            slot = (slot + 1) & mask;
        }
        boolean syn = p.protocol == 6 && (p.tcpFlags & 0x12) == 0x02;
        if (f != null && syn && (f.tcpState & Flow.CLOSED) != 0
                && !((f.tcpState & Flow.SYN_SEEN) != 0 && f.synSeq == (int) p.tcpSeq)) {
            // A new connection on the same ports after the old one closed (RFC 9293 section 3.5): a new
            // flow. A SYN with the first SYN's sequence number is a retransmission of it, not a new connection.
            removeAt(slot, f);
            listener.flowEnded(f, FlowEndReason.TCP_CLOSED);
            f = null;
        }
        if (f == null) {
            if (size >= maxFlows) {
                evictOne();
            }
            f = new Flow();
            f.aHi = aHi;
            f.aLo = aLo;
            f.bHi = bHi;
            f.bLo = bLo;
            f.aPort = aPort;
            f.bPort = bPort;
            f.protocol = proto;
            f.hash = hash;
            f.ipVersion = (byte) p.ipVersion;
            f.vlanId = p.vlanId;
            f.encapsulations = p.encapsulations;
            // The initiator sent the first packet, unless that packet is a SYN-ACK: then we missed the SYN.
            boolean synAck = p.protocol == 6 && (p.tcpFlags & 0x12) == 0x12;
            f.initiatorIsA = synAck != srcIsA;
            if (syn || synAck) {
                f.tcpState = Flow.START_SEEN;
            }
            if (syn) {
                f.tcpState |= Flow.SYN_SEEN;
                f.synSeq = (int) p.tcpSeq;
            }
            f.id = idBase + nextId++;
            f.firstMicros = p.timestampMicros;
            f.lastMicros = p.timestampMicros;
            insert(f);
            appendTo(f, false);
            created++;
        } else {
            if (p.timestampMicros - f.firstMicros >= activeMicros) {
                listener.flowEnded(f, FlowEndReason.ACTIVE_TIMEOUT);
                startNextSegment(f, p.timestampMicros);
            }
            unlink(f);
            appendTo(f, (f.tcpState & Flow.CLOSED) != 0);
        }
        if (srcIsA) {
            f.packetsAtoB++;
            f.bytesAtoB += p.ipLength;
        } else {
            f.packetsBtoA++;
            f.bytesBtoA += p.ipLength;
        }
        if (p.timestampMicros > f.lastMicros) {
            f.lastMicros = p.timestampMicros;
        } else if (p.timestampMicros < f.firstMicros) {
            f.firstMicros = p.timestampMicros;
        }
        if (p.protocol == 6 && (p.tcpFlags & 0x05) != 0) {
            trackClose(f, srcIsA, p.tcpFlags);
        }
        lastFromInitiator = srcIsA == f.initiatorIsA;
        return f;
    }

    /** Whether the packet given to the last {@link #update} was sent by its flow's initiator. */
    public boolean lastPacketFromInitiator() {
        return lastFromInitiator;
    }

    /** Moves the table's clock forward (never back) and ends the flows whose timeouts passed. */
    public void advanceTo(long micros) {
        if (micros <= nowMicros) {
            return;
        }
        nowMicros = micros;
        while (closedHead != null && micros - closedHead.lastMicros >= closedLingerMicros) {
            end(closedHead, FlowEndReason.TCP_CLOSED);
        }
        while (openHead != null && micros - openHead.lastMicros >= idleMicros) {
            end(openHead, FlowEndReason.IDLE_TIMEOUT);
        }
    }

    /** Ends every flow (end of a capture file, probe shutdown). */
    public void endAll(FlowEndReason reason) {
        while (closedHead != null) {
            end(closedHead, reason);
        }
        while (openHead != null) {
            end(openHead, reason);
        }
        nowMicros = Long.MIN_VALUE;
    }

    public int size() {
        return size;
    }

    /** Flows created since the table was made. */
    public long created() {
        return created;
    }

    /** Flows evicted by the memory bound since the table was made. */
    public long evicted() {
        return evicted;
    }

    // ---------------------------------------------------------------- internals

    private void trackClose(Flow f, boolean fromA, int tcpFlags) {
        if ((tcpFlags & 0x04) != 0) {
            f.tcpState |= Flow.RST;
        }
        if ((tcpFlags & 0x01) != 0) {
            f.tcpState |= fromA ? Flow.FIN_A : Flow.FIN_B;
        }
        boolean closed = (f.tcpState & Flow.RST) != 0 || (f.tcpState & (Flow.FIN_A | Flow.FIN_B)) == (Flow.FIN_A | Flow.FIN_B);
        if (closed && (f.tcpState & Flow.CLOSED) == 0) {
            unlink(f); // while still marked open: unlink reads the mark to find the list
            f.tcpState |= Flow.CLOSED;
            appendTo(f, true);
        }
    }

    private void startNextSegment(Flow f, long micros) {
        f.segment++;
        f.firstMicros = micros;
        f.lastMicros = micros;
        f.packetsAtoB = f.packetsBtoA = f.bytesAtoB = f.bytesBtoA = 0;
    }

    private void evictOne() {
        Flow victim = closedHead != null ? closedHead : openHead;
        evicted++;
        end(victim, FlowEndReason.EVICTED);
    }

    private void end(Flow f, FlowEndReason reason) {
        int slot = f.hash & mask;
        while (slots[slot] != f) {
            slot = (slot + 1) & mask;
        }
        removeAt(slot, f);
        listener.flowEnded(f, reason);
    }

    private void insert(Flow f) {
        int slot = f.hash & mask;
        while (slots[slot] != null) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = f;
        size++;
    }

    /** Removes the flow at {@code slot} from the array (backward-shift deletion) and from its list. */
    private void removeAt(int slot, Flow f) {
        unlink(f);
        size--;
        int hole = slot;
        int i = (slot + 1) & mask;
        Flow g;
        while ((g = slots[i]) != null) {
            int home = g.hash & mask;
            // g may move into the hole if its home slot is not in the cyclic range (hole, i].
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                slots[hole] = g;
                hole = i;
            }
            i = (i + 1) & mask;
        }
        slots[hole] = null;
    }

    private void appendTo(Flow f, boolean closedList) {
        if (closedList) {
            f.prev = closedTail;
            if (closedTail == null) {
                closedHead = f;
            } else {
                closedTail.next = f;
            }
            closedTail = f;
        } else {
            f.prev = openTail;
            if (openTail == null) {
                openHead = f;
            } else {
                openTail.next = f;
            }
            openTail = f;
        }
    }

    private void unlink(Flow f) {
        boolean closed = (f.tcpState & Flow.CLOSED) != 0;
        if (f.prev == null) {
            if (closed) {
                closedHead = f.next;
            } else {
                openHead = f.next;
            }
        } else {
            f.prev.next = f.next;
        }
        if (f.next == null) {
            if (closed) {
                closedTail = f.prev;
            } else {
                openTail = f.prev;
            }
        } else {
            f.next.prev = f.prev;
        }
        f.prev = f.next = null;
    }

    private static int compare(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        int c = Long.compareUnsigned(aHi, bHi);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(aLo, bLo);
        return c != 0 ? c : Integer.compare(aPort, bPort);
    }

    /** A 64-bit mix (the finaliser of MurmurHash3) folded to 32 bits; the key is already canonical. */
    private static int hash(long aHi, long aLo, long bHi, long bLo, int aPort, int bPort, byte proto) {
        long h = aLo * 0x9E3779B97F4A7C15L;
        h ^= Long.rotateLeft(bLo * 0xC2B2AE3D27D4EB4FL, 31);
        h ^= aHi * 0x165667B19E3779F9L ^ Long.rotateLeft(bHi, 17);
        h ^= ((long) aPort << 32 | (long) bPort << 8 | (proto & 0xff)) * 0x27D4EB2F165667C5L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h ^ (int) (h >>> 32);
    }
}
