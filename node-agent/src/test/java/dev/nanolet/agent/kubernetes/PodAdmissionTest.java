package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.control.RecordingDesiredState;
import dev.nanolet.wire.Assignment;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node's {@code pods} capacity across an agent restart ({@link PodEvaluation}'s admission), driven without an
 * informer as the worker thread calls {@link PodChanges}: a node of 2 pods.
 */
class PodAdmissionTest {

    private final MockCluster cluster = new MockCluster();
    private final RecordingDesiredState desired = new RecordingDesiredState();
    private final HeldRoutes routes = new HeldRoutes();
    private final PodChanges changes;

    PodAdmissionTest() {
        Clock clock = Clock.systemUTC();
        TrackedPods pods = new TrackedPods();
        PodEvaluation evaluation = new PodEvaluation(pods, routes, new PodDeletion(cluster.client, clock, id -> true, cluster.timer, Runnable::run, cluster.writes()),
                new PodStatusWriter(cluster.client, "10.1.2.3", clock), new EventRecorder(cluster.client, MockCluster.NODE, clock),
                cluster.config(), "10.1.2.3", 2, new ReadRetries(cluster.timer, Runnable::run, desired), cluster.writes(), new PendingReads(Runnable::run));
        changes = new PodChanges(MockCluster.NODE, pods, routes, desired, evaluation, new RouteWaits(pods, routes, evaluation, desired));
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private Pod job(String name, String created) {
        Pod p = cluster.create(MockCluster.pod(name, MockCluster.NODE, "r.example/job:v1", "Never").build());
        p.getMetadata().setCreationTimestamp(created);
        return p;
    }

    private static UUID id(Pod p) {
        return Pods.uid(p);
    }

    /**
     * A pod bound to the node while its agent was down may be older than the pods the node ran (a pod bound late, or
     * one created in the same second): the list after the restart weighs it first, and it took a place of a running
     * pod, which then failed {@code OutOfpods}. The pods the node ran before keep their places; the newcomer is refused.
     */
    @Test
    void aPodTheNodeRanBeforeItsRestartKeepsItsPlaceThoughAnOlderPodIsListedFirst() {
        Pod late = job("late", "2026-01-01T00:00:00Z");
        Pod a = job("a", "2026-01-01T00:00:01Z");
        Pod b = job("b", "2026-01-01T00:00:02Z");
        desired.saved.addAll(List.of(ran(a), ran(b)));

        changes.snapshot(List.of(b, late, a));

        assertThat(desired.desired).containsOnlyKeys(id(a), id(b));
        assertThat(cluster.get("a").getStatus()).isNull();
        assertThat(cluster.get("b").getStatus()).isNull();
        assertThat(cluster.get("late").getStatus().getReason()).isEqualTo("OutOfpods");
        assertThat(cluster.get("late").getStatus().getMessage()).isEqualTo("Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2");
    }

    /**
     * After a restart, a pod the node ran before that is being deleted (a finalizer keeps it) and, its image edited while
     * the agent was down, now waits for a config map deleted meanwhile: the list keeps running what it ran ({@link HeldRoutes#keep}) until its replica reports, so
     * it keeps its place: counted as stopped, it let a third pod run on a node of 2.
     */
    @Test
    void aDeletedPodTheListStillRunsAfterARestartKeepsItsPlace() {
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                .endMetadata().addToData("k", "v").build()).create();
        Pod a = cluster.create(MockCluster.pod("a", MockCluster.NODE, "r.example/job:v1", "Never").editSpec().editFirstContainer()
                .addNewEnvFrom().withNewConfigMapRef().withName("settings").endConfigMapRef().endEnvFrom().endContainer().endSpec().build());
        Pod b = job("b", "2026-01-01T00:00:02Z");
        desired.saved.addAll(List.of(ran(a), ran(b)));
        cluster.client.configMaps().inNamespace("default").withName("settings").delete();
        Pod deleted = new PodBuilder(a).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").addToFinalizers("example.com/keep")
                .endMetadata().editSpec().editFirstContainer().withImage("r.example/job:v2").endContainer().endSpec().build();

        changes.snapshot(List.of(deleted, b));
        assertThat(desired.desired).containsKey(id(a));
        Pod c = job("c", "2026-01-01T00:00:03Z");
        changes.changed(c);

        assertThat(desired.desired).doesNotContainKey(id(c));
        assertThat(cluster.get("c").getStatus().getReason()).isEqualTo("OutOfpods");
    }

    /**
     * A pod that waits for a config map (admitted, so it holds a place, but it runs nothing) and is deleted while a
     * finalizer keeps it frees its place at once: nothing of it runs on the node.
     */
    @Test
    void aDeletedPodThatRanNothingFreesItsPlace() {
        Pod waiting = cluster.create(MockCluster.pod("waiting", MockCluster.NODE, "r.example/job:v1", "Never").editSpec().editFirstContainer()
                .addNewEnvFrom().withNewConfigMapRef().withName("settings").endConfigMapRef().endEnvFrom().endContainer().endSpec().build());
        changes.changed(waiting);
        changes.changed(job("b", "2026-01-01T00:00:02Z"));
        Pod full = job("full", "2026-01-01T00:00:03Z");
        changes.changed(full);
        assertThat(cluster.get("full").getStatus().getReason()).isEqualTo("OutOfpods");

        changes.changed(new PodBuilder(waiting).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .addToFinalizers("example.com/keep").endMetadata().build());
        Pod c = job("c", "2026-01-01T00:00:04Z");
        changes.changed(c);

        assertThat(desired.desired).containsKey(id(c));
    }

    /** What the node ran for {@code pod}: as an agent that ran it before a restart saved it. */
    private Assignment ran(Pod pod) {
        return ((PodTranslation.Run) PodTranslation.translate(pod, 1, "10.1.2.3", cluster.config())).assignment();
    }
}
