package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.nanolet.platform.DatabaseUnansweredException;
import dev.nanolet.testsupport.MutableClock;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentStatus;
import dev.nanolet.wire.DeploymentStatus.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Each kind of a wait's reads has its own bound: the status answered every second kept a credential check that the
 * database never answered from ending the wait, so a revoked token's wait could ride out the hour; and the other way
 * round, a status never read again while the check was answered. Timed by a clock that each poll moves on by a second.
 */
class RolloutWaiterPatienceTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final DeploymentQueries queries = mock(DeploymentQueries.class);
    final RolloutSignals signals = mock(RolloutSignals.class);
    final RolloutWaiter waiter = new RolloutWaiter(queries, signals, clock);

    RolloutWaiterPatienceTest() {
        when(signals.register()).thenReturn(new Semaphore(0) {
            @Override
            public boolean tryAcquire(long timeout, TimeUnit unit) {
                clock.advance(Duration.ofMillis(unit.toMillis(timeout)));
                return false;
            }
        });
    }

    @Test
    void aCredentialCheckNeverAnsweredEndsTheWaitWhileTheStatusIsRead() {
        when(queries.get("ci", "w")).thenReturn(progressing());

        assertThatThrownBy(() -> waiter.await("ci", "w", 2, Duration.ofHours(1), unanswered(), RolloutWaiter.Asked.WRITE))
                .isInstanceOf(DatabaseUnansweredException.class)
                .hasMessage("the wait for deployment ci/w (revision 1) ended: the platform's database has not answered its reads"
                        + " for 10 s; what the request wrote stays written; read the deployment again shortly");
        assertThat(Duration.between(START, clock.instant())).isLessThanOrEqualTo(RolloutWaiter.UNANSWERED_FOR.plusSeconds(1));
    }

    @Test
    void aStatusNeverReadAgainEndsTheWaitWhileTheCredentialIsChecked() {
        when(queries.get("ci", "w")).thenReturn(progressing()).thenThrow(new CannotGetJdbcConnectionException("no connection"));

        assertThatThrownBy(() -> waiter.await("ci", "w", 2, Duration.ofHours(1), () -> true, RolloutWaiter.Asked.READ))
                .isInstanceOf(DatabaseUnansweredException.class)
                .hasMessageEndingWith("; it was a read and changed nothing; read the deployment again shortly");
        assertThat(Duration.between(START, clock.instant())).isLessThanOrEqualTo(RolloutWaiter.UNANSWERED_FOR.plusSeconds(1));
    }

    private static BooleanSupplier unanswered() {
        return () -> {
            throw new CannotGetJdbcConnectionException("no pooled connection within its wait");
        };
    }

    /** Revision 1, still rolling out generation 1 of the 2 waited for. */
    private static Deployment progressing() {
        return new Deployment("ci", "w", 2, 1, null, new DeploymentStatus(1, 1, 0, 0, 1,
                List.of(new Condition("Progressing", "True", "ReplicaSetUpdated", "rolling out"))), START, START);
    }
}
