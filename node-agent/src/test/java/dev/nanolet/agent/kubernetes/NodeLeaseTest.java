package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node's read-modify-writes of its Node and Lease when another writer changes them between the read and the write
 * (the API server refuses the write, made with the version read, 409 Conflict): tried again from a new read, as a
 * kubelet does, a bounded number of times.
 */
class NodeLeaseTest {

    private static final String NODE_PATH = "/api/v1/nodes/" + MockCluster.NODE;
    private static final String LEASE_PATH = "/apis/coordination.k8s.io/v1/namespaces/" + NodeLease.NAMESPACE + "/leases/" + MockCluster.NODE;
    private final MockCluster cluster = new MockCluster();
    private final KubernetesClient client = cluster.unretried();
    private final Clock later = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    @AfterEach
    void close() {
        client.close();
        cluster.close();
    }

    private NodeLease lease(Clock clock) {
        return new NodeLease(client, MockCluster.node(), MockCluster.props(), clock);
    }

    private void registered() {
        NodeLease lease = lease(Clock.systemUTC());
        lease.registerNode();
        lease.nodeStatus(true, null);
        lease.renew();
    }

    @Test
    void aNodeChangedBetweenTheReadAndTheWriteOfItsRegistrationIsRegisteredWithTheOtherWritersChangeKept() {
        registered();
        cluster.meanwhile(r -> r.startsWith("PATCH " + NODE_PATH + " "), 1, NODE_PATH, left -> "{\"metadata\":{\"labels\":{\"zone\":\"b\"}}}");

        lease(Clock.systemUTC()).registerNode();

        var labels = cluster.client.nodes().withName(MockCluster.NODE).get().getMetadata().getLabels();
        assertThat(labels).containsEntry("zone", "b").containsEntry("kubernetes.io/arch", "wasm32-wasi").containsEntry("team", "wasm");
    }

    @Test
    void aLeaseChangedBetweenTheReadAndTheWriteOfItsRenewalIsRenewed() {
        registered();
        cluster.meanwhile(r -> r.startsWith("PATCH " + LEASE_PATH + " "), 1, LEASE_PATH, left -> "{\"metadata\":{\"labels\":{\"seen\":\"by-another\"}}}");

        lease(later).renew();

        var lease = cluster.client.leases().inNamespace(NodeLease.NAMESPACE).withName(MockCluster.NODE).get();
        assertThat(lease.getSpec().getRenewTime().toInstant()).isEqualTo(later.instant());
        assertThat(lease.getMetadata().getLabels()).containsEntry("seen", "by-another");
    }

    @Test
    void aNodeStatusChangedBetweenTheReadAndTheWriteOfItsRefreshIsRefreshed() {
        registered();
        cluster.meanwhile(r -> r.startsWith("PATCH " + NODE_PATH + "/status "), 1, NODE_PATH, left -> "{\"metadata\":{\"labels\":{\"zone\":\"c\"}}}");

        lease(later).nodeStatus(true, null);

        var node = cluster.client.nodes().withName(MockCluster.NODE).get();
        assertThat(node.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
                .extracting(NodeCondition::getLastHeartbeatTime).containsExactly(later.instant().toString());
        assertThat(node.getMetadata().getLabels()).containsEntry("zone", "c");
    }

    @Test
    void aLeaseEveryWriteOfWhichConflictsFailsItsRenewalAfterABoundedNumberOfAttempts() throws InterruptedException {
        registered();
        cluster.requests(new ArrayList<>());
        cluster.meanwhile(r -> r.startsWith("PATCH " + LEASE_PATH + " "), Integer.MAX_VALUE, LEASE_PATH,
                left -> "{\"metadata\":{\"annotations\":{\"writer\":\"" + left + "\"}}}");

        assertThatThrownBy(() -> lease(later).renew()).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).isEqualTo(409));

        List<String> seen = new ArrayList<>();
        cluster.requests(seen);
        assertThat(seen).filteredOn(r -> r.startsWith("PATCH " + LEASE_PATH + " ")).hasSize(NodeLease.ATTEMPTS);
    }
}
