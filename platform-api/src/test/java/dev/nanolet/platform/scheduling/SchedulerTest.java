package dev.nanolet.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ControlLoopTestBase;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestDeployments.Row;
import dev.nanolet.platform.TestDeployments;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@PlatformApiTest
@TestPropertySource(properties = {"nanolet.control.enabled=true", "nanolet.control.interval=200ms", "nanolet.nodes.lease-duration=2m"})
class SchedulerTest extends ControlLoopTestBase {

    @Test
    void spreadsAcrossMatchingNodesOnly() {
        api.register("sp-1", Map.of("pool", "sp"), 10, 4096);
        api.register("sp-2", Map.of("pool", "sp"), 10, 4096);
        api.register("sp-3", Map.of("pool", "other"), 10, 4096);
        long id = deployments.create("default", "spread", on("pool", "sp", TestDeployments.http("/spread", 4)));
        // one read per check: an empty list (before the controller ran) would pass allMatch
        List<Row> bound = await().until(() -> deployments.replicas(id),
                rows -> rows.size() == 4 && rows.stream().allMatch(r -> r.nodeName() != null));
        assertThat(bound.stream().collect(Collectors.groupingBy(Row::nodeName, Collectors.counting())))
                .containsOnly(Map.entry("sp-1", 2L), Map.entry("sp-2", 2L));
    }

    @Test
    void respectsCapacityAndLeavesTheRestUnschedulableWithOneWarning() {
        api.register("cap-1", Map.of("pool", "cap"), 3, 200);
        long id = deployments.create("default", "cap", TestDeployments.withSelector(TestDeployments.http("/cap", 3), Map.of("pool", "cap"), 100));
        await().until(() -> deployments.replicas(id).size() == 3
                && deployments.replicas(id).stream().filter(r -> "Unschedulable".equals(r.reason())).count() == 1);
        assertThat(deployments.replicas(id).stream().filter(r -> "cap-1".equals(r.nodeName()))).hasSize(3 - 1);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(this::unschedulableWarnings, n -> n == 1);

        api.register("cap-2", Map.of("pool", "cap"), 3, 200);
        await().until(() -> deployments.replicas(id).stream().allMatch(r -> r.nodeName() != null && r.reason() == null));
    }

    @Test
    void neverBindsToANotReadyNode() {
        api.register("nr-1", Map.of("pool", "nr"), 10, 4096);
        jdbc.sql("UPDATE nodes SET lease_renewed_at = now() - interval '10 minutes' WHERE name = 'nr-1'").update();
        long id = deployments.create("default", "nr", on("pool", "nr", TestDeployments.http("/nr", 1)));
        await().until(() -> deployments.replicas(id).stream().anyMatch(r -> "Unschedulable".equals(r.reason())));
        assertThat(deployments.replicas(id)).allMatch(r -> r.nodeName() == null);

        api.node("PUT", "/api/v1/nodes/nr-1/lease", null);
        await().until(() -> deployments.replicas(id).stream().anyMatch(r -> "nr-1".equals(r.nodeName())));
    }

    private int unschedulableWarnings() {
        return jdbc.sql("SELECT count(*) FROM events WHERE reason = 'Unschedulable' AND type = 'Warning' AND deployment = 'cap'").query(Integer.class).single();
    }
}
