package dev.nanolet.agent.kubernetes;

import static dev.nanolet.agent.kubernetes.QuickPolls.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Pod statuses as the CRUD mock stores them: written from the pod as read, a refusal kept, a failure told. */
@ExtendWith(OutputCaptureExtension.class)
class PodStatusWriterTest {

    private final MockCluster cluster = new MockCluster();
    private final PodStatusWriter writer = new PodStatusWriter(cluster.client, "10.1.2.3", Clock.systemUTC());

    @AfterEach
    void close() {
        cluster.close();
    }

    private static final PodTranslation.Refuse ROUTE_TAKEN = new PodTranslation.Refuse("RouteTaken", "route /web is taken");
    private static final ReplicaStatusReport RUNNING = new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0);
    private static final PodTranslation.Wait CONFIG = new PodTranslation.Wait("CreateContainerConfigError", "configmap \"c\" not found");

    /** {@code pod} as the worker tracks it while it waits for {@link #CONFIG}. */
    private static TrackedPod waitingForConfig(Pod pod) {
        TrackedPod t = new TrackedPod(pod);
        t.waiting = CONFIG.message();
        return t;
    }

    private Pod created(String name) {
        return cluster.create(MockCluster.pod(name, MockCluster.NODE, "r.example/a:v1", "Always").build());
    }

    private void assertRouteTaken() {
        assertThat(cluster.get("web").getStatus().getPhase()).isEqualTo("Failed");
        assertThat(cluster.get("web").getStatus().getReason()).isEqualTo("RouteTaken");
    }

    @Test
    void aReportDoesNotOverwriteTheRefusalOfAPodRefusedMeanwhile() {
        TrackedPod t = new TrackedPod(created("web"));
        writer.report(t, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0), ContainerHistory.NEW, Clock.systemUTC().instant());
        assertThat(cluster.get("web").getStatus().getPhase()).isEqualTo("Running");

        t.refused = true;
        writer.refused(t.pod, ROUTE_TAKEN);
        writer.report(t, new ReplicaStatusReport(ReplicaPhase.Terminating, "Stopped", "stopped", 0), ContainerHistory.NEW,
                Clock.systemUTC().instant());

        assertRouteTaken();
    }

    /**
     * The race a status write has with a refusal: the report read the pod and looked at refused before the worker set
     * it and wrote the refusal. Its write carries the resourceVersion it read, so it conflicts, and the pod is read
     * again (the report does not fail back to the outbox's back-off).
     */
    @Test
    void aReportComputedFromThePodBeforeARefusalIsComputedAgainAndKeepsTheRefusal() {
        TrackedPod t = new TrackedPod(created("web"));
        Pod beforeRefusal = cluster.get("web");
        writer.refused(t.pod, ROUTE_TAKEN);
        Pod refused = cluster.get("web");
        String path = "/api/v1/namespaces/default/pods/web";
        cluster.server.expect().get().withPath(path).andReturn(200, beforeRefusal).once();
        cluster.server.expect().get().withPath(path).andReply(200, request -> {
            t.refused = true; // the worker set it before it wrote the refusal
            return refused;
        }).once();

        writer.report(t, RUNNING, ContainerHistory.NEW, Clock.systemUTC().instant());

        assertRouteTaken();
    }

    /**
     * The other way round: a report landed between the refusal's read and its write. The refusal is computed again
     * from the pod as it is now and written at once, not left until the pod's next event (its resync) while the pod
     * shows Running.
     */
    @Test
    void aRefusalThatConflictsWithAReportIsWrittenAtOnce() {
        TrackedPod t = new TrackedPod(created("web"));
        Pod beforeReport = cluster.get("web");
        writer.report(t, RUNNING, ContainerHistory.NEW, Clock.systemUTC().instant());
        cluster.server.expect().get().withPath("/api/v1/namespaces/default/pods/web").andReturn(200, beforeReport).once();

        writer.refused(t.pod, ROUTE_TAKEN);
        assertRouteTaken();
    }

    /** Each conflict reads the pod again; a pod that keeps changing fails the write after the last attempt (the caller tries again). */
    @Test
    void aWriteThatKeepsConflictingGivesUpAfterItsAttempts() {
        Pod pod = created("web");
        cluster.touch("default", "web");
        for (int i = 0; i < PodStatusWriter.ATTEMPTS; i++) {
            cluster.server.expect().get().withPath("/api/v1/namespaces/default/pods/web").andReturn(200, pod).once();
        }

        assertThatThrownBy(() -> writer.waiting(waitingForConfig(pod), CONFIG)).isInstanceOf(KubernetesClientException.class);
        writer.waiting(waitingForConfig(pod), CONFIG);
    }

    /** The pod as it was before an edit, for the next report's {@value PodStatusWriter#ATTEMPTS} reads: each write conflicts. */
    private void keepsConflicting(Pod stale) {
        for (int i = 0; i < PodStatusWriter.ATTEMPTS; i++) {
            cluster.server.expect().get().withPath("/api/v1/namespaces/default/pods/web").andReturn(200, stale).once();
        }
    }

    private static long warnings(CapturedOutput output) {
        return output.getAll().lines().filter(l -> l.contains("WARN") && l.contains("cannot write the status of pod default/web")).count();
    }

    /** The outbox sends a report that failed again and again, logging at debug: an operator sees the pod stuck once, at WARN. */
    @Test
    void aReportThatStillConflictsAfterItsAttemptsIsWarnedAboutOnceUntilAWriteSucceeds(CapturedOutput output) {
        TrackedPod t = new TrackedPod(created("web"));
        Pod stale = cluster.get("web");
        cluster.touch("default", "web");
        for (int retry = 0; retry < 2; retry++) {
            keepsConflicting(stale);
            assertThatThrownBy(() -> writer.report(t, RUNNING, ContainerHistory.NEW, Clock.systemUTC().instant()))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        }
        assertThat(warnings(output)).isEqualTo(1);
        assertThat(output.getAll()).contains("it changed on each of " + PodStatusWriter.ATTEMPTS + " attempts");

        writer.report(t, RUNNING, ContainerHistory.NEW, Clock.systemUTC().instant());
        stale = cluster.get("web");
        cluster.touch("default", "web");
        keepsConflicting(stale);
        assertThatThrownBy(() -> writer.report(t, new ReplicaStatusReport(ReplicaPhase.Succeeded, null, null, 0), ContainerHistory.NEW,
                Clock.systemUTC().instant())).isInstanceOf(KubernetesClientException.class);
        assertThat(warnings(output)).isEqualTo(2);
    }

    @Test
    void aStatusThatCannotBeWrittenIsToldToTheCallerWhoTriesAgain() {
        Pod gone = MockCluster.pod("gone", MockCluster.NODE, "r.example/a:v1", "Always").build();

        assertThatThrownBy(() -> writer.refused(gone, new PodTranslation.Refuse("UnsupportedPod", "no"))).isInstanceOf(KubernetesClientException.class);
        assertThatThrownBy(() -> writer.waiting(waitingForConfig(gone), CONFIG)).isInstanceOf(KubernetesClientException.class);
    }

    /**
     * A write for a pod deleted and created again under its name (a StatefulSet's pod: a new uid) while the write waited
     * for its back-off lands on neither: the new pod is another pod, which the node has not weighed yet. The write read
     * the pod by name only, and wrote the old pod's refusal and report over the new one's status (seen failing).
     */
    @Test
    void aStatusForAPodCreatedAgainUnderItsNameIsNotWrittenOnTheNewPod() {
        Pod old = created("web");
        cluster.client.pods().inNamespace("default").withName("web").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.get("web") == null);
        Pod again = created("web");

        assertThatThrownBy(() -> writer.refused(old, ROUTE_TAKEN)).isInstanceOf(KubernetesClientException.class);
        assertThatThrownBy(() -> writer.report(new TrackedPod(old), RUNNING, ContainerHistory.NEW, Clock.systemUTC().instant()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
        assertThat(cluster.get("web").getMetadata().getUid()).isEqualTo(again.getMetadata().getUid());
        assertThat(cluster.get("web").getStatus()).as("the new pod's status").isNull();
    }

    @Test
    void aWaitingPodIsPendingWithItsContainerWaitingForWhatItNeeds() {
        Pod pod = created("web");

        writer.waiting(waitingForConfig(pod), CONFIG);
        assertThat(cluster.get("web").getStatus().getPhase()).isEqualTo("Pending");
        assertThat(cluster.get("web").getStatus().getContainerStatuses().getFirst().getState().getWaiting().getReason())
                .isEqualTo("CreateContainerConfigError");
    }

    /**
     * The race a wait's write, off the worker ({@link PodWrites}), has with the pod's start: it read the pod while the
     * pod waited, then the worker saw that it can run and its replica's report landed. The wait's write conflicts, and
     * once read again the pod no longer waits: the report stays (the wait was computed again from the pod read and
     * written over the report, leaving a running pod Pending until its next report: seen failing).
     */
    @Test
    void aWaitReadBeforeThePodRanIsNotWrittenOverItsReport() {
        TrackedPod t = waitingForConfig(created("web"));
        Pod beforeReport = cluster.get("web");
        writer.report(t, RUNNING, ContainerHistory.NEW, Clock.systemUTC().instant());
        Pod running = cluster.get("web");
        String path = "/api/v1/namespaces/default/pods/web";
        cluster.server.expect().get().withPath(path).andReturn(200, beforeReport).once();
        cluster.server.expect().get().withPath(path).andReply(200, request -> {
            t.waiting = null; // the worker saw it run (before its report, which the mock already holds)
            return running;
        }).once();

        writer.waiting(t, CONFIG);
        assertThat(cluster.get("web").getStatus().getPhase()).isEqualTo("Running");
    }
}
