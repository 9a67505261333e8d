package dev.nanolet.platform.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What one round of the control loop is given, from the {@code nanolet_control} payloads since the last. */
class WakeupsTest {
    private final Wakeups wakeups = new Wakeups();

    @Test
    void payloadsNamingDeploymentsCoalesceIntoOneSetAndTheNextRoundStartsEmpty() throws InterruptedException {
        wakeups.accept("deployment:7");
        wakeups.accept("deployment:7");
        wakeups.accept("deployment:9");

        assertThat(wakeups.await(0)).isTrue();
        assertThat(wakeups.take(false)).isEqualTo(Changes.of(Set.of(7L, 9L)));
        assertThat(wakeups.await(0)).isFalse();
        assertThat(wakeups.take(false)).isEqualTo(Changes.of(Set.of()));
    }

    @Test
    void aNewNodeWakesTheLoopWithoutNamingADeployment() throws InterruptedException {
        wakeups.accept("nodes");

        assertThat(wakeups.await(0)).isTrue();
        assertThat(wakeups.take(false)).isEqualTo(Changes.of(Set.of()));
    }

    @Test
    void aReconnectOrAPayloadThisVersionDoesNotKnowAsksForEverything() {
        wakeups.accept(null);
        assertThat(wakeups.take(false)).isEqualTo(Changes.ALL);

        wakeups.accept("replicas");
        assertThat(wakeups.take(false)).isEqualTo(Changes.ALL);

        wakeups.accept("deployment:not-a-number");
        assertThat(wakeups.take(false)).isEqualTo(Changes.ALL);
    }

    @Test
    void thePeriodicRoundTakesEverythingAndForgetsWhatWasNamed() {
        wakeups.accept("deployment:3");

        assertThat(wakeups.take(true)).isEqualTo(Changes.ALL);
        assertThat(wakeups.take(false)).isEqualTo(Changes.of(Set.of()));
    }

    @Test
    void aFailedRoundMakesTheNextOneFullWithoutWakingTheLoopEarly() throws InterruptedException {
        wakeups.retryAll();

        assertThat(wakeups.await(0)).as("no early wake-up: a failing database is not retried in a spin").isFalse();
        assertThat(wakeups.take(false)).isEqualTo(Changes.ALL);
    }
}
