package dev.nanolet.platform.deployment;

import static dev.nanolet.platform.ApiClient.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.SecondInstance;
import dev.nanolet.testsupport.TcpProxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A rollout wait outlives a short database outage: a second platform-api reaches PostgreSQL through a {@link TcpProxy}
 * that is cut while a deployer's wait runs there. One status read or credential check the database could not answer
 * ended the wait 503; now it is asked again on the next tick, and only {@link RolloutWaiter#UNANSWERED_FOR} without
 * an answer ends it.
 */
@PlatformApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutWaitOutageTest {
    /** Longer than a credential check's interval and several status reads, well short of the bound. */
    static final Duration SHORT_OUTAGE = Duration.ofSeconds(5);

    @LocalServerPort int port;
    @Autowired Environment environment;
    @Autowired JdbcTemplate jdbc;

    TcpProxy link;
    ConfigurableApplicationContext second;
    ApiClient admin;
    ApiClient deployer;
    ApiClient otherAdmin;
    String name;
    String path;

    /** One second instance for the class: starting one takes seconds, and each test's outage ends with the link restored. */
    @BeforeAll
    void startSecondInstance() {
        URI db = URI.create(environment.getRequiredProperty("spring.datasource.url").substring("jdbc:".length()));
        link = new TcpProxy(db.getPort());
        second = SecondInstance.start(environment, "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + link.port()
                + db.getRawPath() + (db.getRawQuery() == null ? "" : "?" + db.getRawQuery()),
                "--nanolet.secrets.key=" + PlatformApiTest.SECRETS_KEY);
        admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        otherAdmin = new ApiClient(SecondInstance.port(second), PlatformApiTest.ADMIN_TOKEN);
        jdbc.update("INSERT INTO nodes (name, capacity_instances, capacity_memory_mib, address) VALUES ('n1', 10, 1024, 'http://n1:8181') ON CONFLICT DO NOTHING");
    }

    @BeforeEach
    void setUp() {
        // the second instance reads its database again after the last test's outage
        await().until(() -> otherAdmin.get("/api/v1/namespaces/ci/deployments").status() == 200);
        name = "o-" + UUID.randomUUID().toString().substring(0, 8);
        path = "/api/v1/namespaces/ci/deployments/" + name;
        Response token = admin.json(HttpMethod.POST, "/api/v1/tokens",
                "{\"name\":\"" + name + "\",\"grants\":[{\"role\":\"deployer\",\"namespace\":\"ci\"}]}");
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        deployer = otherAdmin.as(token.json().path("token").asString());
    }

    @AfterEach
    void restoreTheLink() {
        link.restore();
    }

    @AfterAll
    void stopSecondInstance() {
        second.close();
        link.close();
    }

    /**
     * The outage lasts one read the second instance could not answer (a 503 after the pool's 2 s wait) and a credential
     * check's interval, well short of {@link RolloutWaiter#UNANSWERED_FOR}; polled with such reads for a 5 s window, it
     * lasted 6.8 s on a busy machine, within 3 s of the bound.
     */
    @Test
    void aWaitGoesOnThroughAShortOutageAndAnswersOnceTheRolloutCompletes() {
        CompletableFuture<Response> applying = waitingApply();

        link.cut();
        await().atMost(Duration.ofSeconds(30)).until(() -> otherAdmin.get(path).status() == 503);
        await().during(RolloutWaiter.CHECK_EVERY).atMost(Duration.ofSeconds(30)).until(() -> !applying.isDone());
        link.restore();
        long id = jdbc.queryForObject("SELECT id FROM deployments WHERE namespace = 'ci' AND name = ? AND deleted_at IS NULL", Long.class, name);
        jdbc.update("INSERT INTO replicas (id, deployment_id, revision, node_name, phase, restarts, memory_mib) "
                + "VALUES (?, ?, 1, 'n1', 'Running', 0, 64)", UUID.randomUUID(), id);

        Response r = applying.orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("status").path("available").asInt()).isEqualTo(1);
    }

    @Test
    void aWaitEnds503OnceTheDatabaseHasNotAnsweredForItsBound() {
        CompletableFuture<Response> applying = waitingApply();

        link.cut();
        await().during(SHORT_OUTAGE).atMost(Duration.ofSeconds(30)).until(() -> !applying.isDone());
        Response r = applying.orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().getFirst("Retry-After")).isNotNull();
        assertThat(r.json().path("detail").asString()).startsWith("the wait for deployment ci/" + name)
                .endsWith("ended: the platform's database has not answered its reads for 10 s; what the request wrote stays"
                        + " written; read the deployment again shortly");
    }

    @Test
    void anApplysWaitThatEnds503StillSaysWhatItDidToEachSecret() {
        String manifest = "{\"apiVersion\":\"nanolet.dev/v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"ci\"},\"stringData\":{\"k\":\"v\"}}\n---\n{\"apiVersion\":\"nanolet.dev/v1\",\"kind\":\"Deployment\","
                + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ci\"},\"spec\":" + spec() + "}";
        CompletableFuture<Response> applying = waiting(() -> deployer.send(HttpMethod.POST, "/api/v1/apply?wait=true&timeout=120s",
                MediaType.parseMediaType("application/yaml"), manifest.getBytes(StandardCharsets.UTF_8), Map.of()));

        link.cut();
        Response r = applying.orTimeout(45, TimeUnit.SECONDS).join();
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().get("Nanolet-Secrets")).containsExactly("ci/" + name + " created 1");
    }

    private CompletableFuture<Response> waitingApply() {
        String spec = spec();
        return waiting(() -> deployer.json(HttpMethod.PUT, path + "?wait=true&timeout=120s", spec));
    }

    private String spec() {
        String module = admin.send(HttpMethod.POST, "/api/v1/modules", MediaType.parseMediaType("application/wasm"), wasm("hello.wasm"),
                Map.of()).json().path("digest").asString();
        return "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + name + "\"},\"replicas\":1}";
    }

    /** {@code request} sent, once the deployment it writes exists and the request still waits. */
    private CompletableFuture<Response> waiting(Supplier<Response> request) {
        CompletableFuture<Response> applying = CompletableFuture.supplyAsync(request, Executors.newVirtualThreadPerTaskExecutor());
        await().atMost(Duration.ofSeconds(30)).until(() -> applying.isDone() || jdbc.queryForObject(
                "SELECT count(*) FROM deployments WHERE namespace = 'ci' AND name = ? AND deleted_at IS NULL", Integer.class, name) == 1);
        assertThat(applying).as(() -> applying.join().body()).isNotDone();
        return applying;
    }
}
