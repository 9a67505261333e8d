package dev.nanolet.platform.replication;

import static dev.nanolet.wire.ReplicaPhase.Failed;
import static dev.nanolet.wire.ReplicaPhase.Pending;
import static dev.nanolet.wire.ReplicaPhase.Running;
import static dev.nanolet.wire.ReplicaPhase.Starting;
import static dev.nanolet.wire.ReplicaPhase.Succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.replication.DeploymentDiff.Action;
import dev.nanolet.platform.replication.DeploymentDiff.Create;
import dev.nanolet.platform.replication.DeploymentDiff.Desired;
import dev.nanolet.platform.replication.DeploymentDiff.Forget;
import dev.nanolet.platform.replication.DeploymentDiff.Observed;
import dev.nanolet.platform.replication.DeploymentDiff.Terminate;
import dev.nanolet.wire.ReplicaPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeploymentDiffTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private int age;

    private Observed replica(int revision, ReplicaPhase phase) {
        return new Observed(UUID.randomUUID(), revision, phase, false, phase != Pending, T0.plusSeconds(age++));
    }

    private static Desired http(int revision, int replicas) {
        return new Desired(revision, replicas, false, false);
    }

    private static List<UUID> terminated(List<Action> actions) {
        return actions.stream().filter(Terminate.class::isInstance).map(a -> ((Terminate) a).replica()).toList();
    }

    @Test
    void createsWhatIsMissing() {
        assertThat(DeploymentDiff.diff(http(1, 3), List.of(replica(1, Running)))).containsExactly(new Create(2));
    }

    @Test
    void doesNothingWhenTheCountIsRight() {
        assertThat(DeploymentDiff.diff(http(1, 2), List.of(replica(1, Running), replica(1, Pending)))).isEmpty();
    }

    @Test
    void scalesDownUnscheduledBeforeRunning() {
        Observed running = replica(1, Running);
        Observed pending = replica(1, Pending);
        assertThat(terminated(DeploymentDiff.diff(http(1, 1), List.of(running, pending)))).containsExactly(pending.id());
    }

    @Test
    void terminatingReplicasDoNotCount() {
        Observed leaving = new Observed(UUID.randomUUID(), 1, Running, true, true, T0);
        assertThat(DeploymentDiff.diff(http(1, 1), List.of(leaving))).containsExactly(new Create(1));
    }

    @Test
    void replacesAFailedHttpReplica() {
        Observed failed = replica(1, Failed);
        assertThat(DeploymentDiff.diff(http(1, 1), List.of(failed)))
                .containsExactlyInAnyOrder(new Terminate(failed.id(), "Failed"), new Create(1));
    }

    @Test
    void keepsSucceededAndFailedJobReplicas() {
        Desired job = new Desired(1, 2, true, false);
        assertThat(DeploymentDiff.diff(job, List.of(replica(1, Succeeded), replica(1, Failed)))).isEmpty();
    }

    @Test
    void rollingUpdateSurgesFirstAndKeepsEveryOldReplicaUntilNewOnesRun() {
        List<Observed> old = List.of(replica(1, Running), replica(1, Running), replica(1, Running), replica(1, Running));
        assertThat(DeploymentDiff.surge(4)).isEqualTo(1);
        assertThat(DeploymentDiff.diff(http(2, 4), old)).containsExactly(new Create(1));

        List<Observed> withNewStarting = new ArrayList<>(old);
        withNewStarting.add(replica(2, Starting));
        assertThat(DeploymentDiff.diff(http(2, 4), withNewStarting)).isEmpty();

        List<Observed> withNewRunning = new ArrayList<>(old);
        withNewRunning.add(replica(2, Running));
        List<Action> actions = DeploymentDiff.diff(http(2, 4), withNewRunning);
        assertThat(terminated(actions)).hasSize(1).isSubsetOf(old.stream().map(Observed::id).toList());
        assertThat(actions).doesNotHaveAnyElementsOfTypes(Create.class);
    }

    @Test
    void surgeIsAQuarterRoundedUp() {
        assertThat(DeploymentDiff.surge(0)).isEqualTo(1);
        assertThat(DeploymentDiff.surge(1)).isEqualTo(1);
        assertThat(DeploymentDiff.surge(5)).isEqualTo(2);
        assertThat(DeploymentDiff.surge(100)).isEqualTo(25);
    }

    @Test
    void oldReplicasThatAreNotAvailableGoAtOnce() {
        Observed oldPending = replica(1, Pending);
        Observed oldRunning = replica(1, Running);
        List<Action> actions = DeploymentDiff.diff(http(2, 2), List.of(oldPending, oldRunning));
        assertThat(terminated(actions)).containsExactly(oldPending.id());
        assertThat(actions).contains(new Create(1));
    }

    @Test
    void deletedDeploymentTerminatesAllThenIsForgotten() {
        Observed a = replica(1, Running);
        Observed leaving = new Observed(UUID.randomUUID(), 1, Running, true, true, T0);
        Desired deleted = new Desired(1, 3, false, true);
        assertThat(DeploymentDiff.diff(deleted, List.of(a, leaving))).containsExactly(new Terminate(a.id(), "DeploymentDeleted"));
        assertThat(DeploymentDiff.diff(deleted, List.of(leaving))).isEmpty();
        assertThat(DeploymentDiff.diff(deleted, List.of())).containsExactly(new Forget());
    }
}
