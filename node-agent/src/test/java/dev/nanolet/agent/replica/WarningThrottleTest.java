package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Identical warnings of one replica: one per ten seconds, the next one with a count. */
class WarningThrottleTest {

    private Instant now = Instant.parse("2026-11-27T13:00:00Z");
    private final WarningThrottle throttle = new WarningThrottle(new Clock() {
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    });
    private final UUID replica = UUID.randomUUID();

    @Test
    void holdsBackRepeatsWithinTheWindowAndCountsThemInTheNextOne() {
        assertThat(throttle.admit(replica, "Trap", "GET /t: unreachable")).contains("GET /t: unreachable");
        now = now.plusSeconds(3);
        assertThat(throttle.admit(replica, "Trap", "GET /t: unreachable")).isEmpty();
        assertThat(throttle.admit(replica, "Trap", "GET /t: unreachable")).isEmpty();
        now = now.plus(Duration.ofSeconds(7));
        assertThat(throttle.admit(replica, "Trap", "GET /t: unreachable"))
                .contains("GET /t: unreachable (3 times since the last report)");
        now = now.plusSeconds(11);
        assertThat(throttle.admit(replica, "Trap", "GET /t: unreachable")).contains("GET /t: unreachable");
    }

    @Test
    void otherMessagesReasonsAndReplicasAreNotHeldBack() {
        assertThat(throttle.admit(replica, "Trap", "GET /a: unreachable")).isPresent();
        assertThat(throttle.admit(replica, "Trap", "GET /b: unreachable")).isPresent();
        assertThat(throttle.admit(replica, "MemoryLimit", "GET /a: unreachable")).isPresent();
        assertThat(throttle.admit(UUID.randomUUID(), "Trap", "GET /a: unreachable")).isPresent();
    }

    @Test
    void aForgottenReplicaStartsAfresh() {
        throttle.admit(replica, "Trap", "x");
        throttle.forget(replica);
        assertThat(throttle.admit(replica, "Trap", "x")).isEqualTo(Optional.of("x"));
    }

    @Test
    void remembersABoundedNumberOfDistinctWarnings() {
        for (int i = 0; i < WarningThrottle.MAX_KEYS; i++) {
            assertThat(throttle.admit(replica, "Trap" + i, "GET /" + i)).isPresent();
        }
        assertThat(throttle.admit(replica, "Trap", "GET /one-too-many")).isEmpty();
        now = now.plusSeconds(10);
        assertThat(throttle.admit(replica, "Trap", "GET /one-too-many")).isPresent();
    }

    @Test
    void aTrapPerDistinctPathIsCombinedAfterTenSimilarOnes() {
        for (int i = 0; i < WarningThrottle.MAX_SIMILAR; i++) {
            assertThat(throttle.admit(replica, "Trap", "GET /path/" + i + ": unreachable")).isPresent();
        }
        assertThat(throttle.admit(replica, "Trap", "GET /path/10: unreachable"))
                .contains("(combined from 1 similar events) GET /path/10: unreachable");
        now = now.plusSeconds(1);
        for (int i = 11; i < 100; i++) {
            assertThat(throttle.admit(replica, "Trap", "GET /path/" + i + ": unreachable")).isEmpty();
        }
        assertThat(throttle.admit(replica, "MemoryLimit", "GET /path/11")).as("another reason").isPresent();
        now = now.plusSeconds(10);
        assertThat(throttle.admit(replica, "Trap", "GET /path/100: unreachable"))
                .contains("(combined from 90 similar events) GET /path/100: unreachable");
        now = now.plus(WarningThrottle.SIMILAR_WINDOW);
        assertThat(throttle.admit(replica, "Trap", "GET /path/101: unreachable")).contains("GET /path/101: unreachable");
    }
}
