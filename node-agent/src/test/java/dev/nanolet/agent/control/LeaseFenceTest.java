package dev.nanolet.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.config.PlatformProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LeaseFenceTest {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    final LeaseFence fence = new LeaseFence(clock, new PlatformProperties("http://p", Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(45), Duration.ofSeconds(4)));

    @Test
    void neverFencesBeforeTheFirstRenewal() {
        now = now.plusSeconds(60);
        assertThat(fence.expire()).isFalse();
    }

    @Test
    void theLeaseCountsFromWhenTheRenewalWasSentAndFencesOnceWhenItRunsOut() {
        Instant sent = now;
        now = now.plusSeconds(3);
        assertThat(fence.renewed(sent)).isFalse();
        now = sent.plusMillis(3_999);
        assertThat(fence.expire()).isFalse();
        now = sent.plusSeconds(4);
        assertThat(fence.expire()).isTrue();
        assertThat(fence.expire()).as("fences once").isFalse();
        assertThat(fence.holds()).isFalse();
    }

    @Test
    void aRenewalSentAfterTheFenceLiftsItButALateAnswerToAnOldOneDoesNot() {
        Instant old = now;
        fence.renewed(old);
        now = now.plusSeconds(5);
        assertThat(fence.expire()).isTrue();
        assertThat(fence.renewed(old)).as("an old renewal answered late").isFalse();
        assertThat(fence.renewed(now)).isTrue();
        assertThat(fence.holds()).isTrue();
        assertThat(fence.renewed(now)).as("lifted once").isFalse();
    }
}
