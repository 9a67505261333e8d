package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.config.NodeProperties;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Node this agent registers as: labels, the Wasm taint, capacity from its real limits, and conditions. */
final class NodeObject {

    static final String ARCH_LABEL = "kubernetes.io/arch";
    static final String ARCH = "wasm32-wasi";
    static final String OS = "wasi";
    static final Taint TAINT = new Taint("NoSchedule", ARCH_LABEL, null, ARCH);
    static final String KUBELET_VERSION = "v1.33.0-nanolet";

    private NodeObject() {}

    static Map<String, String> labels(NodeProperties node) {
        Map<String, String> labels = new LinkedHashMap<>(node.labels());
        labels.put("kubernetes.io/os", OS);
        labels.put(ARCH_LABEL, ARCH);
        labels.put("kubernetes.io/hostname", node.name());
        labels.put("type", "virtual-kubelet");
        labels.put("node.kubernetes.io/instance-type", "nanolet");
        return labels;
    }

    /** Metadata and spec; the status goes separately (an API server ignores it on create). */
    static Node node(NodeProperties node) {
        return new NodeBuilder()
                .withNewMetadata().withName(node.name()).withLabels(labels(node)).endMetadata()
                .withNewSpec().withTaints(TAINT).endSpec()
                .build();
    }

    /**
     * The status: capacity and allocatable (pods, memory, cpu), addresses, the kubelet endpoint, node info
     * and the five conditions. A condition's transition time stays what {@code previous} says while its
     * status does not change.
     */
    static NodeStatus status(NodeProperties node, KubernetesProperties kube, boolean ready, String why, Instant now,
            NodeStatus previous) {
        Map<String, Quantity> capacity = Map.of(
                "pods", new Quantity(Integer.toString(node.instances())),
                "memory", new Quantity(node.memoryMib() + "Mi"),
                "cpu", new Quantity(Integer.toString(Runtime.getRuntime().availableProcessors())));
        String t = now.toString();
        List<NodeCondition> conditions = List.of(
                condition("Ready", ready ? "True" : "False", ready ? "KubeletReady" : "KubeletNotReady",
                        ready ? "nanolet node agent is ready" : why, t, previous),
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "guests have their own memory limits", t, previous),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "modules are small", t, previous),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "guests run on threads, not processes", t, previous),
                condition("NetworkUnavailable", "False", "RouteCreated", "pods share the node agent's address", t, previous));
        return new NodeStatusBuilder()
                .withCapacity(capacity)
                .withAllocatable(capacity)
                .withAddresses(new NodeAddress(kube.nodeIp(), "InternalIP"), new NodeAddress(node.name(), "Hostname"))
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kube.kubeletPort()).endKubeletEndpoint().endDaemonEndpoints()
                .withNewNodeInfo()
                    .withArchitecture(ARCH).withOperatingSystem(OS).withKubeletVersion(KUBELET_VERSION)
                    .withContainerRuntimeVersion("chicory://1.7.5").withOsImage("nanolet").withKernelVersion("wasi-preview1")
                    .withMachineID(node.name()).withSystemUUID(node.name()).withBootID(node.name()).withKubeProxyVersion("")
                .endNodeInfo()
                .withConditions(conditions)
                .build();
    }

    private static NodeCondition condition(String type, String status, String reason, String message, String now, NodeStatus previous) {
        String transition = now;
        if (previous != null && previous.getConditions() != null) {
            for (NodeCondition c : previous.getConditions()) {
                if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                    transition = c.getLastTransitionTime();
                }
            }
        }
        return new NodeCondition(now, transition, message, reason, status, type);
    }
}
