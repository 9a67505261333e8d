package dev.nanolet.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A refused setting is named as an operator writes it, with its variable, the bound and the value, in one form. */
class SettingTest {

    private final Setting headers = Setting.of("nanolet.http.max-headers", "NANOLET_MAX_HEADERS");

    @Test
    void aValueAtTheBoundOrAboveIsAnswered() {
        assertThat(headers.atLeast(1, 1)).isEqualTo(1);
        assertThat(headers.bytesAtLeast(1, 16_384)).isEqualTo(16_384);
        assertThat(headers.atLeast(Duration.ofMillis(1), Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aValueBelowTheBoundIsRefusedNamingTheSettingItsVariableTheBoundAndTheValue() {
        assertThatThrownBy(() -> headers.atLeast(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nanolet.http.max-headers (NANOLET_MAX_HEADERS) must be at least 1, not 0");
        assertThatThrownBy(() -> Setting.of("nanolet.volumes.max-bytes").bytesAtLeast(1, -1024))
                .hasMessage("nanolet.volumes.max-bytes must be at least 1B, not -1024B");
        assertThatThrownBy(() -> Setting.of("nanolet.platform.retry-min").atLeast(Duration.ofMillis(1), Duration.ofNanos(999_000)))
                .hasMessage("nanolet.platform.retry-min must be at least 1ms, not PT0.000999S");
    }

    /** An empty value (a variable set to nothing) binds a duration to none: refused as what the operator wrote, not as an error without message. */
    @Test
    void anEmptyDurationIsRefusedAsEmpty() {
        assertThatThrownBy(() -> Setting.of("server.netty.idle-timeout", "NANOLET_UI_IDLE_TIMEOUT").atLeast(Duration.ofMillis(1), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("server.netty.idle-timeout (NANOLET_UI_IDLE_TIMEOUT) must be at least 1ms, not empty");
    }

    @Test
    void aValueWithinARangeIsAnsweredWithBothEndsIncluded() {
        Setting replicas = Setting.of("nanolet.deployments.max-replicas");
        assertThat(replicas.between(1, 100_000, 1)).isEqualTo(1);
        assertThat(replicas.between(1, 100_000, 100_000)).isEqualTo(100_000);
        Setting lease = Setting.of("nanolet.nodes.lease-duration");
        assertThat(lease.between(Duration.ofMillis(1), Duration.ofDays(1), Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1));
        assertThat(lease.between(Duration.ofMillis(1), Duration.ofDays(1), Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aValueOutsideARangeIsRefusedNamingBothEndsOnEitherSide() {
        Setting port = Setting.of("nanolet.kubernetes.kubelet-port", "NANOLET_KUBELET_PORT");
        assertThatThrownBy(() -> port.between(1, 65535, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nanolet.kubernetes.kubelet-port (NANOLET_KUBELET_PORT) must be between 1 and 65535, not 0");
        assertThatThrownBy(() -> port.between(1, 65535, 65536))
                .hasMessage("nanolet.kubernetes.kubelet-port (NANOLET_KUBELET_PORT) must be between 1 and 65535, not 65536");
        Setting lease = Setting.of("nanolet.nodes.lease-duration", "NANOLET_LEASE_DURATION");
        assertThatThrownBy(() -> lease.between(Duration.ofMillis(1), Duration.ofDays(1), Duration.ofNanos(999_000)))
                .hasMessage("nanolet.nodes.lease-duration (NANOLET_LEASE_DURATION) must be between 1ms and 1d, not PT0.000999S");
        assertThatThrownBy(() -> lease.between(Duration.ofMillis(1), Duration.ofDays(1), Duration.ofDays(300_000)))
                .hasMessage("nanolet.nodes.lease-duration (NANOLET_LEASE_DURATION) must be between 1ms and 1d, not 300000d");
    }

    @Test
    void aSettingBoundedByAnotherNamesBoth() {
        Setting base = Setting.of("nanolet.restart.backoff.base", "NANOLET_RESTART_BACKOFF_BASE");
        assertThatThrownBy(() -> Setting.of("nanolet.restart.backoff.max", "NANOLET_RESTART_BACKOFF_MAX")
                .atLeast(base, Duration.ofSeconds(10), Duration.ofSeconds(-5)))
                .hasMessage("nanolet.restart.backoff.max (NANOLET_RESTART_BACKOFF_MAX) must be at least 10s "
                        + "(nanolet.restart.backoff.base), not -5s");
    }

    @Test
    void durationsAreWrittenAsAnOperatorWritesThem() {
        assertThat(Setting.written(Duration.ZERO)).isEqualTo("0s");
        assertThat(Setting.written(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Setting.written(Duration.ofMillis(-1500))).isEqualTo("-1500ms");
        assertThat(Setting.written(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Setting.written(Duration.ofMinutes(-5))).isEqualTo("-5m");
        assertThat(Setting.written(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(Setting.written(Duration.ofDays(300_000))).isEqualTo("300000d");
    }

    /**
     * A duration too long for milliseconds is written in ISO, either way: the most negative one an operator can write in
     * ISO ({@code PT-9223372036854775807.999S}, Long.MIN_VALUE seconds and 1 ms) overflowed {@code toMillis()}, so the
     * refusal was an ArithmeticException naming no setting.
     */
    @Test
    void aDurationBeyondMillisecondsIsRefusedByNameInIso() {
        Duration mostNegative = Duration.parse("PT-9223372036854775807.999S");
        assertThat(Setting.written(mostNegative)).isEqualTo(mostNegative.toString());
        assertThatThrownBy(() -> Setting.of("nanolet.platform.retry-min").atLeast(Duration.ofMillis(1), mostNegative))
                .hasMessage("nanolet.platform.retry-min must be at least 1ms, not " + mostNegative);
        assertThatThrownBy(() -> Setting.of("nanolet.control.interval").between(Duration.ofMillis(1), Duration.ofDays(1), mostNegative))
                .hasMessage("nanolet.control.interval must be between 1ms and 1d, not " + mostNegative);
        Duration mostPositive = Duration.ofSeconds(Long.MAX_VALUE, 999_000_000);
        assertThat(Setting.written(mostPositive)).isEqualTo(mostPositive.toString());
        assertThatThrownBy(() -> Setting.of("nanolet.control.interval").between(Duration.ofMillis(1), Duration.ofDays(1), mostPositive))
                .hasMessage("nanolet.control.interval must be between 1ms and 1d, not " + mostPositive);
    }
}
