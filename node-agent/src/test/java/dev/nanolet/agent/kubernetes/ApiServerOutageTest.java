package dev.nanolet.agent.kubernetes;

import static dev.nanolet.agent.kubernetes.QuickPolls.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nanolet.agent.control.RecordingDesiredState;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * An API server that fails some of the node's writes for a while (500), on the client's default retries (fabric8's ten,
 * some 19 s of waiting per request): each write is tried {@value #ATTEMPTS} times at most, then fails ({@link BriefRetries}),
 * so no pod's write holds the adapter's worker and the other pods' changes behind it, and the node does it again once
 * the API server answers. How long a call was held is told by how often the server was asked, not by a stopwatch.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiServerOutageTest {

    private static final Duration CALL = Duration.ofSeconds(30);
    /** A request and its brief retries. */
    private static final int ATTEMPTS = 1 + BriefRetries.RETRIES;
    private static final ReplicaStatusReport RUNNING = new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0);
    @AutoClose
    private final MockCluster cluster = new MockCluster();
    private final RecordingDesiredState desired = new RecordingDesiredState();
    @AutoClose
    private final KubernetesControlPlane adapter = cluster.adapter(desired, id -> true);
    /** The adapter's watch, once {@link #start}ed. */
    @AutoClose("dispose")
    private final Disposable.Swap watch = Disposables.swap();

    /**
     * Registers the node and starts its watch, returning once the pods it lists were weighed: a pod created after that
     * is weighed on its watch event alone, not also on the list if that read the informer's store after the event.
     */
    private void start() {
        adapter.register().block(CALL);
        AtomicBoolean listed = new AtomicBoolean();
        watch.update(adapter.watch().subscribe(x -> listed.set(true), e -> {}));
        await().atMost(CALL).untilTrue(listed);
    }

    /** The requests {@code which} matches fail (500) until {@link #answering}; how many did. */
    private AtomicInteger failing(Predicate<String> which) {
        AtomicInteger failed = new AtomicInteger();
        cluster.failing = request -> which.test(request) && failed.incrementAndGet() > 0;
        return failed;
    }

    private void answering() {
        cluster.failing = request -> false;
    }

    private UUID created(Pod pod) {
        return UUID.fromString(cluster.create(pod).getMetadata().getUid());
    }

    /** A pod the node runs once it is weighed (the adapter is only told to run it: no image is pulled). */
    private UUID job(String name) {
        return created(MockCluster.pod(name, MockCluster.NODE, "r.example/a:v1", "Never").build());
    }

    /** A pod the node refuses (two containers): its status write is the node's own, not a replica's report. */
    private void refused(String name) {
        created(MockCluster.pod(name, MockCluster.NODE, "r.example/a:v1", "Never").editSpec().addNewContainer()
                .withName("envoy").withImage("envoy").endContainer().endSpec().build());
    }

    /**
     * A refusal whose status write fails is tried again by its own back-off ({@link PodWrites}), off the worker: the pod
     * created next runs meanwhile, and the refusal is written once the API server answers, with no new event of the pod
     * and before its resync (a minute away). It waited for the pod's next change or resync (seen failing without the
     * pod's edit that the test made then).
     */
    @Test
    void aStatusWriteTheApiServerFailsHoldsNoOtherPodAndIsWrittenOnceItAnswersWithoutAnEvent() {
        AtomicInteger failed = failing(r -> r.startsWith("PATCH /api/v1/namespaces/default/pods/sidecar/status "));
        start();
        refused("sidecar");
        UUID next = job("next");

        await().atMost(CALL).until(() -> desired.desired.containsKey(next));
        await().atMost(CALL).until(() -> failed.get() > ATTEMPTS); // tried again past its first call's brief retries
        assertThat(cluster.get("sidecar").getStatus()).as("written while it failed").isNull();

        answering();
        await().atMost(CALL).until(() -> cluster.get("sidecar").getStatus() != null);
        assertThat(cluster.get("sidecar").getStatus().getPhase()).isEqualTo("Failed");
        assertThat(cluster.get("sidecar").getStatus().getReason()).isEqualTo("UnsupportedPod");
    }

    /**
     * A refusal's status write the API server refuses (403: a permission the node lacks) is logged once, at WARN, its
     * retries at debug only, and the attempt that lands it at INFO: the status writer logged each failed attempt at
     * INFO itself, every 30 s at most for as long as the pod stayed, and PodWrites saw no failure to log (seen failing).
     */
    @Test
    void aStatusWriteTheApiServerRefusesIsWarnedAboutOnceAndToldOnceItLands(CapturedOutput output) {
        AtomicInteger refusals = new AtomicInteger();
        cluster.forbidden = r -> r.startsWith("PATCH /api/v1/namespaces/default/pods/sidecar/status ") && refusals.incrementAndGet() > 0;
        start();
        refused("sidecar");
        String uid = cluster.get("sidecar").getMetadata().getUid();
        await().atMost(CALL).until(() -> refusals.get() >= ATTEMPTS);
        cluster.forbidden = r -> false;

        await().atMost(CALL).until(() -> output.getAll().contains("the STATUS write of pod " + uid + " is done after"));
        assertThat(cluster.get("sidecar").getStatus().getReason()).isEqualTo("UnsupportedPod");
        assertThat(output.getAll().lines().filter(l -> l.contains("cannot") && l.contains("write") && (l.contains(uid) || l.contains("default/sidecar"))))
                .as("the failures logged").singleElement().asString().contains("WARN").contains("403");
    }

    /**
     * An API server that does not answer one pod's status write at all holds no other pod's change: the pod created
     * next runs while the write's first call is still unanswered (the worker was held for that call's three attempts'
     * timeouts, some 30 s, and the next pod ran only after every attempt was made: seen failing). Once the server answers,
     * the write lands with no new event of the pod.
     */
    @Test
    void aStatusWriteTheApiServerDoesNotAnswerHoldsNoOtherPodAndLandsOnceItAnswers() {
        refusedWhileNotAnswering(r -> r.startsWith("PATCH /api/v1/namespaces/default/pods/sidecar/status "));

        cluster.silent = r -> false;
        await().atMost(CALL.multipliedBy(3)).until(() -> cluster.get("sidecar").getStatus() != null);
        assertThat(cluster.get("sidecar").getStatus().getReason()).isEqualTo("UnsupportedPod");
    }

    /**
     * An API server that answers the pods' watch but not the Services' list holds no pod's change: each pod waits for its
     * Service variables, told so at once ("cannot be read now"), and both run once the server answers, weighed again by
     * their read back-off with no new event. Each pod's evaluation read its namespace's Services on the worker, held for
     * its three attempts' timeouts, and the second pod was weighed only after them (seen failing).
     */
    @Test
    void servicesTheApiServerDoesNotListHoldNoPodAndThePodsRunOnceItAnswers() {
        AtomicInteger byPods = new AtomicInteger();
        cluster.silent = r -> r.startsWith("GET ") && r.contains("/services")
                && (!r.startsWith("GET /api/v1/namespaces/") || byPods.incrementAndGet() > 0);
        try (KubernetesControlPlane unlisted = cluster.adapter(desired, id -> true)) {
            unlisted.register().block(CALL);
            AtomicBoolean listed = new AtomicBoolean();
            watch.update(unlisted.watch().subscribe(x -> listed.set(true), e -> {}));
            await().atMost(CALL).untilTrue(listed);
            UUID first = job("first");
            UUID second = job("second");

            await().atMost(CALL).until(() -> waitsForServices("first") && waitsForServices("second"));
            assertThat(byPods.get()).as("reads of a namespace's Services (not the informer's list) when both pods waited").isZero();

            cluster.silent = r -> false;
            await().atMost(CALL.multipliedBy(3)).until(() -> desired.desired.containsKey(first) && desired.desired.containsKey(second));
        }
    }

    private boolean waitsForServices(String pod) {
        var status = cluster.get(pod).getStatus();
        return status != null && status.getContainerStatuses() != null && status.getContainerStatuses().stream()
                .anyMatch(c -> c.getState().getWaiting() != null && String.valueOf(c.getState().getWaiting().getMessage())
                        .contains("services cannot be read now"));
    }

    /**
     * An API server that answers the pods' watch but not a pod's config map holds no other pod's change: the read runs
     * off the worker ({@link PendingReads}), the pod told nothing while it is under way, and the pod created next runs
     * before that read's first call is answered (the worker read it itself, held for its three attempts' timeouts, and
     * the next pod ran only after every attempt was made: seen failing). Once the server answers, the pod runs, weighed
     * again when its read ends, with no new event of it.
     */
    @Test
    void aConfigMapTheApiServerDoesNotAnswerHoldsNoOtherPodAndThePodRunsOnceItAnswers() {
        cluster.client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("settings").endMetadata().addToData("level", "debug").build()).create();
        AtomicInteger asked = new AtomicInteger();
        cluster.silent = r -> r.startsWith("GET /api/v1/namespaces/default/configmaps/settings ") && asked.incrementAndGet() > 0;
        start();
        UUID stuck = created(MockCluster.pod("stuck", MockCluster.NODE, "r.example/a:v1", "Never").editSpec().editFirstContainer()
                .addNewEnv().withName("LEVEL").withNewValueFrom().withNewConfigMapKeyRef("level", "settings", false).endValueFrom().endEnv()
                .endContainer().endSpec().build());
        await().atMost(CALL).until(() -> asked.get() > 0);
        UUID next = job("next");

        await().atMost(CALL).until(() -> desired.desired.containsKey(next));
        assertThat(asked.get()).as("unanswered attempts of the config map's read when the next pod ran").isLessThan(ATTEMPTS);
        assertThat(cluster.get("stuck").getStatus()).as("told nothing while its read is under way").isNull();

        cluster.silent = r -> false;
        await().atMost(CALL.multipliedBy(3)).until(() -> desired.desired.containsKey(stuck));
        assertThat(desired.desired.get(stuck).spec().env()).containsEntry("LEVEL", "debug");
    }

    /**
     * An API server that does not answer a pod's event holds no other pod's change: the refused pod's Warning event is
     * posted off the worker ({@link EventRecorder}), and the pod created next runs while that post is unanswered (the
     * worker posted it itself, held for its three attempts' timeouts, and the next pod ran only after them: seen failing).
     */
    @Test
    void anEventTheApiServerDoesNotAnswerHoldsNoOtherPod() {
        refusedWhileNotAnswering(r -> r.startsWith("POST /api/v1/namespaces/default/events ") && r.contains("\"sidecar\""));
    }

    /**
     * Pod sidecar refused while the API server answers none of the requests {@code unanswered} matches, and then a pod
     * that runs: it runs before the first of those requests was tried {@value #ATTEMPTS} times.
     */
    private void refusedWhileNotAnswering(Predicate<String> unanswered) {
        AtomicInteger asked = new AtomicInteger();
        cluster.silent = r -> unanswered.test(r) && asked.incrementAndGet() > 0;
        start();
        refused("sidecar");
        await().atMost(CALL).until(() -> asked.get() > 0);
        UUID next = job("next");

        await().atMost(CALL).until(() -> desired.desired.containsKey(next));
        assertThat(asked.get()).as("unanswered attempts of the refused pod's request when the next pod ran").isLessThan(ATTEMPTS);
    }

    /**
     * A replica's report whose status write fails fails after {@value #ATTEMPTS} attempts, not refused, so the node's
     * report outbox sends it again after its back-off; it held one of the outbox's few open calls for eleven over 19 s.
     * Sent again once the server answers, it lands.
     */
    @Test
    void aReportWhoseStatusWriteFailsFailsSoonToBeSentAgain() {
        UUID id = job("web");
        start();
        await().atMost(CALL).until(() -> desired.desired.containsKey(id));
        AtomicInteger failed = failing(r -> r.startsWith("PATCH /api/v1/namespaces/default/pods/web/status "));

        Throwable failure = catchThrowable(() -> adapter.status(id, RUNNING).block(CALL));
        assertThat(failure).isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(500));
        assertThat(failed.get()).isBetween(1, ATTEMPTS);
        assertThat(adapter.refused(failure)).isFalse();

        answering();
        adapter.status(id, RUNNING).block(CALL);
        assertThat(cluster.get("web").getStatus().getPhase()).isEqualTo("Running");
    }

    /**
     * A drained pod's delete that fails is sent again by its own back-off ({@link PodWrites}), off the worker: the pod
     * created after it runs meanwhile, and the delete goes once the API server answers, with no new event of the pod (it
     * waited for the pod's next change or resync: seen failing without the pod's edit that the test made then).
     */
    @Test
    void aDeleteTheApiServerFailsHoldsNoOtherPodAndIsSentAgainOnceItAnswersWithoutAnEvent() throws InterruptedException {
        UUID id = created(MockCluster.pod("web", MockCluster.NODE, "r.example/a:v1", "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, "/web").addToFinalizers("nanolet.dev/test-keep").endMetadata().build());
        start();
        await().atMost(CALL).until(() -> desired.desired.containsKey(id));
        adapter.status(id, RUNNING).block(CALL);
        AtomicInteger failed = failing(r -> r.startsWith("DELETE /api/v1/namespaces/default/pods/web ")
                && r.contains("\"gracePeriodSeconds\":0"));
        cluster.client.pods().inNamespace("default").withName("web").withGracePeriod(30).delete();
        await().atMost(CALL).until(() -> desired.desired.get(id).terminating());
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Terminating, "Stopped", "stopped", 0)).block(CALL);
        UUID after = job("after");

        await().atMost(CALL).until(() -> desired.desired.containsKey(after));
        await().atMost(CALL).until(() -> failed.get() > ATTEMPTS);

        answering();
        int failures = failed.get();
        List<String> seen = new ArrayList<>();
        await().atMost(CALL).until(() -> byTheNode(seen).size() > failures);
    }

    private List<DeleteOptions> byTheNode(List<String> seen) throws InterruptedException {
        return cluster.deletions("web", seen).stream().filter(o -> Long.valueOf(0).equals(o.getGracePeriodSeconds())).toList();
    }

    /**
     * A lease renewal the API server fails fails after {@value #ATTEMPTS} attempts: retried eleven times over 19 s per
     * request, it outlasted the lease's own duration (4 s here, 40 s by default) and held every renewal after it. The
     * first renewal after an outage of two renewals renews it, and asks once for the pods to be listed again. The outage's
     * first failure is logged at WARN with its reason, its end at INFO, nothing in between (a failed renewal was logged
     * at debug only: seen failing).
     */
    @Test
    void aLeaseRenewalTheApiServerFailsFailsSoonAndTheNextOneRenewsIt(CapturedOutput output) {
        adapter.register().block(CALL);
        List<Boolean> relists = new CopyOnWriteArrayList<>();
        Disposable rewatch = adapter.rewatch().subscribe(relists::add);
        String renewed = renewTime();
        AtomicInteger failed = failing(r -> r.contains(" /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1"));

        for (int renewal = 1; renewal <= 2; renewal++) {
            Throwable failure = catchThrowable(() -> adapter.renewLease(new NodeUsage(List.of())).block(CALL));
            assertThat(failure).isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(500));
            assertThat(failed.get()).as("attempts of %d failed renewals", renewal).isBetween(renewal, renewal * ATTEMPTS);
        }
        assertThat(relists).isEmpty();
        assertThat(lines(output, "WARN", "cannot renew the lease of node n1")).singleElement().asString().contains("500");

        answering();
        adapter.renewLease(new NodeUsage(List.of())).block(CALL);
        assertThat(renewTime()).isNotEqualTo(renewed);
        assertThat(lines(output, "INFO", "the lease of node n1 is renewed again")).singleElement().asString()
                .contains("after 2 failed renewals");
        assertThat(lines(output, "WARN", "lease")).hasSize(1);
        adapter.renewLease(new NodeUsage(List.of())).block(CALL);
        assertThat(relists).containsExactly(true);
        rewatch.dispose();
    }

    private static List<String> lines(CapturedOutput output, String level, String text) {
        return output.getAll().lines().filter(l -> l.contains(level) && l.contains(text)).toList();
    }

    private String renewTime() {
        return cluster.client.leases().inNamespace(NodeLease.NAMESPACE).withName(MockCluster.NODE).get().getSpec().getRenewTime().toString();
    }
}
