package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReplicaDiffTest {

    static Assignment assignment(UUID id, int revision, boolean terminating) {
        var spec = new DeploymentSpec("sha256:" + "a".repeat(64), new DeploymentSpec.HttpSpec("/x"), null, 1, null, null, null, null);
        return new Assignment(id, "default", "x", revision, spec.module(), 10, spec, terminating);
    }

    static ReplicaDiff.Actual actual(Assignment a, ReplicaPhase phase) {
        return new ReplicaDiff.Actual(a.replicaId(), a.revision(), a.moduleDigest(), phase);
    }

    @Test
    void startsWhatIsDesiredAndNotHere() {
        var a = assignment(UUID.randomUUID(), 1, false);
        assertThat(ReplicaDiff.diff(List.of(a), Map.of(), false)).containsExactly(new ReplicaAction.Start(a));
    }

    @Test
    void leavesAHealthyReplicaAloneAndOnlyReportsItOnResync() {
        var a = assignment(UUID.randomUUID(), 1, false);
        var here = Map.of(a.replicaId(), actual(a, ReplicaPhase.Running));
        assertThat(ReplicaDiff.diff(List.of(a), here, false)).isEmpty();
        assertThat(ReplicaDiff.diff(List.of(a), here, true)).containsExactly(new ReplicaAction.Report(a.replicaId()));
    }

    @Test
    void restartsOnAnotherRevision() {
        var a = assignment(UUID.randomUUID(), 2, false);
        var here = Map.of(a.replicaId(), actual(assignment(a.replicaId(), 1, false), ReplicaPhase.Running));
        assertThat(ReplicaDiff.diff(List.of(a), here, false)).containsExactly(new ReplicaAction.Restart(a));
    }

    @Test
    void terminatesOnceAndThenWaits() {
        var a = assignment(UUID.randomUUID(), 1, true);
        assertThat(ReplicaDiff.diff(List.of(a), Map.of(a.replicaId(), actual(a, ReplicaPhase.Running)), false))
                .containsExactly(new ReplicaAction.Terminate(a));
        assertThat(ReplicaDiff.diff(List.of(a), Map.of(), false)).containsExactly(new ReplicaAction.Terminate(a));
        assertThat(ReplicaDiff.diff(List.of(a), Map.of(a.replicaId(), actual(a, ReplicaPhase.Terminating)), false)).isEmpty();
    }

    @Test
    void forgetsWhatIsNoLongerListedIncludingFinishedJobs() {
        var gone = assignment(UUID.randomUUID(), 1, false);
        var done = assignment(UUID.randomUUID(), 1, false);
        var here = Map.of(gone.replicaId(), actual(gone, ReplicaPhase.Running), done.replicaId(), actual(done, ReplicaPhase.Succeeded));
        assertThat(ReplicaDiff.diff(List.of(), here, true)).containsExactlyInAnyOrder(
                new ReplicaAction.Forget(gone.replicaId()), new ReplicaAction.Forget(done.replicaId()));
    }

    @Test
    void neverReRunsAFinishedJobThatIsStillListed() {
        var a = assignment(UUID.randomUUID(), 1, false);
        assertThat(ReplicaDiff.diff(List.of(a), Map.of(a.replicaId(), actual(a, ReplicaPhase.Failed)), false)).isEmpty();
    }

    static Assignment job(UUID id) {
        var spec = new DeploymentSpec("sha256:" + "a".repeat(64), null,
                new DeploymentSpec.JobSpec(DeploymentSpec.RestartPolicy.Never), 1, null, null, null, null);
        return new Assignment(id, "default", "j", 1, spec.module(), 10, spec, false);
    }

    @Test
    void aFencedNodeStopsItsRunningJobsStartsNoneAndKeepsHttpAndFinishedJobs() {
        var web = assignment(UUID.randomUUID(), 1, false);
        var running = job(UUID.randomUUID());
        var done = job(UUID.randomUUID());
        var notYet = job(UUID.randomUUID());
        var here = Map.of(web.replicaId(), actual(web, ReplicaPhase.Running), running.replicaId(), actual(running, ReplicaPhase.Running),
                done.replicaId(), actual(done, ReplicaPhase.Succeeded));

        var wanted = ReplicaDiff.fenced(List.of(web, running, done, notYet), here);

        assertThat(wanted).containsExactlyInAnyOrder(web, done);
        assertThat(ReplicaDiff.diff(wanted, here, false)).containsExactly(new ReplicaAction.Forget(running.replicaId()));
    }
}
