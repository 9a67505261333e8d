package dev.nanolet.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.nanolet.testsupport.browser.Browser;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.NodeInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docker-compose.yml for real, as a user runs it: build the images (from the jars this build
 * packaged), {@code up -d}, the hello example answers through both node agents' published ports and
 * the API reports it ready, the todo example bound to the app database keeps a todo that one node
 * writes and the other reads, changes and deletes, the dashboard signs in in Chromium, a restarted node agent comes back
 * Ready, {@code down -v}. Only 127.0.0.1 ports the test picked are used; timings go to
 * target/compose-timings.txt, container logs to target/compose-logs.txt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeDemoIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path TARGET = Repo.path("packaging/target");

    private final Map<String, String> env = new HashMap<>();
    private final List<String> compose = Docker.with(Docker.compose(), "-p", "nanolet-it-" + ProcessHandle.current().pid());
    private String adminToken;
    private String todoDbPassword;
    private int api;
    private int ui;
    private int node1;
    private int node2;

    @BeforeAll
    void up() throws IOException {
        api = FreePort.next();
        ui = FreePort.next();
        node1 = FreePort.next();
        node2 = FreePort.next();
        adminToken = "it-admin-" + Long.toHexString(System.nanoTime());
        todoDbPassword = "it-todo-" + Long.toHexString(System.nanoTime());
        byte[] secretsKey = new byte[32];
        new SecureRandom().nextBytes(secretsKey);
        env.putAll(Map.of(
                "NANOLET_API_HOST_PORT", "" + api, "NANOLET_UI_HOST_PORT", "" + ui,
                "NANOLET_NODE1_HOST_PORT", "" + node1, "NANOLET_NODE2_HOST_PORT", "" + node2,
                "NANOLET_APP_DB_HOST_PORT", "" + FreePort.next(),
                "NANOLET_ADMIN_TOKEN", adminToken,
                "NANOLET_TODO_DB_PASSWORD", todoDbPassword,
                "NANOLET_SECRETS_KEY", Base64.getEncoder().encodeToString(secretsKey)));
        env.putAll(Images.buildEnv());

        long start = System.nanoTime();
        Images.build();
        long built = System.nanoTime();
        Docker.run(env, Duration.ofMinutes(10), Docker.with(compose, "up", "-d"));
        long up = System.nanoTime();
        Files.createDirectories(TARGET);
        Files.writeString(TARGET.resolve("compose-timings.txt"), "compose build: %d s%ncompose up -d (healthy, examples deployed): %d s%n"
                .formatted((built - start) / 1_000_000_000, (up - built) / 1_000_000_000));
    }

    @AfterAll
    void down() throws IOException {
        try {
            Files.writeString(TARGET.resolve("compose-logs.txt"),
                    Docker.run(env, Duration.ofMinutes(2), Docker.with(compose, "logs", "--no-color")));
        } finally {
            Docker.run(env, Duration.ofMinutes(5), Docker.with(compose, "down", "-v", "--remove-orphans"));
        }
    }

    @Test
    @Order(1)
    void helloAnswersThroughBothNodesAndTheApiSeesItReady() throws Exception {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(nodes()).extracting(NodeInfo::name, NodeInfo::ready)
                    .containsExactlyInAnyOrder(tuple("node-1", true), tuple("node-2", true));
            assertThat(get(node1, "/hello", null).body()).contains("Hello from Wasm");
            assertThat(get(node2, "/hello", null).body()).contains("Hello from Wasm");
            Deployment hello = JSON.readValue(get(api, "/api/v1/namespaces/default/deployments/hello", adminToken).body(), Deployment.class);
            assertThat(hello.status().ready()).isEqualTo(2);
        });
        assertThat(container("examples", "{{.State.Status}} {{.State.ExitCode}}")).isEqualTo("exited 0");
        assertThat(get(api, "/api/v1/nodes", "wrong-token").statusCode()).isEqualTo(401);
    }

    /**
     * The todo example, deployed by the one-shot with its binding on secret todo-db (the compose
     * service app-db, database todo made by docker/app-db/10-todo.sh): a todo written through one
     * node is read, changed and deleted through the other, so both nodes reach app-db.
     */
    @Test
    @Order(2)
    void theTodoApiKeepsItsRowsInTheAppDatabaseThroughBothNodes() throws Exception {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Deployment todo = JSON.readValue(get(api, "/api/v1/namespaces/default/deployments/todo", adminToken).body(), Deployment.class);
            assertThat(todo.status().ready()).isEqualTo(2);
            assertThat(get(node1, "/todos/", null).statusCode()).isEqualTo(200);
            assertThat(get(node2, "/todos/", null).statusCode()).isEqualTo(200);
        });
        String secret = get(api, "/api/v1/namespaces/default/secrets/todo-db", adminToken).body();
        assertThat(secret).contains("url", "user", "password").doesNotContain(todoDbPassword);

        var created = send(node1, "POST", "/todos/", "{\"title\":\"compose todo\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode todo = JSON.readTree(created.body());
        long id = todo.get("id").asLong();
        assertThat(todo.get("title").asString()).isEqualTo("compose todo");
        assertThat(todo.get("done").asBoolean()).isFalse();

        assertThat(JSON.readTree(get(node2, "/todos/", null).body()).findValuesAsString("title")).contains("compose todo");
        var updated = send(node2, "PUT", "/todos/" + id, "{\"done\":true}");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(JSON.readTree(get(node1, "/todos/" + id, null).body()).get("done").asBoolean()).isTrue();

        assertThat(send(node1, "DELETE", "/todos/" + id, null).statusCode()).isEqualTo(204);
        assertThat(get(node2, "/todos/" + id, null).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(get(node1, "/todos/", null).body()).findValuesAsString("id")).doesNotContain("" + id);
    }

    @Test
    @Order(3)
    void theDashboardSignsInInChromium() {
        try (Browser browser = Browser.start(TARGET.resolve("screenshots"))) {
            var driver = browser.driver();
            browser.open("http://127.0.0.1:" + ui + "/");
            browser.await(Duration.ofSeconds(30), d -> !d.findElements(By.id("token")).isEmpty());
            browser.screenshot("compose-sign-in");
            driver.findElement(By.id("token")).sendKeys(adminToken);
            driver.findElement(By.id("sign-in")).click();
            browser.await(Duration.ofSeconds(30), d -> !d.findElements(By.id("sign-out")).isEmpty());
            browser.open("http://127.0.0.1:" + ui + "/nodes");
            browser.await(Duration.ofSeconds(30), d -> d.findElement(By.tagName("main")).getText().contains("node-2"));
            assertThat(driver.findElement(By.tagName("main")).getText()).contains("node-1", "node-2");
            browser.screenshot("compose-nodes");
        }
    }

    @Test
    @Order(4)
    void aRestartedNodeComesBackReady() {
        String startedBefore = container("node-2", "{{.State.StartedAt}}");

        Docker.run(env, Duration.ofMinutes(2), Docker.with(compose, "restart", "node-2"));

        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(container("node-2", "{{.State.StartedAt}}")).isNotEqualTo(startedBefore);
            assertThat(container("node-2", "{{.State.Health.Status}}")).isEqualTo("healthy");
            assertThat(nodes()).filteredOn(n -> n.name().equals("node-2")).singleElement()
                    .satisfies(n -> assertThat(n.ready()).isTrue());
            assertThat(get(node2, "/hello", null).body()).contains("Hello from Wasm");
        });
    }

    private List<NodeInfo> nodes() throws Exception {
        return JSON.readValue(get(api, "/api/v1/nodes", adminToken).body(), new TypeReference<>() {});
    }

    private String container(String service, String format) {
        String id = Docker.run(env, Duration.ofSeconds(60), Docker.with(compose, "ps", "-a", "-q", service)).strip();
        return Docker.run(Map.of(), Duration.ofSeconds(60), "docker", "inspect", "-f", format, id).strip();
    }

    private static HttpResponse<String> get(int port, String path, String token) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request to a node's data plane, with a JSON body or none. */
    private static HttpResponse<String> send(int port, String method, String path, String json) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
