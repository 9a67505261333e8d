package dev.nanolet.wire;

/** The body of the admin's {@code PUT /api/v1/nodes/{name}/address}: where the node is reached now. */
public record NodeAddress(String address) {}
