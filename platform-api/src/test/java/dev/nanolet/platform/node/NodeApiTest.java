package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.Replica;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.DeploymentSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

@PlatformApiTest
class NodeApiTest extends TestApiBase {
    @Test
    void registersThenReRegistersWithWhatTheNodeSaysNow() {
        api.bootstrapRegister(new NodeRegistration("reg-1", Map.of("zone", "a"),
                new NodeRegistration.Capacity(4, 512), "http://10.0.0.2:8181"));
        var again = api.as(api.credential("reg-1"), "POST", "/api/v1/nodes", new NodeRegistration("reg-1", Map.of("zone", "b"),
                new NodeRegistration.Capacity(8, 1024), "http://10.0.0.2:8181"));
        assertThat(again.status()).isEqualTo(200);

        NodeInfo info = api.get("/api/v1/nodes/reg-1", NodeInfo.class);
        assertThat(info.labels()).containsExactly(Map.entry("zone", "b"));
        assertThat(info.capacity()).isEqualTo(new NodeRegistration.Capacity(8, 1024));
        assertThat(info.address()).isEqualTo("http://10.0.0.2:8181");
        assertThat(info.ready()).isTrue();
        assertThat(info.allocated()).isEqualTo(new NodeRegistration.Capacity(0, 0));
        assertThat(api.get("/api/v1/nodes", new TypeReference<List<NodeInfo>>() {})).extracting(NodeInfo::name).contains("reg-1");
    }

    @Test
    void refusesABadRegistrationNamingEachField() {
        var bad = api.node("POST", "/api/v1/nodes", new NodeRegistration("Not_A_Name", Map.of(),
                new NodeRegistration.Capacity(-1, 10), "ftp://x"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("3 fields are invalid");
        assertThat(api.node("POST", "/api/v1/nodes", "{not json").status()).isEqualTo(400);
        assertThat(api.admin("GET", "/api/v1/nodes/Not_A_Name", null).status()).isEqualTo(404);
    }

    @Test
    void leaseRenewalStoresUsageAndUnknownNodesMustRegister() {
        api.register("lease-1", Map.of(), 4, 256);
        TestDeployments deployments = new TestDeployments(jdbc, json);
        deployments.bound(deployments.create("default", "hello", TestDeployments.http("/lease-hello", 1)), "lease-1", "Running");
        NodeUsage usage = new NodeUsage(List.of(new NodeUsage.DeploymentMetrics("default", "hello", 10, 1, 2.5, 9.0)));
        assertThat(api.node("PUT", "/api/v1/nodes/lease-1/lease", usage).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/nodes/lease-1", NodeInfo.class).usage()).isEqualTo(usage);
        assertThat(api.node("PUT", "/api/v1/nodes/lease-1/lease", null).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/nodes/lease-1", NodeInfo.class).usage()).isEqualTo(usage);
        assertThat(api.admin("PUT", "/api/v1/nodes/nobody/lease", null).status()).isEqualTo(404);
        assertThat(api.node("PUT", "/api/v1/nodes/nobody/lease", null).status()).as("the bootstrap token only registers").isEqualTo(403);
    }

    @Test
    void aNodeWhoseLeaseIsOlderThanTheDurationIsNotReadyUntilItRenews() {
        api.register("old-1", Map.of(), 4, 256);
        jdbc.sql("UPDATE node_leases SET renewed_at = now() - interval '16 seconds' WHERE node_name = 'old-1'").update();
        assertThat(api.get("/api/v1/nodes/old-1", NodeInfo.class).ready()).isFalse();
        api.node("PUT", "/api/v1/nodes/old-1/lease", null);
        assertThat(api.get("/api/v1/nodes/old-1", NodeInfo.class).ready()).isTrue();
    }

    @Test
    void allocationCountsBoundReplicasThatStillRun() {
        api.register("alloc-1", Map.of(), 4, 1024);
        TestDeployments deployments = new TestDeployments(jdbc, json);
        long id = deployments.create("default", "alloc", TestDeployments.withSelector(TestDeployments.http("/alloc", 3), Map.of(), 100));
        for (String phase : List.of("Running", "Scheduled", "Succeeded")) {
            jdbc.sql("INSERT INTO replicas (id, deployment_id, revision, node_name, phase, memory_mib) VALUES (gen_random_uuid(), ?, 1, 'alloc-1', ?, 100)")
                    .params(id, phase).update();
        }
        NodeInfo info = api.get("/api/v1/nodes/alloc-1", NodeInfo.class);
        assertThat(info.allocated()).isEqualTo(new NodeRegistration.Capacity(2, 200));
        assertThat(info.replicas()).isEqualTo(2);
    }

    @Test
    void listsTheReplicasOnANodeForTheAdminOnly() {
        api.register("repl-1", Map.of(), 8, 1024);
        api.register("repl-2", Map.of(), 8, 1024);
        TestDeployments deployments = new TestDeployments(jdbc, json);
        long web = deployments.create("team-b", "web", TestDeployments.http("/repl-web", 2));
        long batch = deployments.create("team-a", "batch", TestDeployments.job(DeploymentSpec.RestartPolicy.Never, 1));
        for (var row : List.of(List.of(web, "repl-1", "Running"), List.of(web, "repl-2", "Running"),
                List.of(batch, "repl-1", "Succeeded"))) {
            jdbc.sql("INSERT INTO replicas (id, deployment_id, revision, node_name, phase, memory_mib) VALUES (gen_random_uuid(), ?, 1, ?, ?, 64)")
                    .params(row.get(0), row.get(1), row.get(2)).update();
        }
        deployments.delete(web);

        List<Replica> onNode = api.get("/api/v1/nodes/repl-1/replicas", new TypeReference<List<Replica>>() {});

        assertThat(onNode).extracting(Replica::namespace, Replica::deployment, Replica::node, Replica::phase)
                .containsExactly(tuple("team-a", "batch", "repl-1", ReplicaPhase.Succeeded),
                        tuple("team-b", "web", "repl-1", ReplicaPhase.Running));
        assertThat(api.node("GET", "/api/v1/nodes/repl-1/replicas", null).status()).isEqualTo(403);
        assertThat(api.admin("GET", "/api/v1/nodes/nowhere/replicas", null).status()).isEqualTo(404);
    }
}
