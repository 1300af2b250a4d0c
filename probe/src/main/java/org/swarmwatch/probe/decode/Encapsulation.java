package org.swarmwatch.probe.decode;

/** Layers a packet can be wrapped in on the way to its innermost IP header. */
public enum Encapsulation {
    VLAN, QINQ, MPLS, PPPOE, GRE, ERSPAN, VXLAN, GTP_U, IP_IN_IP
}
