package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TrackedPodTest {

    private static TrackedPod pod(String namespace, String created, String deleted) {
        Pod p = MockCluster.pod("web", "n1", "registry.example/web:v1", "Always").editMetadata().withNamespace(namespace)
                .withCreationTimestamp(created).withDeletionTimestamp(deleted).endMetadata().build();
        return new TrackedPod(p);
    }

    private static UUID uid(TrackedPod t) {
        return UUID.fromString(t.pod.getMetadata().getUid());
    }

    /** kubectl logs names a pod by namespace and name: the pod replacing one that drains under the same name is meant. */
    @Test
    void ofTwoPodsWithOneNameTheOneNotBeingDeletedIsMeantElseTheNewest() {
        TrackedPod draining = pod("default", "2026-12-05T10:00:00Z", "2026-12-05T10:05:00Z");
        TrackedPod replacing = pod("default", "2026-12-05T10:05:01Z", null);
        TrackedPod other = pod("other", "2026-12-05T11:00:00Z", null);
        for (List<TrackedPod> order : List.of(List.of(draining, replacing, other), List.of(other, replacing, draining))) {
            assertThat(TrackedPod.named(order, "default", "web")).contains(uid(replacing));
        }

        TrackedPod older = pod("default", "2026-12-05T09:00:00Z", null);
        TrackedPod deletedLater = pod("default", "2026-12-05T12:00:00Z", "2026-12-05T12:01:00Z");
        for (List<TrackedPod> order : List.of(List.of(older, replacing, deletedLater), List.of(deletedLater, replacing, older))) {
            assertThat(TrackedPod.named(order, "default", "web")).contains(uid(replacing));
        }
        assertThat(TrackedPod.named(List.of(draining, other), "default", "api")).isEqualTo(Optional.empty());
    }

    /**
     * Status reports (pull failures counted in the history) and the pull (the image id) update a pod's history on
     * different threads at once: neither loses the other's update.
     */
    @Test
    void concurrentUpdatesOfTheHistoryAreNotLost() throws Exception {
        TrackedPod t = pod("default", "2026-12-05T10:00:00Z", null);
        ReplicaStatusReport pullFailed = new ReplicaStatusReport(ReplicaPhase.Failed, "ModuleFetchFailed", "denied", 0);
        int n = 50_000;
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService two = Executors.newFixedThreadPool(2)) {
            Future<?> reports = two.submit(() -> {
                go.await();
                for (int i = 0; i < n; i++) {
                    t.history(h -> h.after(pullFailed, Instant.EPOCH));
                }
                return null;
            });
            Future<?> pulls = two.submit(() -> {
                go.await();
                for (int i = 0; i < n; i++) {
                    String id = "registry.example/web@sha256:" + i;
                    t.history(h -> h.withImageId(id));
                }
                return null;
            });
            go.countDown();
            reports.get();
            pulls.get();
        }
        ContainerHistory last = t.history(h -> h);
        assertThat(last.pullFailures()).isEqualTo(n);
        assertThat(last.imageId()).isEqualTo("registry.example/web@sha256:" + (n - 1));
    }
}
