package dev.nanolet.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.config.PlatformProperties;
import dev.nanolet.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseFenceTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final LeaseFence fence = new LeaseFence(clock, new PlatformProperties("http://p", Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(45), Duration.ofSeconds(4)));

    @Test
    void neverFencesBeforeTheFirstRenewal() {
        clock.set(clock.instant().plusSeconds(60));
        assertThat(fence.expire()).isFalse();
    }

    @Test
    void theLeaseCountsFromWhenTheRenewalWasSentAndFencesOnceWhenItRunsOut() {
        Instant sent = clock.instant();
        clock.set(clock.instant().plusSeconds(3));
        assertThat(fence.renewed(sent)).isFalse();
        clock.set(sent.plusMillis(3_999));
        assertThat(fence.expire()).isFalse();
        clock.set(sent.plusSeconds(4));
        assertThat(fence.expire()).isTrue();
        assertThat(fence.expire()).as("fences once").isFalse();
        assertThat(fence.holds()).isFalse();
    }

    @Test
    void aRenewalSentAfterTheFenceLiftsItButALateAnswerToAnOldOneDoesNot() {
        Instant old = clock.instant();
        fence.renewed(old);
        clock.set(clock.instant().plusSeconds(5));
        assertThat(fence.expire()).isTrue();
        assertThat(fence.renewed(old)).as("an old renewal answered late").isFalse();
        assertThat(fence.renewed(clock.instant())).isTrue();
        assertThat(fence.holds()).isTrue();
        assertThat(fence.renewed(clock.instant())).as("lifted once").isFalse();
    }
}
