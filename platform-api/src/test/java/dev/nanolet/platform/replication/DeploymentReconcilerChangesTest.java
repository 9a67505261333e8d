package dev.nanolet.platform.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.platform.control.Changes;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A round woken by changes reconciles only the deployments they name; the periodic round (every
 * deployment) catches what no wake-up named. The loop is off: the test runs the pass itself.
 */
@PlatformApiTest
class DeploymentReconcilerChangesTest {
    @Autowired DeploymentReconciler reconciler;
    @Autowired JdbcClient jdbc;
    @Autowired JsonMapper json;

    @Test
    void aRoundForChangedDeploymentsLeavesTheOthersToThePeriodicRound() {
        TestDeployments deployments = new TestDeployments(jdbc, json);
        long named = deployments.create("default", "named", TestDeployments.http("/named", 3));
        long other = deployments.create("default", "other", TestDeployments.http("/other", 2));

        reconciler.run(Changes.of(Set.of(named)));
        assertThat(deployments.replicas(named)).hasSize(3);
        assertThat(deployments.replicas(other)).isEmpty();

        reconciler.run(Changes.of(Set.of(named, 999_999L)));
        assertThat(deployments.replicas(named)).as("a pure diff: nothing more to do").hasSize(3);

        reconciler.run(Changes.ALL);
        assertThat(deployments.replicas(other)).hasSize(2);
    }
}
