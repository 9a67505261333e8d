package dev.nanolet.wire;

import java.util.Map;

/** What a node agent sends to {@code POST /api/v1/nodes} to register or re-register. */
public record NodeRegistration(String name, Map<String, String> labels, Capacity capacity, String address) {
    public NodeRegistration {
        labels = Collections2.map(labels);
    }

    /** What a node offers: concurrent replicas and memory for their instances. */
    public record Capacity(int instances, int memoryMiB) {}
}
