package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deleting a drained pod against the CRUD mock: what reaches the API server, and when. */
class PodDeletionTest {

    private static final Duration CALL = Duration.ofSeconds(30);
    private final MockCluster cluster = new MockCluster();
    private final AtomicBoolean idle = new AtomicBoolean(false);
    private final List<String> seen = new ArrayList<>();

    @AfterEach
    void close() {
        cluster.close();
    }

    private PodDeletion deletion(Clock clock) {
        return new PodDeletion(cluster.client, clock, id -> idle.get(), cluster.timer, Runnable::run, cluster.writes());
    }

    /** A pod kept by a finalizer, then deleted gracefully (the mock sets its deletionTimestamp to now). */
    private TrackedPod beingDeleted() {
        cluster.create(MockCluster.pod("web", MockCluster.NODE, "r.example/a:v1", "Always")
                .editMetadata().addToFinalizers("nanolet.dev/test-keep").endMetadata().build());
        cluster.client.pods().inNamespace("default").withName("web").withGracePeriod(30).delete();
        Pod deleting = cluster.get("web");
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
        return new TrackedPod(deleting);
    }

    private List<DeleteOptions> byTheNode() throws InterruptedException {
        return cluster.deletions("web", seen).stream().filter(o -> Long.valueOf(0).equals(o.getGracePeriodSeconds())).toList();
    }

    @Test
    void aReplicaStillServingAfterTheGracePeriodIsDeletedAnyway() {
        TrackedPod t = beingDeleted();

        deletion(Clock.systemUTC()).afterDrain(t, UUID.randomUUID());

        await().atMost(CALL).untilAsserted(() -> assertThat(byTheNode()).singleElement()
                .satisfies(o -> assertThat(o.getPreconditions().getUid()).isEqualTo(t.pod.getMetadata().getUid())));
    }

    @Test
    void aPodIsDrainedOnceHoweverOftenItsReplicaReportsTerminating() throws InterruptedException {
        TrackedPod t = beingDeleted();
        PodDeletion deletion = deletion(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-30)));
        UUID replica = UUID.randomUUID();

        deletion.afterDrain(t, replica);
        deletion.afterDrain(t, replica);
        await().during(Duration.ofMillis(300)).atMost(CALL).untilAsserted(() -> assertThat(byTheNode()).isEmpty());
        idle.set(true);

        await().atMost(CALL).untilAsserted(() -> assertThat(byTheNode()).isNotEmpty());
        await().during(Duration.ofMillis(300)).atMost(CALL).untilAsserted(() -> assertThat(byTheNode()).hasSize(1));
    }

    @Test
    void aPodThatIsGoneOrWasReplacedUnderItsNameLeavesNothingToDelete() {
        Pod never = MockCluster.pod("never", MockCluster.NODE, "r.example/a:v1", "Always").build();
        assertThat(deletion(Clock.systemUTC()).now(never)).isEqualTo(PodDeletion.Outcome.GONE);

        TrackedPod t = beingDeleted();
        cluster.server.expect().delete().withPath("/api/v1/namespaces/default/pods/web")
                .andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\"}").once();
        assertThat(deletion(Clock.systemUTC()).now(t.pod)).isEqualTo(PodDeletion.Outcome.GONE);
    }

    @Test
    void aDeleteTheApiServerRefusesIsAFailureToTryAgain() {
        TrackedPod t = beingDeleted();
        cluster.server.expect().delete().withPath("/api/v1/namespaces/default/pods/web").andReturn(403, "{}").once();

        assertThatThrownBy(() -> deletion(Clock.systemUTC()).now(t.pod))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        assertThat(deletion(Clock.systemUTC()).now(t.pod)).isEqualTo(PodDeletion.Outcome.DELETED);
    }
}
