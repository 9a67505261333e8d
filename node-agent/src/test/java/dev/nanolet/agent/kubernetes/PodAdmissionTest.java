package dev.nanolet.agent.kubernetes;

import static dev.nanolet.agent.kubernetes.QuickPolls.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.control.RecordingDesiredState;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * A pod names its node itself ({@code spec.nodeName}) past the scheduler and its count of the node's {@code pods}: as a
 * kubelet's admission does, the node runs at most its capacity of pods at once and fails the others with {@code OutOfpods}.
 */
class PodAdmissionTest {

    private static final Duration CALL = Duration.ofSeconds(20);
    private final MockCluster cluster = new MockCluster();
    private final RecordingDesiredState desired = new RecordingDesiredState();
    private final KubernetesControlPlane adapter = cluster.adapter(desired, id -> true);
    private Disposable watching;

    @AfterEach
    void close() {
        if (watching != null) {
            watching.dispose();
        }
        adapter.close();
        cluster.close();
    }

    private UUID job(String name) {
        return UUID.fromString(cluster.create(MockCluster.pod(name, MockCluster.NODE, "r.example/job:v1", "Never").build()).getMetadata().getUid());
    }

    private boolean failedOutOfPods(String name) {
        Pod p = cluster.get(name);
        return p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()) && "OutOfpods".equals(p.getStatus().getReason());
    }

    /** The node's capacity is 10 pods ({@link MockCluster#node()}). */
    @Test
    void podsBeyondTheNodesCapacityFailWithOutOfPodsAndAFinishedOrDeletedPodFreesItsPlace() {
        adapter.register().block(CALL);
        watching = adapter.watch().subscribe(x -> {}, e -> {});
        UUID first = job("job-0");
        for (int i = 1; i < 10; i++) {
            job("job-" + i);
        }
        await().atMost(CALL).until(() -> desired.desired.size() == 10);

        UUID extra = job("extra");
        await().atMost(CALL).until(() -> failedOutOfPods("extra"));
        assertThat(cluster.get("extra").getStatus().getMessage()).isEqualTo("Node didn't have enough resource: pods, requested: 1, used: 10, capacity: 10");
        assertThat(desired.desired).hasSize(10).doesNotContainKey(extra);
        await().atMost(CALL).until(() -> cluster.client.v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(e -> e.getInvolvedObject().getName().equals("extra") && e.getReason().equals("OutOfpods")));

        adapter.status(first, new ReplicaStatusReport(ReplicaPhase.Succeeded, null, null, 0)).block(CALL);
        await().atMost(CALL).until(() -> "Succeeded".equals(cluster.get("job-0").getStatus().getPhase()));
        UUID afterSuccess = job("after-success");
        await().atMost(CALL).until(() -> desired.desired.containsKey(afterSuccess));

        UUID full = job("full");
        await().atMost(CALL).until(() -> failedOutOfPods("full"));
        cluster.client.pods().inNamespace("default").withName("job-1").withGracePeriod(0).delete();
        UUID afterDelete = job("after-delete");
        await().atMost(CALL).until(() -> desired.desired.containsKey(afterDelete));
        assertThat(desired.desired).doesNotContainKey(full);
    }
}
