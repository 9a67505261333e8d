package dev.nanolet.wire;

/**
 * Whether platform-api evicts the replicas of NotReady nodes now, as {@code GET /api/v1/evictions} answers it. Computed
 * from the nodes' leases on every read, never stored.
 *
 * @param paused true while nodes are registered and none is Ready ("full disruption"): a NotReady node's replicas stay
 *     where they are until a node is Ready again
 * @param nodes registered nodes
 * @param readyNodes those whose lease is current
 */
public record EvictionStatus(boolean paused, int nodes, int readyNodes) {}
