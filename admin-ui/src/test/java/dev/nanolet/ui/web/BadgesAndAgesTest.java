package dev.nanolet.ui.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentStatus;
import dev.nanolet.wire.DeploymentStatus.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BadgesAndAgesTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private final Badges badges = new Badges();
    private final Ages ages = new Ages(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void healthComesFromTheComputedConditions() {
        assertThat(badges.of(deployment(2, 2, cond("Available", "True"), cond("Progressing", "False")))).isEqualTo(Badges.Health.Available);
        assertThat(badges.of(deployment(2, 1, cond("Available", "False"), cond("Progressing", "True")))).isEqualTo(Badges.Health.Progressing);
        assertThat(badges.of(deployment(2, 0, cond("Available", "False"), cond("Progressing", "False")))).isEqualTo(Badges.Health.Failing);
        assertThat(badges.of(deployment(0, 0))).isEqualTo(Badges.Health.Available);
        assertThat(badges.of(new Deployment("ns", "d", 1, 1, null, null, NOW, NOW))).isEqualTo(Badges.Health.Progressing);
    }

    @Test
    void agesAreShortAndNeverNegative() {
        assertThat(ages.since(NOW.minusSeconds(5))).isEqualTo("5s");
        assertThat(ages.since(NOW.minus(Duration.ofMinutes(7)))).isEqualTo("7m");
        assertThat(ages.since(NOW.minus(Duration.ofHours(5)))).isEqualTo("5h");
        assertThat(ages.since(NOW.minus(Duration.ofDays(3)))).isEqualTo("3d");
        assertThat(ages.since(NOW.plusSeconds(3))).isEqualTo("0s");
        assertThat(ages.since(null)).isEqualTo("–");
        assertThat(ages.shortDigest("sha256:93a44bbb96c751218e4c00d479e4c14358122a389acca16205b1e4d0dc5f9476")).isEqualTo("93a44bbb96c7");
    }

    private static Condition cond(String type, String status) {
        return new Condition(type, status, null, null);
    }

    private static Deployment deployment(int desired, int available, Condition... conditions) {
        var spec = new DeploymentSpec("sha256:x", new DeploymentSpec.HttpSpec("/"), null, desired, null, null, null, null);
        return new Deployment("ns", "d", 1, 1, spec, new DeploymentStatus(desired, desired, available, available, 1, List.of(conditions)), NOW, NOW);
    }
}
