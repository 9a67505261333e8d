package dev.nanolet.platform.deployment;

import static dev.nanolet.platform.ApiClient.wasm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.PlatformApiTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Replicas as the API lists them and the status computed from them. The rows are written here
 * directly, standing in for the controllers and node agents that write them in production.
 */
@PlatformApiTest
class DeploymentReplicasTest {
    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    ApiClient api;
    String path;
    long id;

    @BeforeEach
    void deploy() {
        api = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        String module = api.send(HttpMethod.POST, "/api/v1/modules", MediaType.parseMediaType("application/wasm"),
                wasm("hello.wasm"), Map.of()).json().path("digest").asString();
        String name = "r-" + UUID.randomUUID().toString().substring(0, 8);
        path = "/api/v1/namespaces/default/deployments/" + name;
        api.json(HttpMethod.PUT, path, "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + name + "\"},\"replicas\":3}");
        id = jdbc.queryForObject("SELECT id FROM deployments WHERE name = ? AND deleted_at IS NULL", Long.class, name);
        jdbc.update("INSERT INTO nodes (name, capacity_instances, capacity_memory_mib, address) VALUES ('n1', 10, 1024, 'http://n1:8181') ON CONFLICT DO NOTHING");
    }

    UUID replica(String phase, String node, String reason) {
        UUID replica = UUID.randomUUID();
        jdbc.update("INSERT INTO replicas (id, deployment_id, revision, node_name, phase, reason, restarts, memory_mib) "
                + "VALUES (?, ?, 1, ?, ?, ?, 2, 64)", replica, id, node, phase, reason);
        return replica;
    }

    @Test
    void listsReplicasWithPhaseReasonAndNode() {
        UUID running = replica("Running", "n1", null);
        UUID pending = replica("Pending", null, "Unschedulable");

        JsonNode replicas = api.get(path + "/replicas").json();

        assertThat(replicas.valueStream().map(r -> r.path("id").asString()))
                .containsExactlyInAnyOrder(running.toString(), pending.toString());
        JsonNode first = replicas.valueStream().filter(r -> r.path("id").asString().equals(running.toString()))
                .findFirst().orElseThrow();
        assertThat(first.path("node").asString()).isEqualTo("n1");
        assertThat(first.path("phase").asString()).isEqualTo("Running");
        assertThat(first.path("revision").asInt()).isEqualTo(1);
        assertThat(first.path("restarts").asInt()).isEqualTo(2);
        assertThat(first.path("deployment").asString()).isEqualTo(path.substring(path.lastIndexOf('/') + 1));
    }

    @Test
    void statusIsComputedFromTheReplicas() {
        replica("Running", "n1", null);
        replica("Running", "n1", null);
        replica("Starting", "n1", null);

        JsonNode status = api.get(path).json().path("status");
        assertThat(status.path("scheduled").asInt()).isEqualTo(3);
        assertThat(status.path("ready").asInt()).isEqualTo(2);
        assertThat(status.path("available").asInt()).isEqualTo(2);
        assertThat(status.path("observedGeneration").asLong()).isEqualTo(1);
        assertThat(status.path("conditions").get(0).path("reason").asString()).isEqualTo("ReplicasUnavailable");

        jdbc.update("UPDATE replicas SET phase = 'Running' WHERE phase = 'Starting' AND deployment_id = ?", id);
        JsonNode after = api.get(path).json().path("status");
        assertThat(after.path("available").asInt()).isEqualTo(3);
        assertThat(after.path("conditions").valueStream().map(c -> c.path("reason").asString()))
                .containsExactly("MinimumReplicasAvailable", "RolloutComplete");
        assertThat(api.get("/api/v1/deployments").json().valueStream()
                .filter(d -> path.endsWith("/" + d.path("name").asString()))
                .map(d -> d.path("status").path("available").asInt())).containsExactly(3);
    }
}
