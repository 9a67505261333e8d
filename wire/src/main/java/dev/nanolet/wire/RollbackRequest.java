package dev.nanolet.wire;

/** Body of {@code POST …/deployments/{name}/rollback}. */
public record RollbackRequest(Integer revision) {}
