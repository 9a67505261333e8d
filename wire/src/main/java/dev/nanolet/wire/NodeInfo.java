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
        NodeUsage usage) {
    public NodeInfo {
        labels = Collections2.map(labels);
    }
}
