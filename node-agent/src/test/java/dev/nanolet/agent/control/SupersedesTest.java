package dev.nanolet.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.ReplicaPhase;
import org.junit.jupiter.api.Test;

/** Which waiting phase reports a later one may replace without platform-api refusing the later one. */
class SupersedesTest {

    @Test
    void aStartFoldsIntoItsLatestPhaseAndAnythingIntoTerminating() {
        assertThat(Supersedes.earlier(ReplicaPhase.Pulling, ReplicaPhase.Starting)).isTrue();
        assertThat(Supersedes.earlier(ReplicaPhase.Starting, ReplicaPhase.Running)).isTrue();
        assertThat(Supersedes.earlier(ReplicaPhase.Pulling, ReplicaPhase.Running)).isTrue();
        for (ReplicaPhase p : ReplicaPhase.values()) {
            assertThat(Supersedes.earlier(p, ReplicaPhase.Terminating)).as(p.name()).isTrue();
        }
    }

    @Test
    void aPhaseIsKeptWhenTheLaterOneWouldBeRefusedFromWhatCameBeforeIt() {
        assertThat(Supersedes.earlier(ReplicaPhase.Starting, ReplicaPhase.Succeeded)).as("Pulling -> Succeeded is refused").isFalse();
        assertThat(Supersedes.earlier(ReplicaPhase.Running, ReplicaPhase.Succeeded)).as("Scheduled -> Succeeded is refused").isFalse();
        assertThat(Supersedes.earlier(ReplicaPhase.Terminating, ReplicaPhase.Running)).isFalse();
        assertThat(Supersedes.earlier(ReplicaPhase.CrashLoopBackOff, ReplicaPhase.Starting)).as("the rollout watches for it").isFalse();
    }
}
