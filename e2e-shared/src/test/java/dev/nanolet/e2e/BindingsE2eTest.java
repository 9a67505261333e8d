package dev.nanolet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.testsupport.AppDatabase;
import dev.nanolet.wire.DeploymentSpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Wasm beside an ordinary containerized database (issue 10): platform-api and a node agent as real
 * processes, the app's PostgreSQL in the nanolet/postgres:17 container ({@link AppDatabase}; without
 * Docker a database on NANOLET_TEST_JDBC_URL behind a gate the test closes). A secret holds the
 * database's address and password, the todo example is deployed bound to it, and its REST API is used
 * over HTTP; the database container is stopped (503 with the reason, another route unaffected) and
 * started again (the same replica serves again, nothing restarted).
 */
class BindingsE2eTest {
    @RegisterExtension
    static final SharedPlatform shared = new SharedPlatform();
    static LocalPlatform platform;
    static AppDatabase db;
    static ApiClient api;
    static ServiceProcess node;

    @BeforeAll
    static void start() {
        db = AppDatabase.start();
        platform = shared.platform();
        node = shared.node();
        api = platform.client();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void aTodoApiOnWasmUsesItsContainerizedDatabaseAndSurvivesItsRestart() {
        api.putSecret("shop", "todo-db", db.secretValues());
        String todo = api.upload(Paths.example("bindings/todo")).digest();
        String hello = api.upload(Paths.example("hello")).digest();
        api.apply("shop", "todo", new DeploymentSpec(todo, new DeploymentSpec.HttpSpec("/todos"), null, 1, List.of(), Map.of(),
                new DeploymentSpec.Limits(null, 15_000, null), Map.of(), null,
                List.of(new DeploymentSpec.Binding("db", "postgres", "todo-db")), null));
        api.apply("shop", "hello", Specs.http(hello, "/shop-hello", 1));
        Replicas.awaitRunning(api, "shop", "todo", 1, Duration.ofSeconds(60));
        Replicas.awaitRunning(api, "shop", "hello", 1, Duration.ofSeconds(60));
        Replicas.awaitAnswer(node, "/shop-hello", 200);

        HttpResponse<String> created = send("POST", "/todos/", "{\"title\":\"buy milk\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = created.body().replaceAll("(?s)\\D*(\\d+).*", "$1");
        assertThat(send("POST", "/todos/", "{\"title\":\"walk\"}").statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/todos/" + id, "{\"done\":true}").body()).isEqualTo("{\"id\":" + id + ",\"title\":\"buy milk\",\"done\":true}\n");
        assertThat(send("GET", "/todos/", null).body()).contains("\"title\":\"buy milk\",\"done\":true", "\"title\":\"walk\"");
        assertThat(send("DELETE", "/todos/" + id, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/todos/" + id, null).statusCode()).isEqualTo(404);

        assertThat(send("POST", "/todos/?trap=1", "{\"title\":\"half written\"}").statusCode()).isEqualTo(500);
        assertThat(send("GET", "/todos/", null).body()).doesNotContain("half written");

        db.stop();
        try {
            HttpResponse<String> down = send("GET", "/todos/", null);
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(down.body()).contains("binding 'db': the database is unavailable").doesNotContain("Exception");
            assertThat(ApiClient.get(node.url() + "/shop-hello").statusCode()).isEqualTo(200);
        } finally {
            db.resume();
        }
        await("the todo API answers again once the database is back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(send("GET", "/todos/", null).statusCode()).isEqualTo(200));
        assertThat(send("GET", "/todos/", null).body()).contains("\"title\":\"walk\"");
        assertThat(api.replicas("shop", "todo").getFirst().restarts()).isZero();
    }

    private static HttpResponse<String> send(String method, String path, String body) {
        var request = HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return ApiClient.send(request.build());
    }
}
