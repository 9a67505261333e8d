package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/**
 * Whom a pod counts under on the node (its assignment's deployment: the tenant of the node's shared budgets, the pool of
 * {@code nanolet.dev/max-concurrency}, argv[0], the metrics' {@code deployment}): its controller, else the pod itself; a
 * ReplicaSet of a Deployment is that Deployment, so that a rollout's old and new revision count as one.
 *
 * <p>The node reads no ReplicaSet (nor is it allowed to): as a kubelet, it trusts what the pod says. The Deployment
 * controller names each of its ReplicaSets {@code <deployment>-<hash>} and labels its pods {@value #HASH}{@code =<hash>};
 * a ReplicaSet whose name does not end so (one made by hand) stays its own tenant. The pod's creator writes both the
 * label and the owner reference, so it may claim a Deployment's tenant it is not part of: it could already claim to be
 * that Deployment's current ReplicaSet (any owner reference is taken), which shares the same half of the node with the
 * same pods, and it never leaves its own namespace, whose tenants are all its creator's to write pods for.
 */
final class Workload {

    /** The label the Deployment controller puts on the pods of each ReplicaSet it makes, the ReplicaSet's name's suffix. */
    static final String HASH = "pod-template-hash";

    private Workload() {}

    static String of(Pod pod, OwnerReference controller) {
        if (controller == null) {
            return pod.getMetadata().getName();
        }
        String name = controller.getName();
        Map<String, String> labels = pod.getMetadata().getLabels();
        String hash = labels == null ? null : labels.get(HASH);
        if ("ReplicaSet".equals(controller.getKind()) && hash != null && !hash.isEmpty()
                && name.length() > hash.length() + 1 && name.endsWith("-" + hash)) {
            return name.substring(0, name.length() - hash.length() - 1);
        }
        return name;
    }
}
