package dev.nanolet.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose demo's one-shot {@code docker/deploy-examples.sh}, run with {@code sh} against a stand-in
 * platform-api on loopback: it waits for a platform that starts answering late (as after
 * {@code docker compose restart}, when {@code depends_on} waits for nothing), and gives up with a message
 * saying what it waited for.
 */
class DeployExamplesScriptTest {
    @TempDir
    Path dir;

    private final int port = FreePort.next();

    /** What a body from something other than platform-api may hold: a terminal's escape (clear the screen), a CR. */
    private static final String HOSTILE = "\u001b[2J\u001b]0;title\u0007\r";

    /** The path the stand-in platform refuses with a 422 problem, or null. */
    private volatile String refused;

    @Test
    void waitsForAPlatformThatStartsAnsweringLateThenDeploysBoth() throws Exception {
        Process script = start(Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(30)).until(() -> output().contains("waiting") || !script.isAlive());
        assertThat(output()).as("the script waits instead of failing").contains("waiting up to 120 s for platform-api");

        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer api = platform(requests);
        try {
            assertThat(script.waitFor(60, TimeUnit.SECONDS)).as(output()).isTrue();
            assertThat(script.exitValue()).as(output()).isZero();
        } finally {
            api.stop(0);
        }
        assertThat(requests).as("readiness asked again after a 503, then both deployed")
                .startsWith("GET /actuator/health/readiness 503", "GET /actuator/health/readiness 200")
                .contains("PUT /api/v1/namespaces/default/deployments/hello", "PUT /api/v1/namespaces/default/deployments/todo");
        assertThat(output()).contains("deployed hello (sha256:ab12) at /hello", "deployed todo (sha256:ab12) at /todos");
    }

    @Test
    void givesUpAfterItsBoundWithAClearMessage() throws Exception {
        Process script = start(Duration.ofSeconds(1));

        assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).isEqualTo(1);
        assertThat(output()).contains("platform-api is not ready at http://127.0.0.1:" + port
                + "/actuator/health/readiness after 1 s; giving up (NANOLET_WAIT_SECONDS waits longer)");
    }

    @Test
    void aRefusedDeploySaysWhichAndWhyExitsNonZeroAndARerunDeploys() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer api = platform(requests);
        try {
            refused = "/api/v1/namespaces/default/deployments/todo";
            Process script = start(Duration.ofSeconds(30));
            assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(script.exitValue()).as(output()).isEqualTo(1);
            assertThat(output()).as("the step, the status and platform-api's reason")
                    .contains("deployed hello (sha256:ab12) at /hello")
                    .contains("deploying todo failed: HTTP 422")
                    .contains("replicas must be at most 64")
                    .doesNotContain("deployed todo")
                    .as("no control character of the answer reaches the terminal").doesNotContain("\u001b", "\u0007", "\r");

            refused = null;
            Process rerun = start(Duration.ofSeconds(30));
            assertThat(rerun.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(rerun.exitValue()).as(output()).isZero();
            assertThat(output()).contains("deployed todo (sha256:ab12) at /todos");
        } finally {
            api.stop(0);
        }
    }

    @Test
    void aRefusedSecretSaysWhyRatherThanGuessing() throws Exception {
        HttpServer api = platform(new CopyOnWriteArrayList<>());
        try {
            refused = "/api/v1/namespaces/default/secrets/todo-db";
            Process script = start(Duration.ofSeconds(30));
            assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(script.exitValue()).as(output()).isEqualTo(1);
            assertThat(output()).contains("writing secret todo-db failed: HTTP 422", "replicas must be at most 64")
                    .doesNotContain("NANOLET_SECRETS_KEY");
        } finally {
            api.stop(0);
        }
    }

    private Process start(Duration wait) throws IOException {
        Files.write(dir.resolve("hello.wasm"), new byte[] {0, 'a', 's', 'm'});
        Files.write(dir.resolve("todo.wasm"), new byte[] {0, 'a', 's', 'm'});
        ProcessBuilder pb = new ProcessBuilder("sh", Repo.path("docker/deploy-examples.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("output").toFile());
        pb.environment().put("NANOLET_API_URL", "http://127.0.0.1:" + port);
        pb.environment().put("NANOLET_ADMIN_TOKEN", "token");
        pb.environment().put("NANOLET_TODO_DB_PASSWORD", "password");
        pb.environment().put("NANOLET_EXAMPLES_DIR", dir.toString());
        pb.environment().put("NANOLET_WAIT_SECONDS", String.valueOf(wait.toSeconds()));
        return pb.start();
    }

    private String output() {
        try {
            return Files.readString(dir.resolve("output"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A platform-api whose readiness answers 503 once, then 200; uploads give a digest, PUTs 204, but
     * {@link #refused} answers a 422 problem.
     */
    private HttpServer platform(List<String> requests) throws IOException {
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        AtomicInteger readinessAsked = new AtomicInteger();
        api.createContext("/actuator/health/readiness", exchange -> {
            int status = readinessAsked.getAndIncrement() == 0 ? 503 : 200;
            requests.add("GET " + exchange.getRequestURI().getPath() + " " + status);
            answer(exchange, status, "{}");
        });
        api.createContext("/api/v1/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().equals(refused)) {
                answer(exchange, 422, "{\"title\":\"Unprocessable Entity\",\"status\":422,"
                        + "\"detail\":\"replicas must be at most 64\"}" + HOSTILE);
            } else if ("POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 201, "{\"digest\": \"sha256:ab12\"}");
            } else {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            }
        });
        api.start();
        return api;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
