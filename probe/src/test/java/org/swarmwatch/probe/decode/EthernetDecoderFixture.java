package org.swarmwatch.probe.decode;

/** A decoder with default limits, its counters and its output, fed Ethernet frames. */
abstract class EthernetDecoderFixture {
    final DecodeCounters counters = new DecodeCounters();
    final PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), counters);
    final DecodedPacket p = new DecodedPacket();

    DecodeStatus decode(byte[] frame) {
        return decoder.decode(LinkType.ETHERNET, frame, 0, frame.length, frame.length, 0, p);
    }

    /** Decodes the first {@code captured} bytes of a frame whose wire length is its whole length. */
    DecodeStatus decodeCut(byte[] frame, int captured) {
        return decoder.decode(LinkType.ETHERNET, frame, 0, captured, frame.length, 0, p);
    }
}
