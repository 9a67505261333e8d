package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /**
     * A list and a watch of pods by {@code spec.nodeName} find the pods bound to that node only, as on an API server
     * (fabric8's mock alone found none: a pod's attributes there have no {@code spec.nodeName}); a server told to
     * ignore the selector answers with every pod.
     */
    @Test
    void aListAndAWatchOfPodsByNodeNameFindThatNodesPodsUnlessTheServerIgnoresTheSelector() {
        cluster.create(MockCluster.pod("a", "n1", "r.example/a:v1", "Never").build());
        cluster.create(MockCluster.pod("b", "n2", "r.example/a:v1", "Never").build());
        var onN1 = cluster.client.pods().inAnyNamespace().withField("spec.nodeName", "n1");
        assertThat(names(onN1.list())).containsExactly("a");

        List<String> heard = new CopyOnWriteArrayList<>();
        try (Watch watch = onN1.watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                heard.add(action + " " + pod.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            cluster.create(MockCluster.pod("c", "n2", "r.example/a:v1", "Never").build());
            cluster.create(MockCluster.pod("d", "n1", "r.example/a:v1", "Never").build());
            cluster.client.pods().inNamespace("default").withName("a").withGracePeriod(0).delete();
            await().atMost(CALL).until(() -> heard.contains("DELETED a"));
        }
        assertThat(heard).contains("ADDED d").noneMatch(e -> e.endsWith(" b") || e.endsWith(" c"));

        cluster.nodeNames.ignored = true;
        assertThat(names(onN1.list())).containsExactlyInAnyOrder("b", "c", "d");
    }

    private static List<String> names(PodList pods) {
        return pods.getItems().stream().map(p -> p.getMetadata().getName()).toList();
    }
}
