package dev.nanolet.platform.node;

import dev.nanolet.wire.Setting;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The most capacity a node may claim when it registers (more is 422), and the most the scheduler
 * counts on a node (a node registered before the bound keeps its claim on record): the scheduler
 * believes what a node says, and prefers the least allocated node, so without a bound one node
 * claiming to be a thousand would draw every replica that no {@code nodeSelector} keeps away. Each at least 1, or
 * platform-api does not start: below it every node's registration was refused, and retried for ever.
 *
 * @param instances concurrent replicas (env {@code NANOLET_NODES_MAX_CAPACITY_INSTANCES}; an agent
 *     offers 64 by default)
 * @param memoryMib memory for their instances in MiB (env {@code NANOLET_NODES_MAX_CAPACITY_MEMORY_MIB};
 *     an agent offers 4096 by default)
 */
@ConfigurationProperties("nanolet.nodes.max-capacity")
public record NodeCapacityLimits(@DefaultValue("512") int instances, @DefaultValue("262144") int memoryMib) {

    public NodeCapacityLimits {
        Setting.of("nanolet.nodes.max-capacity.instances", "NANOLET_NODES_MAX_CAPACITY_INSTANCES").atLeast(1, instances);
        Setting.of("nanolet.nodes.max-capacity.memory-mib", "NANOLET_NODES_MAX_CAPACITY_MEMORY_MIB").atLeast(1, memoryMib);
    }

    /** The instances the scheduler counts on a node that claimed {@code claimed}. */
    public int instances(int claimed) {
        return Math.min(claimed, instances);
    }

    /** The memory in MiB the scheduler counts on a node that claimed {@code claimed}. */
    public int memoryMib(int claimed) {
        return Math.min(claimed, memoryMib);
    }
}
