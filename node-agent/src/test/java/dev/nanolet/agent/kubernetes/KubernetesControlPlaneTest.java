package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.control.ControlPlane;
import dev.nanolet.agent.control.ControlPlaneContract;
import dev.nanolet.agent.control.RecordingDesiredState;
import dev.nanolet.wire.ReplicaPhase;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The Kubernetes adapter passes the same contract as the platform-api one, against the CRUD mock and a real registry. */
class KubernetesControlPlaneTest extends ControlPlaneContract {

    private final MockCluster cluster = new MockCluster();

    @Override
    protected ControlPlane adapter(RecordingDesiredState desired) {
        return cluster.adapter(desired, id -> true);
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    @Override
    protected boolean nodeKnown() {
        return cluster.client.nodes().withName(MockCluster.NODE).get() != null;
    }

    @Override
    protected Object leaseMark() {
        var lease = cluster.client.leases().inNamespace(NodeLease.NAMESPACE).withName(MockCluster.NODE).get();
        return lease == null ? null : lease.getSpec().getRenewTime();
    }

    @Override
    protected UUID assignHttp(String name, String example, String path) {
        Pod pod = MockCluster.pod(name, MockCluster.NODE, cluster.image(name, example), "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, path).endMetadata().build();
        return UUID.fromString(cluster.create(pod).getMetadata().getUid());
    }

    @Override
    protected void unassign(UUID replica) {
        cluster.client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getMetadata().getUid().equals(replica.toString()))
                .forEach(p -> cluster.client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete());
    }

    @Override
    protected ReplicaPhase shownPhase(UUID replica) {
        return cluster.client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getMetadata().getUid().equals(replica.toString()) && p.getStatus() != null && p.getStatus().getPhase() != null)
                .map(p -> ReplicaPhase.valueOf(p.getStatus().getPhase()))
                .findFirst().orElse(null);
    }

    @Override
    protected List<String> shownEventReasons(UUID replica) {
        return cluster.client.v1().events().inAnyNamespace().list().getItems().stream()
                .filter(e -> replica.toString().equals(e.getInvolvedObject().getUid()))
                .map(Event::getReason).toList();
    }
}
