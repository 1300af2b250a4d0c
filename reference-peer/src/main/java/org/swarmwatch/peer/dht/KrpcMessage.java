package org.swarmwatch.peer.dht;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One KRPC message of BEP 5 (a bencoded dictionary in one UDP datagram): a query, a response or
 * an error, each with the transaction id ({@code t}) that pairs a response with its query.
 * {@link Krpc} reads and writes them.
 */
public sealed interface KrpcMessage {
    byte[] transaction();

    /** A query ({@code y=q}); {@code readOnly} is BEP 43's {@code ro}: the sender answers no queries. */
    sealed interface Query extends KrpcMessage {
        NodeId nodeId();

        boolean readOnly();

        String method();
    }

    record Ping(byte[] transaction, NodeId nodeId, boolean readOnly) implements Query {
        public String method() {
            return "ping";
        }
    }

    record FindNode(byte[] transaction, NodeId nodeId, boolean readOnly, NodeId target) implements Query {
        public String method() {
            return "find_node";
        }
    }

    record GetPeers(byte[] transaction, NodeId nodeId, boolean readOnly, NodeId infoHash) implements Query {
        public String method() {
            return "get_peers";
        }
    }

    /** {@code impliedPort}: the peer's port is the query's UDP source port, {@code port} is ignored. */
    record AnnouncePeer(byte[] transaction, NodeId nodeId, boolean readOnly, NodeId infoHash, int port, boolean impliedPort,
            byte[] token) implements Query {
        public String method() {
            return "announce_peer";
        }
    }

    /**
     * A response ({@code y=r}). Which fields are set depends on the query it answers: {@code nodes}
     * for find_node and get_peers, {@code values} (compact peers) and {@code token} for get_peers;
     * absent ones are empty lists and a null token.
     */
    record Response(byte[] transaction, NodeId nodeId, List<Contact> nodes, List<InetSocketAddress> values, byte[] token)
            implements KrpcMessage {
    }

    /** An error ({@code y=e}): a code of {@link KrpcException} and a message. */
    record Error(byte[] transaction, int code, String message) implements KrpcMessage {
    }
}
