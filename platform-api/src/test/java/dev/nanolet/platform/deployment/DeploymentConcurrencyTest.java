package dev.nanolet.platform.deployment;

import static dev.nanolet.platform.ApiClient.wasm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.PlatformApiTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

/** Concurrent writers of one deployment serialize on its row: no lost update, no revision made twice. */
@PlatformApiTest
class DeploymentConcurrencyTest {
    static final int WRITERS = 8;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

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
