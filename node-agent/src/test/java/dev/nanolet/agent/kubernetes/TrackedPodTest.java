package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
}
