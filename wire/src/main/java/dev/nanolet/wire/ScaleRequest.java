package dev.nanolet.wire;

/** Body of {@code PUT …/deployments/{name}/scale}. */
public record ScaleRequest(Integer replicas) {}
