package dev.nanolet.platform.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.Route;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

@PlatformApiTest
class RouteApiTest extends TestApiBase {
    @Test
    void listsHttpDeploymentsWithTheReadyNodesThatRunThem() {
        TestDeployments deployments = new TestDeployments(jdbc, json);
        api.register("rt-1", Map.of(), 10, 4096);
        api.register("rt-2", Map.of(), 10, 4096);
        api.register("rt-gone", Map.of(), 10, 4096);
        // A day, not a minute: after reads more than half a lease apart RouteTable still counts a node Ready whose lease
        // was live a lease before the first of them, for a lease (15 s, longer than this await) — in a full run this
        // test's context may have sat idle for a minute while other contexts' tests ran, and a minute-old lease read Ready.
        jdbc.sql("UPDATE node_leases SET renewed_at = now() - interval '1 day' WHERE node_name = 'rt-gone'").update();
        long hello = deployments.create("rt", "hello", TestDeployments.http("/hello", 3));
        long idle = deployments.create("rt", "idle", TestDeployments.http("/idle", 1));
        deployments.create("rt", "batch", TestDeployments.job(null, 1));
        bind(hello, "rt-1", "Running");
        bind(hello, "rt-1", "Running");
        bind(hello, "rt-2", "Starting");
        bind(hello, "rt-gone", "Running");
        bind(idle, "rt-2", "Scheduled");

        // (the table is kept between the notifications of the writes above, which arrive a moment after their commits)
        await().untilAsserted(() -> {
            List<Route> routes = json.readValue(api.as(api.credential("rt-1"), "GET", "/api/v1/routes", null).body(), new TypeReference<List<Route>>() {});
            assertThat(routes).filteredOn(r -> r.namespace().equals("rt")).containsExactly(
                    new Route("/hello", "rt", "hello", List.of("http://rt-1:8181")),
                    new Route("/idle", "rt", "idle", List.of()));
        });
    }

    private void bind(long deployment, String node, String phase) {
        jdbc.sql("INSERT INTO replicas (id, deployment_id, revision, node_name, phase, memory_mib) VALUES (gen_random_uuid(), ?, 1, ?, ?, 64)")
                .params(deployment, node, phase).update();
    }
}
