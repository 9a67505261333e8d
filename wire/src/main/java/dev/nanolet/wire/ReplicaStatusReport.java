package dev.nanolet.wire;

/** What a node sends to {@code PUT /api/v1/nodes/{node}/replicas/{id}/status}. */
public record ReplicaStatusReport(ReplicaPhase phase, String reason, String message, Integer restarts) {}
