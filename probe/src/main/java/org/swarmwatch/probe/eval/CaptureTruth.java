package org.swarmwatch.probe.eval;

/**
 * What one capture holds.
 *
 * @param name   the capture's path as the manifest names it, relative to the manifest's folder
 * @param flows  its flows
 * @param hashes its content hashes
 * @param note   how the manifest's row was read where that needed a decision (empty otherwise)
 */
record CaptureTruth(String name, FlowTruth flows, HashTruth hashes, String note) {
}
