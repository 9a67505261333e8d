package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.control.RecordingDesiredState;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pods waiting for a route, weighed again on every change to the pods ({@link RouteWaits}): only they are looked
 * at, and each one's route is weighed once. Driven without an informer, as the worker thread calls {@link PodChanges}.
 */
class RouteWaitsTest {

    private final MockCluster cluster = new MockCluster();
    private final RecordingDesiredState desired = new RecordingDesiredState();
    /** The pods whose route was weighed, once per weighing. */
    private final List<UUID> claimed = new CopyOnWriteArrayList<>();
    private final HeldRoutes routes = new HeldRoutes() {
        @Override
        PodTranslation.Result claim(PodTranslation.Result result) {
            if (result instanceof PodTranslation.Run run) {
                claimed.add(run.assignment().replicaId());
            }
            return super.claim(result);
        }
    };
    private final TrackedPods pods = new TrackedPods();
    private final PodChanges changes;

    RouteWaitsTest() {
        Clock clock = Clock.systemUTC();
        PodEvaluation evaluation = new PodEvaluation(pods, routes, new PodDeletion(cluster.client, clock, id -> true, cluster.timer, Runnable::run, cluster.writes()),
                new PodStatusWriter(cluster.client, "10.1.2.3", clock), new EventRecorder(cluster.client, MockCluster.NODE, clock),
                cluster.config(), "10.1.2.3", MockCluster.node().instances(),
                new ReadRetries(cluster.timer, Runnable::run, desired), cluster.writes(), new PendingReads(Runnable::run));
        changes = new PodChanges(MockCluster.NODE, pods, routes, desired, evaluation, new RouteWaits(pods, routes, evaluation, desired));
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private Pod routed(String name, String namespace, String route) {
        return cluster.create(MockCluster.pod(name, MockCluster.NODE, "r.example/a:v1", "Always").editMetadata().withNamespace(namespace)
                .addToAnnotations(PodTranslation.ROUTE, route).endMetadata().build());
    }

    @Test
    void aWaitingPodIsWeighedOnceWhenItsRouteIsFreedAndNoOtherPodIsWeighedAgain() {
        Pod holder = routed("shop", "b", "/shop");
        changes.changed(holder);
        Pod waiter = routed("shop", "a", "/shop");
        changes.changed(waiter);
        Pod blog = routed("blog", "c", "/blog");
        changes.changed(blog);
        Pod job = cluster.create(MockCluster.pod("job", MockCluster.NODE, "r.example/a:v1", "Never").build());
        changes.changed(job);
        assertThat(desired.desired).containsKeys(Pods.uid(holder), Pods.uid(blog), Pods.uid(job)).doesNotContainKey(Pods.uid(waiter));
        assertThat(pods.waitingForRoute()).extracting(t -> t.pod.getMetadata().getNamespace()).containsExactly("a");

        claimed.clear();
        changes.gone(holder);

        assertThat(desired.desired).containsKey(Pods.uid(waiter)).doesNotContainKey(Pods.uid(holder));
        assertThat(claimed).containsExactly(Pods.uid(waiter));
        assertThat(pods.waitingForRoute()).isEmpty();
    }

    @Test
    void aPodStillWaitingIsToldNothingNewAndOneGoneWaitsNoMore() {
        changes.changed(routed("shop", "b", "/shop"));
        Pod waiter = routed("shop", "a", "/shop/cart");
        changes.changed(waiter);
        Pod other = routed("shop", "c", "/shop");
        changes.changed(other);
        assertThat(pods.waitingForRoute()).hasSize(2);

        claimed.clear();
        changes.changed(routed("blog", "b", "/blog"));
        assertThat(claimed).containsExactlyInAnyOrder(Pods.uid(waiter), Pods.uid(other), Pods.uid(cluster.get("b", "blog")));

        changes.gone(waiter);
        changes.gone(other);
        assertThat(pods.waitingForRoute()).isEmpty();
    }
}
