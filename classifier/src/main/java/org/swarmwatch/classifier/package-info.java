/**
 * The classifier: reads the probe's records from Kafka, matches their content hashes against
 * rights-holder lists, builds incidents and writes flows, observations and incidents to
 * Elasticsearch.
 *
 * <ul>
 *   <li>{@code lists}: list formats (CSV, JSON), signature checks, the list directory and its versions</li>
 *   <li>{@code match}: the compact hash matcher</li>
 *   <li>{@code incident}: incidents, de-duplication and severity</li>
 *   <li>{@code index}: Elasticsearch templates, indices and bulk writing</li>
 *   <li>{@code consume}: the Kafka consumer group and its dead-letter topic</li>
 * </ul>
 */
package org.swarmwatch.classifier;
