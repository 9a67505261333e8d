package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.control.RecordingDesiredState;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Preconditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * The node deletes a pod (grace period 0) only if it is still the pod it ran: the DELETE carries the pod's uid as a
 * precondition, so a pod a controller created again under the same name is not deleted. fabric8's CRUD mock ignores
 * preconditions, so the test reads the DELETE's options as the API server received them.
 */
class PodDeletionTest {

    private static final Duration CALL = Duration.ofSeconds(20);
    private final MockCluster cluster = new MockCluster();
    private final RecordingDesiredState desired = new RecordingDesiredState();
    private final KubernetesControlPlane adapter = cluster.adapter(desired, id -> true);
    private final List<String> seen = new ArrayList<>();
    private Disposable watching;

    @AfterEach
    void close() {
        if (watching != null) {
            watching.dispose();
        }
        adapter.close();
        cluster.close();
    }

    /** A pod kept by a finalizer (so that the test sees what the node does), running here, and deleted gracefully. */
    private UUID runningThenDeleted() {
        Pod pod = cluster.create(MockCluster.pod("web", MockCluster.NODE, cluster.image("web", "hello.wasm"), "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, "/web").addToFinalizers("nanolet.dev/test-keep").endMetadata().build());
        UUID id = UUID.fromString(pod.getMetadata().getUid());
        adapter.register().block(CALL);
        watching = adapter.watch().subscribe(x -> {}, e -> {});
        await().atMost(CALL).until(() -> desired.desired.containsKey(id));
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0)).block(CALL);
        cluster.client.pods().inNamespace("default").withName("web").withGracePeriod(30).delete();
        await().atMost(CALL).until(() -> desired.desired.get(id).terminating());
        return id;
    }

    /** The node's DELETEs (grace period 0) so far, each of which names the pod's uid as a precondition. */
    private List<DeleteOptions> byTheNode(UUID id) throws InterruptedException {
        List<DeleteOptions> node = cluster.deletions("web", seen).stream().filter(o -> Long.valueOf(0).equals(o.getGracePeriodSeconds())).toList();
        assertThat(node).allSatisfy(o -> assertThat(o.getPreconditions()).extracting(Preconditions::getUid).isEqualTo(id.toString()));
        return node;
    }

    @Test
    void theNodeDeletesAPodWithItsUidAsAPrecondition() {
        UUID id = runningThenDeleted();
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Terminating, "Stopped", "stopped", 0)).block(CALL);

        await().atMost(CALL).untilAsserted(() -> assertThat(byTheNode(id)).isNotEmpty());
    }

    /** The raw request goes through the client's retries as fabric8's {@code delete()} did: a 500 does not strand the pod. */
    @Test
    void aDeleteTheApiServerFailedIsTriedAgain() {
        UUID id = runningThenDeleted();
        cluster.server.expect().delete().withPath("/api/v1/namespaces/default/pods/web").andReturn(500, "{}").once();
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Terminating, "Stopped", "stopped", 0)).block(CALL);

        await().atMost(CALL).untilAsserted(() -> assertThat(byTheNode(id)).hasSizeGreaterThanOrEqualTo(2));
    }
}
