package dev.nanolet.platform.deployment;

import static dev.nanolet.platform.ApiClient.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.PlatformApiTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Concurrent writers of one deployment serialize on its row: no lost update, no revision made twice; route
 * writes serialize on the routes lock, so two namespaces never both take routes that are prefixes of one another.
 */
@PlatformApiTest
class DeploymentConcurrencyTest {
    static final int WRITERS = 8;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void concurrentChangesEachGetTheirOwnRevision() throws Exception {
        ApiClient api = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        String module = upload(api);
        String path = "/api/v1/namespaces/race/deployments/busy";
        assertThat(api.json(HttpMethod.PUT, path, spec(module, "start")).status()).isEqualTo(201);

        List<Integer> statuses = all(IntStream.range(0, WRITERS)
                .<Callable<Integer>>mapToObj(i -> () -> api.json(HttpMethod.PUT, path, spec(module, "w" + i)).status())
                .toList());

        assertThat(statuses).containsOnly(200);
        assertThat(api.get(path).json().path("generation").asLong()).isEqualTo(WRITERS + 1);
        assertThat(jdbc.queryForList("SELECT r.revision FROM revisions r JOIN deployments d ON d.id = r.deployment_id WHERE d.name = 'busy' ORDER BY r.revision", Integer.class))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, WRITERS + 1).boxed().toList());
    }

    @Test
    void concurrentCreatesOfOneNameMakeOneDeployment() throws Exception {
        ApiClient api = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        String module = upload(api);
        String path = "/api/v1/namespaces/race/deployments/fresh";

        List<Integer> statuses = all(IntStream.range(0, WRITERS)
                .<Callable<Integer>>mapToObj(i -> () -> api.json(HttpMethod.PUT, path, spec(module, "same")).status())
                .toList());

        assertThat(statuses).containsOnly(200, 201).containsOnlyOnce(201);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM deployments WHERE name = 'fresh'", Integer.class)).isOne();
        assertThat(api.get(path).json().path("generation").asLong()).isOne();
    }

    @Test
    void aRouteUnderOneAnotherNamespaceIsCreatingWaitsForItAndIs409() throws Exception {
        ApiClient api = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        String module = upload(api);
        String owner = "/race-" + UUID.randomUUID().toString().substring(0, 8);

        try (Connection first = dataSource.getConnection()) {
            first.setAutoCommit(false);
            run(first, "SET LOCAL lock_timeout = '20s'");
            run(first, "SELECT 1 FROM pg_advisory_xact_lock(?)", DeploymentWriter.ROUTES_LOCK); // as a route write does first
            String spec = "{\"module\":\"" + module + "\",\"http\":{\"path\":\"" + owner + "\"},\"replicas\":0}";
            run(first, """
                    WITH d AS (INSERT INTO deployments (namespace, name, current_revision, spec, http_path)
                               VALUES ('race-a', ?, 1, ?::jsonb, ?) RETURNING id)
                    INSERT INTO revisions (deployment_id, revision, generation, spec, module_digest)
                    SELECT id, 1, 1, ?::jsonb, ? FROM d""", owner.substring(1), spec, owner, spec, module);
            CompletableFuture<ApiClient.Response> second = CompletableFuture.supplyAsync(() -> api.json(HttpMethod.PUT,
                    "/api/v1/namespaces/race-b/deployments/intruder",
                    "{\"module\":\"" + module + "\",\"http\":{\"path\":\"" + owner + "/admin\"},\"replicas\":0}"));
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingForTheRoutesLock() >= 1 || second.isDone());
            first.commit();

            ApiClient.Response answer = second.get(20, TimeUnit.SECONDS);
            assertThat(answer.status()).as(answer.body()).isEqualTo(409);
            assertThat(answer.json().path("detail").asString()).contains("race-a/" + owner.substring(1));
        }
    }

    private int waitingForTheRoutesLock() {
        return jdbc.queryForObject("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", Integer.class);
    }

    static void run(Connection tx, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.execute();
        }
    }

    static String spec(String module, String value) {
        return "{\"module\":\"" + module + "\",\"job\":{},\"env\":{\"WHO\":\"" + value + "\"}}";
    }

    static String upload(ApiClient api) {
        return api.send(HttpMethod.POST, "/api/v1/modules", MediaType.parseMediaType("application/wasm"),
                wasm("hello.wasm"), Map.of()).json().path("digest").asString();
    }

    /** Runs the tasks at once, released together by a barrier. */
    static <T> List<T> all(List<Callable<T>> tasks) throws Exception {
        CyclicBarrier start = new CyclicBarrier(tasks.size());
        try (ExecutorService pool = Executors.newFixedThreadPool(tasks.size())) {
            List<Future<T>> futures = tasks.stream().map(t -> pool.submit(() -> {
                start.await();
                return t.call();
            })).toList();
            List<T> results = new java.util.ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }
}
