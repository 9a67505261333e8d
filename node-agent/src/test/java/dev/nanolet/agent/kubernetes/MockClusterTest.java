package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mock API server the kubernetes tests run against: a test that reads its requests leaves them as they came. */
class MockClusterTest {

    private static final Duration CALL = Duration.ofSeconds(30);
    private final MockCluster cluster = new MockCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /**
     * The mock queues a request for the test before it dispatches it: a test that drained it in between
     * ({@link MockCluster#deletions}) read its body away, and the CRUD store found none. An event's POST was refused 400
     * that way, lost, and KubernetesAdapterTest waited 20 seconds for it in about one run of seven.
     */
    @Test
    void aRequestDrainedBeforeItIsDispatchedStillReachesTheStore() throws Exception {
        cluster.create(MockCluster.pod("web", MockCluster.NODE, "r.example/a:v1", "Always").build());
        CountDownLatch drained = new CountDownLatch(1);
        cluster.invalid = body -> { // holds the PATCH between its queueing and its dispatch
            try {
                return !drained.await(CALL.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        };
        CompletableFuture<Void> touch = CompletableFuture.runAsync(() -> cluster.touch("default", "web"));

        List<String> seen = new ArrayList<>();
        await().atMost(CALL).until(() -> {
            cluster.deletions("web", seen);
            return seen.stream().anyMatch(r -> r.startsWith("PATCH /api/v1/namespaces/default/pods/web {"));
        });
        drained.countDown();
        touch.get(CALL.toSeconds(), TimeUnit.SECONDS);

        assertThat(cluster.get("web").getMetadata().getLabels()).containsKey("touched");
    }
}
