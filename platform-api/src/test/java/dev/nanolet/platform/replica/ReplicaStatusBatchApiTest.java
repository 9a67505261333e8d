package dev.nanolet.platform.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusBatch;
import dev.nanolet.wire.ReplicaStatusBatch.Item;
import dev.nanolet.wire.ReplicaStatusReport;
import dev.nanolet.wire.ReplicaStatusResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /api/v1/nodes/{node}/status-reports}: many reports, one call, one result each. */
@PlatformApiTest
class ReplicaStatusBatchApiTest {
    private static final String PATH = "/api/v1/nodes/sb-1/status-reports";
    @LocalServerPort int port;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    TestApi api;
    long deployment;

    @BeforeEach
    void setUp() {
        api = new TestApi(port, json);
        api.register("sb-1", Map.of(), 10, 4096);
        api.register("sb-2", Map.of(), 10, 4096);
        deployment = new TestDeployments(jdbc, json).create("default", "sb-" + UUID.randomUUID().toString().substring(0, 8),
                TestDeployments.job(null, 1));
    }

    private UUID boundTo(String node) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO replicas (id, deployment_id, revision, node_name, phase, memory_mib) VALUES (?, ?, 1, ?, 'Scheduled', 64)")
                .params(id, deployment, node).update();
        return id;
    }

    private String phase(UUID id) {
        return jdbc.sql("SELECT phase FROM replicas WHERE id = ?").param(id).query(String.class).optional().orElse("gone");
    }

    private static Item item(UUID id, ReplicaPhase phase) {
        return new Item(id, new ReplicaStatusReport(phase, null, null, null));
    }

    private List<Integer> statuses(TestApi.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return json.readValue(r.body(), ReplicaStatusResults.class).results().stream().map(ReplicaStatusResults.Result::status).toList();
    }

    @Test
    void reportsApplyInOrderAndEachRefusedOneChangesNothingElse() {
        UUID a = boundTo("sb-1");
        UUID b = boundTo("sb-1");
        UUID other = boundTo("sb-2");
        UUID unknown = UUID.randomUUID();
        UUID stopping = boundTo("sb-1");
        List<Item> items = List.of(item(a, ReplicaPhase.Pulling), item(a, ReplicaPhase.Starting), item(a, ReplicaPhase.Running),
                item(b, ReplicaPhase.Succeeded), item(other, ReplicaPhase.Running), item(unknown, ReplicaPhase.Running),
                new Item(b, new ReplicaStatusReport(null, null, null, null)), item(b, ReplicaPhase.Running),
                item(stopping, ReplicaPhase.Terminating));
        assertThat(statuses(api.node("POST", PATH, new ReplicaStatusBatch(items))))
                .containsExactly(204, 204, 204, 409, 409, 404, 422, 204, 204);
        assertThat(phase(a)).isEqualTo("Running");
        assertThat(phase(b)).isEqualTo("Running");
        assertThat(phase(other)).isEqualTo("Scheduled");
        assertThat(phase(stopping)).isEqualTo("gone");
        assertThat(jdbc.sql("SELECT kind FROM assignment_changes WHERE replica_id = ?").param(stopping).query(String.class).list())
                .containsExactly("deleted");
    }

    @Test
    void onlyTheNodeItselfMaySendItsBatch() {
        UUID a = boundTo("sb-1");
        var batch = new ReplicaStatusBatch(List.of(item(a, ReplicaPhase.Running)));
        assertThat(api.as(api.credential("sb-2"), "POST", PATH, batch).status()).isEqualTo(403);
        assertThat(api.bootstrap("POST", PATH, batch).status()).isEqualTo(403);
        assertThat(api.as("nope", "POST", PATH, batch).status()).isEqualTo(401);
        assertThat(phase(a)).isEqualTo("Scheduled");
    }

    @Test
    void aBatchIsBoundedAndMalformedEntriesAreTheirOwnFailures() {
        UUID a = boundTo("sb-1");
        List<Item> tooMany = new ArrayList<>();
        for (int i = 0; i <= ReplicaStatusBatch.MAX_REPORTS; i++) {
            tooMany.add(item(a, ReplicaPhase.Running));
        }
        TestApi.Response r = api.node("POST", PATH, new ReplicaStatusBatch(tooMany));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).contains("reports").doesNotContain("Exception");
        assertThat(phase(a)).isEqualTo("Scheduled");
        assertThat(statuses(api.node("POST", PATH, new ReplicaStatusBatch(List.of(new Item(null, null),
                new Item(a, null), item(a, ReplicaPhase.Running)))))).containsExactly(422, 422, 204);
        assertThat(api.node("POST", PATH, "{\"reports\": [null]}").status()).isEqualTo(400);
        assertThat(api.node("POST", PATH, "{\"reports\": 5}").status()).isEqualTo(400);
        assertThat(api.node("POST", PATH, "{\"reports\": [{\"replicaId\": \"nope\"}]}").status()).isEqualTo(400);
        assertThat(statuses(api.node("POST", PATH, "{}"))).isEmpty();
    }
}
