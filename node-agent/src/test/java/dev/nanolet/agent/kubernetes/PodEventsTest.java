package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.EventReport;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodEventsTest {

    /** What an API server takes as an Event's name: a DNS subdomain, at most 253 characters. */
    private static final String DNS_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

    /**
     * A pod's name may be 253 characters long, and an event's name is the pod's and a suffix: the API server refused
     * every event of such a pod (422), so {@code kubectl describe} showed none, not even why it failed. The name is cut.
     */
    @Test
    void theEventsOfAPodWithTheLongestNameHaveANameTheApiServerTakes() {
        for (String name : new String[] {"a".repeat(253), "a".repeat(235) + "-" + "b".repeat(17), "a".repeat(235) + ".b", "web-1"}) {
            Pod pod = MockCluster.pod(name, MockCluster.NODE, "r.example/a:v1", "Never").build();

            String event = PodEvents.of(pod, new EventReport("Warning", "UnsupportedPod", "no"), MockCluster.NODE, Instant.EPOCH)
                    .getMetadata().getName();

            assertThat(event).as(name).hasSizeLessThanOrEqualTo(253).matches(DNS_SUBDOMAIN);
            assertThat(event).startsWith(name.substring(0, Math.min(name.length(), 200)));
        }
    }
}
