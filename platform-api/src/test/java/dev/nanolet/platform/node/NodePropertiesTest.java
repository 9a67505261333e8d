package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The lease settings bind with their defaults, and one that no pass could use is refused at start with a clear message:
 * a lease of centuries overflowed {@code toNanos()} on every eviction pass and route read.
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

    @Test
    void aLeaseOfCenturiesOrOfNothingAndANegativeOrHugeFenceMarginAreRefusedAtStart() {
        refused("nanolet.nodes.lease-duration=300000d", "lease-duration (NANOLET_LEASE_DURATION) must be above 0 and at most 1 day");
        refused("nanolet.nodes.lease-duration=86401s", "lease-duration (NANOLET_LEASE_DURATION) must be above 0 and at most 1 day");
        refused("nanolet.nodes.lease-duration=0s", "lease-duration (NANOLET_LEASE_DURATION) must be above 0");
        refused("nanolet.nodes.job-fence-margin=-1s", "job-fence-margin (NANOLET_JOB_FENCE_MARGIN) must be at least 0");
        refused("nanolet.nodes.job-fence-margin=300000d", "job-fence-margin (NANOLET_JOB_FENCE_MARGIN) must be at least 0 and at most 1 day");
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

    private void refused(String setting, String message) {
        context.withPropertyValues(setting).run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message));
    }
}
