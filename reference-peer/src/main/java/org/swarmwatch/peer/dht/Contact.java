package org.swarmwatch.peer.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A DHT node's id and UDP address, and BEP 5's compact forms: 26 bytes per node (id, IPv4
 * address, port in network order) and 6 bytes per peer (address, port). IPv4 only: the IPv6
 * forms ({@code nodes6}, BEP 32) are not spoken.
 */
public record Contact(NodeId id, InetSocketAddress address) {
    public static final int COMPACT_NODE = 26, COMPACT_PEER = 6;

    /** Nodes in compact form; an address that is not IPv4 cannot be written and is left out. */
    public static byte[] compactNodes(List<Contact> nodes) {
        ByteBuffer b = ByteBuffer.allocate(nodes.size() * COMPACT_NODE);
        for (Contact c : nodes) {
            if (c.address.getAddress() instanceof Inet4Address) {
                b.put(c.id.bytes());
                putPeer(b, c.address);
            }
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** The nodes of a compact {@code nodes} string, whose length must be a multiple of 26. */
    public static List<Contact> parseNodes(byte[] compact) throws KrpcException {
        if (compact.length % COMPACT_NODE != 0) {
            throw new KrpcException("'nodes' of " + compact.length + " bytes is not a multiple of " + COMPACT_NODE, null,
                    KrpcException.PROTOCOL);
        }
        List<Contact> out = new ArrayList<>(compact.length / COMPACT_NODE);
        ByteBuffer b = ByteBuffer.wrap(compact);
        while (b.hasRemaining()) {
            byte[] id = new byte[NodeId.LENGTH];
            b.get(id);
            out.add(new Contact(NodeId.of(id), getPeer(b)));
        }
        return out;
    }

    /** A peer in compact form; null if its address is not IPv4. */
    public static byte[] compactPeer(InetSocketAddress peer) {
        if (!(peer.getAddress() instanceof Inet4Address)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(COMPACT_PEER);
        putPeer(b, peer);
        return b.array();
    }

    /** A peer of a compact 6-byte string. */
    public static InetSocketAddress parsePeer(byte[] compact) throws KrpcException {
        if (compact.length != COMPACT_PEER) {
            throw new KrpcException("a compact peer is " + COMPACT_PEER + " bytes, not " + compact.length, null, KrpcException.PROTOCOL);
        }
        return getPeer(ByteBuffer.wrap(compact));
    }

    private static void putPeer(ByteBuffer b, InetSocketAddress a) {
        b.put(a.getAddress().getAddress()).putShort((short) a.getPort());
    }

    private static InetSocketAddress getPeer(ByteBuffer b) {
        byte[] ip = new byte[4];
        b.get(ip);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), b.getShort() & 0xffff);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an address", e);
        }
    }
}
