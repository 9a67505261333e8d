package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.config.NodeProperties;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's own objects: the Node (metadata, spec, status) and its Lease in {@code kube-node-lease}. Blocking calls, on
 * the adapter's {@link BriefRetries} client: a renewal the API server fails fails after a few attempts, not after the
 * lease ran out, and the next one renews it. Each is a read, then a write with the version read: one another writer (a
 * node controller, an admin) made stale meanwhile is refused 409 Conflict, and is made again from a new read, at most
 * {@value #ATTEMPTS} times in all, as a kubelet tries its node status and lease updates again.
 */
final class NodeLease {

    static final String NAMESPACE = "kube-node-lease";
    /** Read-modify-writes of one call, the first included, while the API server refuses them as conflicting (a kubelet's 5). */
    static final int ATTEMPTS = 5;
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
        nodeUid = againOnConflict(this::createOrUpdateNode).getMetadata().getUid();
    }

    private Node createOrUpdateNode() {
        Node wanted = NodeObject.node(node);
        Node existing = client.nodes().withName(node.name()).get();
        if (existing == null) {
            return client.nodes().resource(wanted).create();
        }
        return client.nodes().withName(node.name()).edit(n -> {
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

    /** Refreshes the node's status: capacity, addresses, and conditions with a new heartbeat. */
    void nodeStatus(boolean ready, String why) {
        againOnConflict(() -> client.nodes().withName(node.name()).editStatus(n -> {
            n.setStatus(NodeObject.status(node, props, ready, why, clock.instant(), n.getStatus()));
            return n;
        }));
    }

    /** Creates or renews the Lease (holder this node, owned by the Node so it goes with it). */
    void renew() {
        againOnConflict(this::createOrRenewLease);
    }

    private Lease createOrRenewLease() {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        var leases = client.leases().inNamespace(NAMESPACE);
        Lease existing = leases.withName(node.name()).get();
        if (existing == null) {
            return leases.resource(new LeaseBuilder()
                    .withNewMetadata().withName(node.name()).withNamespace(NAMESPACE)
                        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                                .withName(node.name()).withUid(nodeUid).build())
                    .endMetadata()
                    .withNewSpec().withHolderIdentity(node.name()).withLeaseDurationSeconds((int) props.leaseDuration().toSeconds())
                        .withRenewTime(now).withAcquireTime(now).endSpec()
                    .build()).create();
        }
        return leases.withName(node.name()).edit(l -> {
            l.getSpec().setRenewTime(now);
            l.getSpec().setHolderIdentity(node.name());
            l.getSpec().setLeaseDurationSeconds((int) props.leaseDuration().toSeconds());
            return l;
        });
    }

    /** {@code readModifyWrite}, made again from its read while its write conflicts (409), {@link #ATTEMPTS} times at most. */
    private static <T> T againOnConflict(Supplier<T> readModifyWrite) {
        for (int attempt = 1; ; attempt++) {
            try {
                return readModifyWrite.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
