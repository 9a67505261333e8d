package dev.nanolet.wire;

import java.time.Instant;
import java.util.Map;

/**
 * A node as platform-api reports it.
 *
 * @param allocated what the node's bound replicas reserve
 * @param ready whether its lease is current
 * @param leaseRenewedAt last lease renewal
 * @param replicas replicas bound to it
 * @param resourceVersion opaque; changes whenever its labels, address or capacity change (the admin's writes
 *     and what the node registers), never with its lease or usage, and is never reused; its ETag, which the
 *     admin's {@code If-Match} on a change of its labels or address names
 */
public record NodeInfo(
        String name,
        Map<String, String> labels,
        NodeRegistration.Capacity capacity,
        NodeRegistration.Capacity allocated,
        String address,
        boolean ready,
        Instant leaseRenewedAt,
        int replicas,
        NodeUsage usage,
        String resourceVersion) {
    public NodeInfo {
        labels = Collections2.map(labels);
    }
}
