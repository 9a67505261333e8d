package dev.nanolet.platform.deployment;

import static dev.nanolet.wire.ReplicaPhase.CrashLoopBackOff;
import static dev.nanolet.wire.ReplicaPhase.Failed;
import static dev.nanolet.wire.ReplicaPhase.Pending;
import static dev.nanolet.wire.ReplicaPhase.Running;
import static dev.nanolet.wire.ReplicaPhase.Scheduled;
import static dev.nanolet.wire.ReplicaPhase.Succeeded;
import static dev.nanolet.wire.ReplicaPhase.Terminating;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.deployment.StatusCalculator.Desired;
import dev.nanolet.platform.deployment.StatusCalculator.Observed;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentStatus;
import dev.nanolet.wire.DeploymentStatus.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusCalculatorTest {
    static final DeploymentSpec HTTP = new DeploymentSpec("sha256:x", new DeploymentSpec.HttpSpec("/a"), null, 2,
            null, null, null, null);
    static final DeploymentSpec JOB = new DeploymentSpec("sha256:x", null, new DeploymentSpec.JobSpec(null), 2,
            null, null, null, null);
    /** Revision 1 was generation 1, revision 2 generation 3 (generation 2 was a scale). */
    static final Map<Integer, Long> GENERATIONS = Map.of(1, 1L, 2, 3L);
    static final Instant CHANGED = Instant.parse("2026-01-01T00:00:00Z");

    static DeploymentStatus status(DeploymentSpec spec, long generation, int revision, Observed... replicas) {
        return StatusCalculator.compute(new Desired(spec, generation, revision, GENERATIONS, CHANGED), List.of(replicas),
                CHANGED.plusSeconds(60));
    }

    static Observed replica(int revision, dev.nanolet.wire.ReplicaPhase phase) {
        return new Observed(revision, phase, phase == Pending ? null : "n1");
    }

    @Test
    void allCurrentReplicasRunningIsAvailableAndComplete() {
        DeploymentStatus s = status(HTTP, 4, 2, replica(2, Running), replica(2, Running));

        assertThat(s).extracting("replicas", "scheduled", "ready", "available", "observedGeneration")
                .containsExactly(2, 2, 2, 2, 4L);
        assertThat(s.conditions()).containsExactly(
                new Condition("Available", "True", "MinimumReplicasAvailable", "2 of 2 replicas available"),
                new Condition("Progressing", "True", "RolloutComplete", "revision 2 is available"));
    }

    @Test
    void noReplicasYetIsUnavailableAndNothingObserved() {
        DeploymentStatus s = status(HTTP, 1, 1);

        assertThat(s).extracting("replicas", "scheduled", "ready", "available", "observedGeneration")
                .containsExactly(2, 0, 0, 0, 0L);
        assertThat(s.conditions()).extracting(Condition::reason).containsExactly("ReplicasUnavailable", "NewRevisionRollingOut");
    }

    @Test
    void pendingAndScheduledReplicasAreNotReady() {
        DeploymentStatus s = status(HTTP, 1, 1, replica(1, Pending), replica(1, Scheduled));

        assertThat(s).extracting("scheduled", "ready", "available", "observedGeneration").containsExactly(1, 0, 0, 1L);
        assertThat(s.conditions().getFirst().status()).isEqualTo("False");
    }

    @Test
    void rolloutInProgressCountsOldReadyReplicasButNotAsAvailable() {
        DeploymentStatus s = status(HTTP, 4, 2, replica(1, Running), replica(1, Running), replica(2, Running));

        assertThat(s).extracting("ready", "available", "observedGeneration").containsExactly(3, 1, 1L);
        assertThat(s.conditions()).extracting(Condition::reason).containsExactly("ReplicasUnavailable", "NewRevisionRollingOut");
        assertThat(s.conditions().get(1).message()).contains("2 old replicas remain");
    }

    @Test
    void terminatingReplicasCountForNothing() {
        DeploymentStatus s = status(HTTP, 4, 2, replica(2, Running), replica(2, Running), replica(1, Terminating));

        assertThat(s).extracting("scheduled", "ready", "available", "observedGeneration").containsExactly(2, 2, 2, 4L);
        assertThat(s.conditions().get(1).reason()).isEqualTo("RolloutComplete");
    }

    @Test
    void scaledUpButNotYetCreatedObservesTheRevisionsGeneration() {
        DeploymentStatus s = status(HTTP, 4, 2, replica(2, Running));

        assertThat(s.observedGeneration()).isEqualTo(3L);
        assertThat(s.conditions().getFirst().reason()).isEqualTo("ReplicasUnavailable");
    }

    @Test
    void crashingReplicaStopsProgress() {
        DeploymentStatus s = status(HTTP, 1, 1, replica(1, Running), replica(1, CrashLoopBackOff));

        assertThat(s.conditions().get(1)).extracting(Condition::status, Condition::reason)
                .containsExactly("False", "ReplicaFailure");
    }

    @Test
    void aRunningJobIsReadyButItsRolloutIsNotCompleteUntilItSucceeds() {
        DeploymentStatus s = status(JOB, 1, 1, replica(1, Succeeded), replica(1, Running));

        assertThat(s).extracting("ready", "available").containsExactly(2, 2);
        assertThat(s.conditions()).extracting(Condition::reason).containsExactly("MinimumReplicasAvailable", "NewRevisionRollingOut");
        assertThat(s.conditions().get(1).message()).isEqualTo("revision 1: 1 of 2 succeeded");
    }

    @Test
    void aJobWhoseRunsAllSucceededIsComplete() {
        DeploymentStatus s = status(JOB, 1, 1, replica(1, Succeeded), replica(1, Succeeded));

        assertThat(s.conditions().get(1)).isEqualTo(
                new Condition("Progressing", "True", "RolloutComplete", "revision 1 has succeeded"));
    }

    @Test
    void aFailedJobRunFailsTheRollout() {
        DeploymentStatus s = status(JOB, 1, 1, replica(1, Succeeded), replica(1, Failed));

        assertThat(s.conditions().get(1)).isEqualTo(
                new Condition("Progressing", "False", "ReplicaFailure", "a replica of revision 1 is Failed"));
    }

    @Test
    void aJobStillRunningAnOldRevisionsSuccessIsNotComplete() {
        DeploymentStatus s = status(JOB, 3, 2, replica(1, Succeeded), replica(2, Succeeded), replica(2, Succeeded));

        assertThat(s.conditions().get(1).reason()).isEqualTo("NewRevisionRollingOut");
    }

    @Test
    void aJobPastItsDeadlineSaysHowManySucceeded() {
        Desired desired = new Desired(JOB.withProgressDeadlineSeconds(30), 1, 1, GENERATIONS, CHANGED);
        Condition c = StatusCalculator.compute(desired, List.of(replica(1, Running), replica(1, Succeeded)),
                CHANGED.plusSeconds(31)).conditions().get(1);

        assertThat(c).extracting("status", "reason").containsExactly("False", "ProgressDeadlineExceeded");
        assertThat(c.message()).isEqualTo("revision 1 has not succeeded within 30 s: 1 of 2 succeeded");
    }

    @Test
    void succeededHttpReplicasAreNotReady() {
        assertThat(status(HTTP, 1, 1, replica(1, Succeeded), replica(1, Running)).ready()).isEqualTo(1);
    }

    @Test
    void zeroReplicasWantedIsAvailable() {
        DeploymentStatus s = status(HTTP.withReplicas(0), 2, 1);

        assertThat(s.observedGeneration()).isEqualTo(2L);
        assertThat(s.conditions()).extracting(Condition::status).containsExactly("True", "True");
    }

    @Test
    void aRolloutPastItsDeadlineIsNoLongerProgressing() {
        DeploymentSpec spec = HTTP.withProgressDeadlineSeconds(30);
        Desired desired = new Desired(spec, 3, 2, GENERATIONS, CHANGED);
        List<Observed> replicas = List.of(replica(2, Running), replica(2, Pending));

        Condition before = StatusCalculator.compute(desired, replicas, CHANGED.plusSeconds(30)).conditions().get(1);
        Condition after = StatusCalculator.compute(desired, replicas, CHANGED.plusSeconds(31)).conditions().get(1);

        assertThat(before).extracting("status", "reason").containsExactly("True", "NewRevisionRollingOut");
        assertThat(after).extracting("status", "reason").containsExactly("False", "ProgressDeadlineExceeded");
        assertThat(after.message()).contains("30 s").contains("1 of 2 available");
    }

    @Test
    void aCompleteRolloutStaysCompletePastTheDeadline() {
        Desired desired = new Desired(HTTP.withProgressDeadlineSeconds(30), 3, 2, GENERATIONS, CHANGED);
        DeploymentStatus s = StatusCalculator.compute(desired, List.of(replica(2, Running), replica(2, Running)),
                CHANGED.plusSeconds(3600));

        assertThat(s.conditions().get(1)).extracting("status", "reason").containsExactly("True", "RolloutComplete");
    }

    @Test
    void theDefaultDeadlineIsKubernetes600Seconds() {
        assertThat(HTTP.progressDeadlineSeconds()).isEqualTo(600);
    }
}
