package dev.nanolet.agent.config;

import dev.nanolet.wire.Setting;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who this node is and what it offers ({@code nanolet.node.*}, env {@code NANOLET_NODE_*}).
 *
 * @param labels from {@code NANOLET_NODE_LABELS} as {@code k=v,k=v}
 * @param instances replicas the node offers to run ({@code NANOLET_NODE_INSTANCES}); 0 or more, as platform-api takes
 *     (a node that offered less retried its registration for ever)
 * @param memoryMib memory for their instances ({@code NANOLET_NODE_MEMORY_MIB}); 0 or more, as {@code instances}
 * @param port the data-plane port (also the server port)
 * @param address how other nodes and platform-api reach this node, for example {@code http://host:8181}
 * @param dataDir the node's own directory (0700): fetched modules by digest, compiled classes and
 *     their signing key, the last assignments ({@code NANOLET_NODE_DATA_DIR})
 */
@ConfigurationProperties("nanolet.node")
public record NodeProperties(
        String name, Map<String, String> labels, int instances, int memoryMib, int port, String address, Path dataDir) {

    public NodeProperties {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("nanolet.node.name (NANOLET_NODE_NAME) must be set");
        }
        Setting.of("nanolet.node.instances", "NANOLET_NODE_INSTANCES").atLeast(0, instances);
        Setting.of("nanolet.node.memory-mib", "NANOLET_NODE_MEMORY_MIB").atLeast(0, memoryMib);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        address = address == null || address.isBlank() ? "http://localhost:" + port : stripSlash(address);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
