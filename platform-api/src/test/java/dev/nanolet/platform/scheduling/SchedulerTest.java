package dev.nanolet.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ControlPassTestBase;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestDeployments.Row;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.NodeLabels;
import dev.nanolet.wire.NodeRegistration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@PlatformApiTest
@TestPropertySource(properties = {"nanolet.control.enabled=true", "nanolet.control.interval=200ms", "nanolet.nodes.lease-duration=2m"})
class SchedulerTest extends ControlPassTestBase {

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

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).until(this::unschedulableWarnings, n -> n == 1);

        api.register("cap-2", Map.of("pool", "cap"), 3, 200);
        await().until(() -> deployments.replicas(id).stream().allMatch(r -> r.nodeName() != null && r.reason() == null));
    }

    /**
     * The attack of the security test: a deployment that selects trusted nodes by a restricted label is not
     * drawn to a node that names itself trusted (refused), only to a node the admin labelled.
     */
    @Test
    void aRestrictedLabelOnlyTheAdminSetsKeepsADeploymentOnTrustedNodes() {
        String trusted = NodeRegistration.RESTRICTED_LABEL_PREFIX + "tier";
        TestApi.Response evil = api.bootstrap("POST", "/api/v1/nodes", new NodeRegistration("rl-evil", Map.of(trusted, "trusted"),
                new NodeRegistration.Capacity(64, 4096), "http://rl-evil:8181"));
        assertThat(evil.status()).as(evil.body()).isEqualTo(403);
        api.register("rl-evil", Map.of(), 64, 4096);
        api.register("rl-good", Map.of(), 10, 4096);
        assertThat(api.admin("PUT", "/api/v1/nodes/rl-good/labels", new NodeLabels(Map.of(trusted, "trusted"))).status()).isEqualTo(200);

        long id = deployments.create("default", "trusted", on(trusted, "trusted", TestDeployments.http("/trusted", 3)));

        List<Row> bound = await().until(() -> deployments.replicas(id),
                rows -> rows.size() == 3 && rows.stream().allMatch(r -> r.nodeName() != null));
        assertThat(bound).extracting(Row::nodeName).containsOnly("rl-good");
    }

    /**
     * A node registered before the capacity bound keeps its claim on record (V23 clamps nothing), so the
     * scheduler counts at most the bound on it: a claim of 2^31-1 no longer draws what fits no honest node.
     */
    @Test
    void countsAtMostTheConfiguredCapacityOnANodeThatClaimedMoreBeforeTheBound() {
        api.register("huge-1", Map.of("pool", "huge"), 64, 4096);
        jdbc.sql("UPDATE nodes SET capacity_instances = 2147483647, capacity_memory_mib = 2147483647 WHERE name = 'huge-1'").update();

        long id = deployments.create("default", "huge", TestDeployments.withSelector(TestDeployments.http("/huge", 1), Map.of("pool", "huge"), 262144 + 1));

        List<Row> rows = await().until(() -> deployments.replicas(id), r -> r.size() == 1 && "Unschedulable".equals(r.getFirst().reason()));
        assertThat(rows.getFirst().nodeName()).isNull();
    }

    @Test
    void neverBindsToANotReadyNode() {
        api.register("nr-1", Map.of("pool", "nr"), 10, 4096);
        jdbc.sql("UPDATE node_leases SET renewed_at = now() - interval '10 minutes' WHERE node_name = 'nr-1'").update();
        long id = deployments.create("default", "nr", on("pool", "nr", TestDeployments.http("/nr", 1)));
        await().until(() -> deployments.replicas(id).stream().anyMatch(r -> "Unschedulable".equals(r.reason())));
        assertThat(deployments.replicas(id)).allMatch(r -> r.nodeName() == null);

        api.node("PUT", "/api/v1/nodes/nr-1/lease", null);
        await().until(() -> deployments.replicas(id).stream().anyMatch(r -> "nr-1".equals(r.nodeName())));
    }

    @Test
    void bindsTheWaitingReplicasOfSeveralDeploymentsInOneBatchAndStillSpreadsEach() {
        long first = deployments.create("default", "batch-a", on("pool", "batch", TestDeployments.http("/batch-a", 4)));
        long second = deployments.create("default", "batch-b", on("pool", "batch", TestDeployments.http("/batch-b", 4)));
        await().until(() -> allUnschedulable(first, 4) && allUnschedulable(second, 4));

        api.register("batch-1", Map.of("pool", "batch-later"), 10, 4096);
        api.register("batch-2", Map.of("pool", "batch-later"), 10, 4096);
        // both nodes match at once (one statement): the next pass sees all eight replicas and both nodes
        jdbc.sql("UPDATE nodes SET labels = '{\"pool\":\"batch\"}'::jsonb WHERE name IN ('batch-1', 'batch-2')").update();
        await().until(() -> bound(first) == 4 && bound(second) == 4);
        for (long id : List.of(first, second)) {
            assertThat(deployments.replicas(id).stream().collect(Collectors.groupingBy(Row::nodeName, Collectors.counting())))
                    .containsOnly(Map.entry("batch-1", 2L), Map.entry("batch-2", 2L));
        }
        // one transaction bound all eight (per-replica binding gave each its own instant)
        assertThat(jdbc.sql("SELECT count(DISTINCT scheduled_at) FROM replicas WHERE deployment_id IN (?, ?)")
                .params(first, second).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void replicasFoundUnschedulableDoNotHoldBackNewerOnesBeyondOneBatch() {
        long stuck = deployments.create("default", "stuck", on("pool", "nowhere", TestDeployments.http("/stuck", Scheduler.BATCH + 20)));
        await().atMost(Duration.ofMinutes(2)).until(() -> allUnschedulable(stuck, Scheduler.BATCH + 20));
        api.register("late-1", Map.of("pool", "late"), 10, 4096);
        long late = deployments.create("default", "late", on("pool", "late", TestDeployments.http("/late", 1)));
        await().until(() -> bound(late) == 1);
    }

    private boolean allUnschedulable(long deployment, int replicas) {
        List<Row> rows = deployments.replicas(deployment);
        return rows.size() == replicas && rows.stream().allMatch(r -> "Unschedulable".equals(r.reason()));
    }

    private long bound(long deployment) {
        return deployments.replicas(deployment).stream().filter(r -> r.nodeName() != null).count();
    }

    private int unschedulableWarnings() {
        return jdbc.sql("SELECT count(*) FROM events WHERE reason = 'Unschedulable' AND type = 'Warning' AND deployment = 'cap'").query(Integer.class).single();
    }
}
