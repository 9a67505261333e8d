package dev.nanolet.platform.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.EventReport;
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

/**
 * The node's side of a replica's lifecycle, with the control loop off: rows are bound by hand. Reports
 * one by one ({@code PUT …/status}) and many in one call ({@code POST …/status-reports}).
 */
@PlatformApiTest
class ReplicaStatusApiTest extends TestApiBase {
    long deployment;

    @BeforeEach
    void setUp() {
        api.register("st-1", Map.of(), 10, 4096);
        api.register("st-2", Map.of(), 10, 4096);
        deployment = new TestDeployments(jdbc, json).create("default", "st-" + UUID.randomUUID().toString().substring(0, 8),
                TestDeployments.job(null, 1));
    }

    private UUID boundTo(String node) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO replicas (id, deployment_id, revision, node_name, phase, memory_mib) VALUES (?, ?, 1, ?, 'Scheduled', 64)")
                .params(id, deployment, node).update();
        return id;
    }

    private String phase(UUID id) {
        return jdbc.sql("SELECT phase FROM replicas WHERE id = ?").param(id).query(String.class).single();
    }

    @Test
    void legalTransitionsAreRecordedWithReasonAndRestarts() {
        UUID id = boundTo("st-1");
        for (ReplicaPhase p : new ReplicaPhase[] {ReplicaPhase.Pulling, ReplicaPhase.Starting, ReplicaPhase.Running, ReplicaPhase.CrashLoopBackOff}) {
            assertThat(api.node("PUT", "/api/v1/nodes/st-1/replicas/" + id + "/status",
                    new ReplicaStatusReport(p, p == ReplicaPhase.CrashLoopBackOff ? "BackOff" : null, "msg", 2)).status()).isEqualTo(204);
        }
        var row = jdbc.sql("SELECT phase, reason, restarts FROM replicas WHERE id = ?").param(id).query().singleRow();
        assertThat(row).containsEntry("phase", "CrashLoopBackOff").containsEntry("reason", "BackOff").containsEntry("restarts", 2);
    }

    @Test
    void anIllegalTransitionIs409AndChangesNothing() {
        UUID id = boundTo("st-1");
        assertThat(api.report("st-1", id, ReplicaPhase.Succeeded).status()).isEqualTo(409);
        assertThat(api.report("st-1", id, ReplicaPhase.Running).status()).isEqualTo(204);
        assertThat(api.report("st-1", id, ReplicaPhase.Succeeded).status()).isEqualTo(204);
        assertThat(api.report("st-1", id, ReplicaPhase.Running).status()).isEqualTo(409);
        assertThat(phase(id)).isEqualTo("Succeeded");
    }

    @Test
    void aReplicaOfAnotherNodeIs409AndAnUnknownOne404() {
        UUID id = boundTo("st-1");
        assertThat(api.report("st-2", id, ReplicaPhase.Running).status()).isEqualTo(409);
        assertThat(api.report("st-1", UUID.randomUUID(), ReplicaPhase.Running).status()).isEqualTo(404);
        assertThat(api.admin("PUT", "/api/v1/nodes/nobody/replicas/" + UUID.randomUUID() + "/status",
                new dev.nanolet.wire.ReplicaStatusReport(ReplicaPhase.Running, null, null, null)).status()).isEqualTo(404);
        assertThat(api.node("PUT", "/api/v1/nodes/st-1/replicas/" + id + "/status", "{}").status()).isEqualTo(422);
        assertThat(phase(id)).isEqualTo("Scheduled");
    }

    @Test
    void terminatingCompletesTheHandshakeTheRowGoesAndTheNodeIsToldDeleted() {
        UUID id = boundTo("st-1");
        assertThat(api.report("st-1", id, ReplicaPhase.Terminating).status()).isEqualTo(204);
        assertThat(jdbc.sql("SELECT count(*) FROM replicas WHERE id = ?").param(id).query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT kind FROM assignment_changes WHERE replica_id = ? ORDER BY resource_version").param(id)
                .query(String.class).list()).containsExactly("deleted");
    }

    @Test
    void eventsAreRecordedAgainstTheReplicaAndItsDeployment() {
        UUID id = boundTo("st-1");
        assertThat(api.node("POST", "/api/v1/nodes/st-1/replicas/" + id + "/events",
                new EventReport("Warning", "Trap", "unreachable executed")).status()).isEqualTo(202);
        assertThat(api.node("POST", "/api/v1/nodes/st-1/replicas/" + id + "/events",
                new EventReport("Odd", "Trap", "x")).status()).isEqualTo(422);
        var event = jdbc.sql("SELECT type, reason, object, node_name FROM events WHERE reason = 'Trap' AND object = ?")
                .param("replica/" + id).query().singleRow();
        assertThat(event).containsEntry("type", "Warning").containsEntry("object", "replica/" + id).containsEntry("node_name", "st-1");
    }

    private static final String BATCH = "/api/v1/nodes/st-1/status-reports";

    private String phaseOrGone(UUID id) {
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
        UUID a = boundTo("st-1");
        UUID b = boundTo("st-1");
        UUID other = boundTo("st-2");
        UUID unknown = UUID.randomUUID();
        UUID stopping = boundTo("st-1");
        List<Item> items = List.of(item(a, ReplicaPhase.Pulling), item(a, ReplicaPhase.Starting), item(a, ReplicaPhase.Running),
                item(b, ReplicaPhase.Succeeded), item(other, ReplicaPhase.Running), item(unknown, ReplicaPhase.Running),
                new Item(b, new ReplicaStatusReport(null, null, null, null)), item(b, ReplicaPhase.Running),
                item(stopping, ReplicaPhase.Terminating));
        assertThat(statuses(api.node("POST", BATCH, new ReplicaStatusBatch(items))))
                .containsExactly(204, 204, 204, 409, 409, 404, 422, 204, 204);
        assertThat(phase(a)).isEqualTo("Running");
        assertThat(phase(b)).isEqualTo("Running");
        assertThat(phase(other)).isEqualTo("Scheduled");
        assertThat(phaseOrGone(stopping)).isEqualTo("gone");
        assertThat(jdbc.sql("SELECT kind FROM assignment_changes WHERE replica_id = ?").param(stopping).query(String.class).list())
                .containsExactly("deleted");
    }

    @Test
    void onlyTheNodeItselfMaySendItsBatch() {
        UUID a = boundTo("st-1");
        var batch = new ReplicaStatusBatch(List.of(item(a, ReplicaPhase.Running)));
        assertThat(api.as(api.credential("st-2"), "POST", BATCH, batch).status()).isEqualTo(403);
        assertThat(api.bootstrap("POST", BATCH, batch).status()).isEqualTo(403);
        assertThat(api.as("nope", "POST", BATCH, batch).status()).isEqualTo(401);
        assertThat(phase(a)).isEqualTo("Scheduled");
    }

    @Test
    void aBatchIsBoundedAndMalformedEntriesAreTheirOwnFailures() {
        UUID a = boundTo("st-1");
        List<Item> tooMany = new ArrayList<>();
        for (int i = 0; i <= ReplicaStatusBatch.MAX_REPORTS; i++) {
            tooMany.add(item(a, ReplicaPhase.Running));
        }
        TestApi.Response r = api.node("POST", BATCH, new ReplicaStatusBatch(tooMany));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).contains("reports").doesNotContain("Exception");
        assertThat(phase(a)).isEqualTo("Scheduled");
        assertThat(statuses(api.node("POST", BATCH, new ReplicaStatusBatch(List.of(new Item(null, null),
                new Item(a, null), item(a, ReplicaPhase.Running)))))).containsExactly(422, 422, 204);
        assertThat(api.node("POST", BATCH, "{\"reports\": [null]}").status()).isEqualTo(400);
        assertThat(api.node("POST", BATCH, "{\"reports\": 5}").status()).isEqualTo(400);
        assertThat(api.node("POST", BATCH, "{\"reports\": [{\"replicaId\": \"nope\"}]}").status()).isEqualTo(400);
        assertThat(statuses(api.node("POST", BATCH, "{}"))).isEmpty();
    }

    @Test
    void aReplicasLaterReportsInOneBatchSeeItsEarlierOnesAndTheLastPhaseReasonAndRestartsWin() {
        UUID a = boundTo("st-1");
        UUID b = boundTo("st-1");
        List<Item> items = List.of(
                new Item(a, new ReplicaStatusReport(ReplicaPhase.Pulling, "Fetching", "module", 2)),
                new Item(a, new ReplicaStatusReport(ReplicaPhase.Starting, null, null, null)),
                new Item(a, new ReplicaStatusReport(ReplicaPhase.Pulling, null, null, null)),
                new Item(a, new ReplicaStatusReport(ReplicaPhase.Running, "Ready", null, null)),
                item(b, ReplicaPhase.Pulling), item(b, ReplicaPhase.Terminating), item(b, ReplicaPhase.Running));
        assertThat(statuses(api.node("POST", BATCH, new ReplicaStatusBatch(items))))
                .containsExactly(204, 204, 409, 204, 204, 204, 404);
        var row = jdbc.sql("SELECT phase, reason, message, restarts FROM replicas WHERE id = ?").param(a).query().singleRow();
        assertThat(row).containsEntry("phase", "Running").containsEntry("reason", "Ready").containsEntry("message", null)
                .containsEntry("restarts", 2);
        assertThat(phaseOrGone(b)).isEqualTo("gone");
        assertThat(jdbc.sql("SELECT kind FROM assignment_changes WHERE replica_id = ?").param(b).query(String.class).list())
                .containsExactly("deleted");
    }
}
