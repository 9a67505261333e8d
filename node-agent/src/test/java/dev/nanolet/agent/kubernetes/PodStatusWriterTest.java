package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pod statuses as the CRUD mock stores them: written from the pod as read, a refusal kept, a failure told. */
class PodStatusWriterTest {

    private final MockCluster cluster = new MockCluster();
    private final PodStatusWriter writer = new PodStatusWriter(cluster.client, "10.1.2.3", Clock.systemUTC());

    @AfterEach
    void close() {
        cluster.close();
    }

    private Pod created(String name) {
        return cluster.create(MockCluster.pod(name, MockCluster.NODE, "r.example/a:v1", "Always").build());
    }

    @Test
    void aReportDoesNotOverwriteTheRefusalOfAPodRefusedMeanwhile() {
        TrackedPod t = new TrackedPod(created("web"));
        writer.report(t, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0), ContainerHistory.NEW, Clock.systemUTC().instant());
        assertThat(cluster.get("web").getStatus().getPhase()).isEqualTo("Running");

        t.refused = true;
        assertThat(writer.refused(t.pod, new PodTranslation.Refuse("RouteTaken", "route /web is taken"))).isTrue();
        writer.report(t, new ReplicaStatusReport(ReplicaPhase.Terminating, "Stopped", "stopped", 0), ContainerHistory.NEW,
                Clock.systemUTC().instant());

        assertThat(cluster.get("web").getStatus().getPhase()).isEqualTo("Failed");
        assertThat(cluster.get("web").getStatus().getReason()).isEqualTo("RouteTaken");
    }

    @Test
    void aStatusThatCannotBeWrittenIsToldToTheCallerWhoTriesAgain() {
        Pod gone = MockCluster.pod("gone", MockCluster.NODE, "r.example/a:v1", "Always").build();

        assertThat(writer.refused(gone, new PodTranslation.Refuse("UnsupportedPod", "no"))).isFalse();
        assertThat(writer.waiting(gone, new PodTranslation.Wait("CreateContainerConfigError", "configmap \"c\" not found"))).isFalse();
    }

    @Test
    void aWaitingPodIsPendingWithItsContainerWaitingForWhatItNeeds() {
        Pod pod = created("web");

        assertThat(writer.waiting(pod, new PodTranslation.Wait("CreateContainerConfigError", "configmap \"c\" not found"))).isTrue();
        assertThat(cluster.get("web").getStatus().getPhase()).isEqualTo("Pending");
        assertThat(cluster.get("web").getStatus().getContainerStatuses().getFirst().getState().getWaiting().getReason())
                .isEqualTo("CreateContainerConfigError");
    }
}
