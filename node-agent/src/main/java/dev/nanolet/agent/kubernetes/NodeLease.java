package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.config.NodeProperties;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's own objects: the Node (metadata, spec, status) and its Lease in {@code kube-node-lease}. Blocking calls, on
 * the adapter's {@link BriefRetries} client: a renewal the API server fails fails after a few attempts, not after the
 * lease ran out, and the next one renews it.
 */
final class NodeLease {

    static final String NAMESPACE = "kube-node-lease";
    private final KubernetesClient client;
    private final NodeProperties node;
    private final KubernetesProperties props;
    private final Clock clock;
    private volatile String nodeUid;

    NodeLease(KubernetesClient client, NodeProperties node, KubernetesProperties props, Clock clock) {
        this.client = client;
        this.node = node;
        this.props = props;
        this.clock = clock;
    }

    /** Creates the Node, or brings an existing one's labels and taint up to date (keeping what others added). */
    void registerNode() {
        Node wanted = NodeObject.node(node);
        Node existing = client.nodes().withName(node.name()).get();
        Node current;
        if (existing == null) {
            current = client.nodes().resource(wanted).create();
        } else {
            current = client.nodes().withName(node.name()).edit(n -> {
                Map<String, String> labels = new LinkedHashMap<>(n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels());
                labels.putAll(wanted.getMetadata().getLabels());
                n.getMetadata().setLabels(labels);
                List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
                if (taints.stream().noneMatch(t -> NodeObject.TAINT.getKey().equals(t.getKey()) && "NoSchedule".equals(t.getEffect()))) {
                    taints.add(NodeObject.TAINT);
                }
                n.getSpec().setTaints(taints);
                return n;
            });
        }
        nodeUid = current.getMetadata().getUid();
    }

    /** Refreshes the node's status: capacity, addresses, and conditions with a new heartbeat. */
    void nodeStatus(boolean ready, String why) {
        client.nodes().withName(node.name()).editStatus(n -> {
            n.setStatus(NodeObject.status(node, props, ready, why, clock.instant(), n.getStatus()));
            return n;
        });
    }

    /** Creates or renews the Lease (holder this node, owned by the Node so it goes with it). */
    void renew() {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        var leases = client.leases().inNamespace(NAMESPACE);
        Lease existing = leases.withName(node.name()).get();
        if (existing == null) {
            leases.resource(new LeaseBuilder()
                    .withNewMetadata().withName(node.name()).withNamespace(NAMESPACE)
                        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                                .withName(node.name()).withUid(nodeUid).build())
                    .endMetadata()
                    .withNewSpec().withHolderIdentity(node.name()).withLeaseDurationSeconds((int) props.leaseDuration().toSeconds())
                        .withRenewTime(now).withAcquireTime(now).endSpec()
                    .build()).create();
        } else {
            leases.withName(node.name()).edit(l -> {
                l.getSpec().setRenewTime(now);
                l.getSpec().setHolderIdentity(node.name());
                l.getSpec().setLeaseDurationSeconds((int) props.leaseDuration().toSeconds());
                return l;
            });
        }
    }
}
