package dev.nanolet.platform;

import dev.nanolet.platform.TestDeployments.Row;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests of the control loop share: a platform-api on its own database with the loop on,
 * the API as admin and as nodes ({@link TestApiBase#api}), deployments written straight to the tables
 * ({@link #deployments}), and the test playing the nodes through the protocol ({@link #nodesAct}).
 * A subclass is a {@link PlatformApiTest} with {@code nanolet.control.enabled=true} and its own
 * lease and interval settings.
 */
public abstract class ControlPassTestBase extends TestApiBase {
    protected TestDeployments deployments;

    @BeforeEach
    void openDeployments() {
        deployments = new TestDeployments(jdbc, json);
    }

    /** {@code spec} for the nodes labelled {@code label=value} only, 64 MiB a replica. */
    protected static DeploymentSpec on(String label, String value, DeploymentSpec spec) {
        return TestDeployments.withSelector(spec, Map.of(label, value), 64);
    }

    /**
     * Plays the nodes once for a deployment: each Scheduled replica reports Running, each
     * terminating one confirms with Terminating.
     *
     * @param node only the replicas bound to this node; null for every node
     */
    protected void nodesAct(String node, long deployment) {
        for (Row r : deployments.replicas(deployment)) {
            if (node != null && !node.equals(r.nodeName())) {
                continue;
            }
            if (r.terminating()) {
                api.report(r.nodeName(), r.id(), ReplicaPhase.Terminating);
            } else if (r.phase() == ReplicaPhase.Scheduled) {
                api.report(r.nodeName(), r.id(), ReplicaPhase.Running);
            }
        }
    }
}
