/**
 * Health endpoints for the long-running commands (the probe's capture and replay, the
 * classifier): a {@link org.swarmwatch.events.health.HealthServer} answering
 * {@code GET /health/live} and {@code GET /health/ready} from a few
 * {@link org.swarmwatch.events.health.HealthCheck}s, and the
 * {@link org.swarmwatch.events.health.Heartbeat} a main loop beats so that liveness can tell a
 * loop that makes progress from a wedged one. Here because both components depend on this module
 * and on no other of the project's; docs/operations.md describes the answers.
 */
package org.swarmwatch.events.health;
