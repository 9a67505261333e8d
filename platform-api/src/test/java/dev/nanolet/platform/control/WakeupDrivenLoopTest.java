package dev.nanolet.platform.control;

import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ControlPassTestBase;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestDeployments.Row;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.ReplicaPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * With the periodic round an hour away, the wake-ups alone (V18's {@code deployment:<id>} payloads)
 * carry a deployment through its life: created and bound, a Failed replica replaced, scaled down
 * through the handshake.
 */
@PlatformApiTest
@TestPropertySource(properties = {"nanolet.control.enabled=true", "nanolet.control.interval=1h",
        "nanolet.nodes.lease-duration=2m"})
class WakeupDrivenLoopTest extends ControlPassTestBase {
    private static final Duration QUICK = Duration.ofSeconds(30);

    @Test
    void everyStepOfADeploymentHappensWithoutThePeriodicRound() {
        api.register("wd-1", Map.of("pool", "wd"), 10, 4096);
        long id = deployments.create("default", "wd", on("pool", "wd", TestDeployments.http("/wd", 2)));
        await().atMost(QUICK).until(() -> bound(id) == 2);

        List<Row> rows = deployments.replicas(id);
        api.report("wd-1", rows.get(0).id(), ReplicaPhase.Running);
        api.report("wd-1", rows.get(1).id(), ReplicaPhase.Failed);
        await().atMost(QUICK).until(() -> bound(id) == 2 && deployments.replicas(id).stream().noneMatch(r -> r.id().equals(rows.get(1).id())));

        deployments.scale(id, 1);
        await().atMost(QUICK).until(() -> deployments.replicas(id).stream().filter(Row::terminating).count() == 1);
        nodesAct(null, id);
        await().atMost(QUICK).until(() -> deployments.replicas(id).size() == 1);
    }

    private long bound(long id) {
        return deployments.replicas(id).stream().filter(r -> r.nodeName() != null && !r.terminating()).count();
    }
}
