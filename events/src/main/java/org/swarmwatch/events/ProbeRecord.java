package org.swarmwatch.events;

import java.time.Instant;

/**
 * A record a probe emits: the unit of the contract between the probe and everything downstream
 * (JSON Lines files, Kafka topics, the classifier). Every record carries the {@link #SCHEMA_VERSION}
 * it was written with, its {@link RecordType}, the probe that made it and when.
 *
 * <p>Field names follow the Elastic Common Schema where ECS has the concept; the rest lives under
 * {@code swarmwatch.*}. docs/events.md describes every field.
 */
public sealed interface ProbeRecord permits FlowRecord, ObservationRecord, StatsRecord {

    /**
     * Version of the record layout. A reader accepts records of its own version and older ones it
     * knows; a newer version is rejected (and parked by consumers), never guessed at.
     */
    int SCHEMA_VERSION = 1;

    RecordType type();

    /** {@code @timestamp}: when the record's content was last true (flow end, observation time, interval end). */
    Instant timestamp();

    /** {@code observer.name}: the probe that made the record. */
    String observer();

    /** {@code swarmwatch.addresses}: whether subscriber addresses in this record are pseudonyms or raw (lab mode). */
    AddressMode addressMode();
}
