package dev.nanolet.platform.node;

import dev.nanolet.platform.replica.ReplicaStore.DeploymentName;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.NodeUsage.BindingMetrics;
import dev.nanolet.wire.NodeUsage.DeploymentMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The part of a renewal's usage that a node may report: figures of deployments with a replica bound
 * to it, one row per deployment and per binding (the last of repeats). So a node writes no figures of
 * other namespaces' deployments, and what it stores is bounded by its own replicas, not by the lists'
 * caps. A pure function.
 *
 * @param usage what is kept
 * @param dropped rows left out (another node's deployment, or a repeat)
 */
record OwnUsage(NodeUsage usage, int dropped) {

    static OwnUsage of(NodeUsage reported, Set<DeploymentName> own) {
        List<DeploymentMetrics> deployments = kept(reported.deployments(), d -> new DeploymentName(d.namespace(), d.name()), own,
                d -> List.of(d.namespace(), d.name()));
        List<BindingMetrics> bindings = kept(reported.bindings(), b -> new DeploymentName(b.namespace(), b.deployment()), own,
                b -> List.of(b.namespace(), b.deployment(), b.binding()));
        int dropped = reported.deployments().size() - deployments.size() + reported.bindings().size() - bindings.size();
        return new OwnUsage(new NodeUsage(deployments, bindings), dropped);
    }

    private static <T> List<T> kept(List<T> rows, Function<T, DeploymentName> deployment, Set<DeploymentName> own,
            Function<T, List<String>> key) {
        Map<List<String>, T> byKey = new LinkedHashMap<>();
        for (T row : rows) {
            if (own.contains(deployment.apply(row))) {
                byKey.remove(key.apply(row));
                byKey.put(key.apply(row), row);
            }
        }
        return new ArrayList<>(byKey.values());
    }
}
