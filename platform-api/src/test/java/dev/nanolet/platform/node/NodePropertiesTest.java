package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The node protocol's settings bind with their defaults, and one that no pass or node could use is refused at start, naming
 * it: a lease of centuries overflowed {@code toNanos()} on every eviction pass and route read, a heartbeat of nothing wrote
 * back to back, and no watch per node left every node without assignments.
 */
class NodePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(NodeProperties.class)
    static class PropertiesOnly {}

    final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class);

    @Test
    void theLeaseDefaultsToFifteenSecondsAndADayIsTaken() {
        context.run(ctx -> assertThat(ctx.getBean(NodeProperties.class).leaseDuration()).isEqualTo(Duration.ofSeconds(15)));
        context.withPropertyValues("nanolet.nodes.lease-duration=1d", "nanolet.nodes.job-fence-margin=0s")
                .run(ctx -> assertThat(ctx.getBean(NodeProperties.class).leaseDuration()).isEqualTo(Duration.ofDays(1)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        nanolet.nodes.lease-duration         | 300000d | nanolet.nodes.lease-duration (NANOLET_LEASE_DURATION) must be between 1ms and 1d, not 300000d
        nanolet.nodes.lease-duration         | 86401s  | nanolet.nodes.lease-duration (NANOLET_LEASE_DURATION) must be between 1ms and 1d, not 86401s
        nanolet.nodes.lease-duration         | 0s      | nanolet.nodes.lease-duration (NANOLET_LEASE_DURATION) must be between 1ms and 1d, not 0s
        nanolet.nodes.job-fence-margin       | -1s     | nanolet.nodes.job-fence-margin (NANOLET_JOB_FENCE_MARGIN) must be between 0s and 1d, not -1s
        nanolet.nodes.job-fence-margin       | 300000d | nanolet.nodes.job-fence-margin (NANOLET_JOB_FENCE_MARGIN) must be between 0s and 1d, not 300000d
        nanolet.nodes.watch-heartbeat        | 0s      | nanolet.nodes.watch-heartbeat must be at least 1ms, not 0s
        nanolet.nodes.max-watches-per-node   | 0       | nanolet.nodes.max-watches-per-node (NANOLET_NODES_MAX_WATCHES_PER_NODE) must be at least 1, not 0
        """)
    void aValueNoPassOrNodeCouldUseIsRefusedAtStartNamingItsSetting(String setting, String value, String message) {
        context.withPropertyValues(setting + "=" + value).run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message));
    }

    /**
     * {@code NANOLET_LEASE_DURATION=} (set but empty) reaches the binder through application.yaml's placeholder as an
     * empty value, and Spring Boot binds that as the {@code @DefaultValue}, not as null: the check never sees a null, and
     * platform-api starts with the documented defaults, as with the variable unset.
     */
    @Test
    void anEmptySettingTakesTheDefault() {
        context.withPropertyValues("NANOLET_LEASE_DURATION=", "NANOLET_JOB_FENCE_MARGIN=",
                        "nanolet.nodes.lease-duration=${NANOLET_LEASE_DURATION:15s}",
                        "nanolet.nodes.job-fence-margin=${NANOLET_JOB_FENCE_MARGIN:5s}")
                .run(ctx -> assertThat(ctx.getBean(NodeProperties.class)).satisfies(nodes -> {
                    assertThat(nodes.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
                    assertThat(nodes.jobFenceMargin()).isEqualTo(Duration.ofSeconds(5));
                }));
    }
}
