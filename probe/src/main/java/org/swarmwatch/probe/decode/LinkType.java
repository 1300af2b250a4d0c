package org.swarmwatch.probe.decode;

/** The libpcap link types (DLT / LINKTYPE values) the decoders read. */
public final class LinkType {
    /** BSD loopback: 4-byte address family in host byte order. */
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    /** Raw IP; 12 and 14 are what some platforms use for it in DLT numbering. */
    public static final int RAW = 101;
    public static final int RAW_DLT_12 = 12;
    public static final int RAW_DLT_14 = 14;
    /** OpenBSD loopback: address family in network byte order. */
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    private LinkType() {
    }

    public static boolean isSupported(int linkType) {
        return switch (linkType) {
            case NULL, ETHERNET, RAW, RAW_DLT_12, RAW_DLT_14, LOOP, LINUX_SLL, IPV4, IPV6, LINUX_SLL2 -> true;
            default -> false;
        };
    }

    public static String name(int linkType) {
        return switch (linkType) {
            case NULL -> "NULL (BSD loopback)";
            case ETHERNET -> "ETHERNET";
            case RAW, RAW_DLT_12, RAW_DLT_14 -> "RAW";
            case LOOP -> "LOOP";
            case LINUX_SLL -> "LINUX_SLL";
            case IPV4 -> "IPV4";
            case IPV6 -> "IPV6";
            case LINUX_SLL2 -> "LINUX_SLL2";
            case 105 -> "IEEE802_11";
            case 127 -> "IEEE802_11_RADIOTAP";
            case 189 -> "USB_LINUX_MMAPPED";
            case 220 -> "USB_LINUX";
            default -> "unknown";
        };
    }
}
