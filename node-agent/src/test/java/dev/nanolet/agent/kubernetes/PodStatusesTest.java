package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Replica reports → pod statuses as kubectl and controllers read them. */
class PodStatusesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final io.fabric8.kubernetes.api.model.Pod pod = MockCluster.pod("p", "n1", "r.example/a:v1", "OnFailure").build();

    private static Map<String, String> conditions(PodStatus s) {
        return s.getConditions().stream().collect(Collectors.toMap(PodCondition::getType, PodCondition::getStatus));
    }

    @Test
    void runningIsReadyWithAllFourConditionsAndTheNodeAsPodIp() {
        var report = new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0);
        var h = ContainerHistory.NEW.withImageId("r.example/a@sha256:" + "1".repeat(64)).after(report, T0);

        PodStatus s = PodStatuses.of(pod, report, h, "10.1.2.3", T0);
        assertThat(s.getPhase()).isEqualTo("Running");
        assertThat(conditions(s)).containsExactlyInAnyOrderEntriesOf(Map.of("PodScheduled", "True", "Initialized", "True",
                "ContainersReady", "True", "Ready", "True"));
        assertThat(s.getPodIP()).isEqualTo("10.1.2.3");
        assertThat(s.getHostIP()).isEqualTo("10.1.2.3");
        var c = s.getContainerStatuses().getFirst();
        assertThat(c.getReady()).isTrue();
        assertThat(c.getState().getRunning().getStartedAt()).isEqualTo(T0.toString());
        assertThat(c.getImageID()).isEqualTo("r.example/a@sha256:" + "1".repeat(64));
    }

    @Test
    void aCrashLoopIsRunningButNotReadyWithTheLastExitCodeAndRestarts() {
        var failed = new ReplicaStatusReport(ReplicaPhase.CrashLoopBackOff, "BackOff", "back-off 10s restarting failed job (exit code 3)", 2);
        var h = ContainerHistory.NEW.after(new ReplicaStatusReport(ReplicaPhase.Running, null, null, 2), T0)
                .after(failed, T0.plusSeconds(1));

        PodStatus s = PodStatuses.of(pod, failed, h, "10.1.2.3", T0.plusSeconds(1));
        assertThat(s.getPhase()).isEqualTo("Running");
        assertThat(conditions(s)).containsEntry("Ready", "False");
        var c = s.getContainerStatuses().getFirst();
        assertThat(c.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(c.getLastState().getTerminated().getFinishedAt()).isEqualTo(T0.plusSeconds(1).toString());
        assertThat(c.getRestartCount()).isEqualTo(2);
    }

    @Test
    void succeededAndFailedJobsAreTerminatedWithTheirExitCodes() {
        var ok = new ReplicaStatusReport(ReplicaPhase.Succeeded, "Completed", "exit code 0", 0);
        PodStatus s = PodStatuses.of(pod, ok, ContainerHistory.NEW.after(ok, T0), "10.1.2.3", T0);
        assertThat(s.getPhase()).isEqualTo("Succeeded");
        assertThat(s.getContainerStatuses().getFirst().getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(s.getConditions()).filteredOn(c -> c.getType().equals("Ready")).first()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("PodCompleted"));

        var oom = new ReplicaStatusReport(ReplicaPhase.Failed, "MemoryLimit", "memory limit of 16 MiB reached", 0);
        PodStatus f = PodStatuses.of(pod, oom, ContainerHistory.NEW.after(oom, T0), "10.1.2.3", T0);
        assertThat(f.getPhase()).isEqualTo("Failed");
        assertThat(f.getContainerStatuses().getFirst().getState().getTerminated().getReason()).isEqualTo("OOMKilled");
        assertThat(f.getContainerStatuses().getFirst().getState().getTerminated().getExitCode()).isEqualTo(137);
    }

    @Test
    void aFailedPullIsPendingWithErrImagePullThenImagePullBackOff() {
        var pull = new ReplicaStatusReport(ReplicaPhase.Failed, "ModuleFetchFailed", "cannot fetch r.example/a:v1: not a Wasm artifact", 0);
        var once = ContainerHistory.NEW.after(pull, T0);
        PodStatus first = PodStatuses.of(pod, pull, once, "10.1.2.3", T0);
        assertThat(first.getPhase()).isEqualTo("Pending");
        assertThat(first.getContainerStatuses().getFirst().getState().getWaiting().getReason()).isEqualTo("ErrImagePull");
        assertThat(first.getContainerStatuses().getFirst().getState().getWaiting().getMessage()).contains("not a Wasm artifact");

        PodStatus again = PodStatuses.of(pod, pull, once.after(pull, T0), "10.1.2.3", T0);
        assertThat(again.getContainerStatuses().getFirst().getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
    }

    @Test
    void aConditionKeepsItsTransitionTimeWhileItsStatusStays() {
        var running = new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0);
        PodStatus first = PodStatuses.of(pod, running, ContainerHistory.NEW.after(running, T0), "ip", T0);
        var later = MockCluster.pod("p", "n1", "r.example/a:v1", "OnFailure").withStatus(first).build();

        PodStatus second = PodStatuses.of(later, running, ContainerHistory.NEW.after(running, T0), "ip", T0.plusSeconds(60));
        assertThat(second.getConditions()).allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo(T0.toString()));
    }
}
