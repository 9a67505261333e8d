package dev.nanolet.platform.deployment;

import dev.nanolet.wire.Setting;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on deployments ({@code nanolet.deployments.*}).
 *
 * @param maxReplicas the most replicas one deployment may ask for (env {@code NANOLET_DEPLOYMENTS_MAX_REPLICAS});
 *     1000 by default: docs/performance.md ("Replica cap") says why, and what a larger cap costs
 */
@ConfigurationProperties("nanolet.deployments")
public record DeploymentProperties(@DefaultValue("1000") int maxReplicas) {
    /** The cap can be raised this far; beyond it one deployment's replica list is no longer one page of work. */
    public static final int CEILING = 100_000;

    public DeploymentProperties {
        Setting.of("nanolet.deployments.max-replicas", "NANOLET_DEPLOYMENTS_MAX_REPLICAS").between(1, CEILING, maxReplicas);
    }
}
