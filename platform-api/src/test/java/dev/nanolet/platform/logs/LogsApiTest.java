package dev.nanolet.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.SseClient;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TooManyRequestsException;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.LogLine;
import dev.nanolet.wire.NodeRegistration;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** The logs proxy against a fake node: an in-process HTTP server that serves the node's log endpoint. */
@PlatformApiTest
@TestPropertySource(properties = {"nanolet.api.max-log-follows-per-token=3", "nanolet.api.log-tail-time=3s"})
class LogsApiTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Reads what the merged stream passes on, NULs included (the application's mapper refuses them in request bodies). */
    private static final JsonMapper PLAIN = JsonMapper.builder().build();

    @LocalServerPort int port;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    @Autowired LogFollows follows;
    HttpServer node;
    final Map<String, String> seen = new ConcurrentHashMap<>();
    final CountDownLatch release = new CountDownLatch(1);
    /** Never counted down: its timed wait paces a dripping node. */
    final CountDownLatch never = new CountDownLatch(1);
    /** Counted down once the dripping node found its connection dropped. */
    final CountDownLatch dripDropped = new CountDownLatch(1);
    volatile String firstLineOfA = "line 0";
    UUID a;
    UUID b;
    /** A replica whose node sends its headers, then its tail a byte every 200 ms, without end. */
    final UUID dripping = UUID.randomUUID();
    long deployment;
    dev.nanolet.wire.NodeCredential issued;

    @BeforeEach
    void startFakeNode() throws IOException {
        a = UUID.randomUUID();
        b = UUID.randomUUID();
        node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        node.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        node.createContext("/_nanolet/v1/replicas/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            UUID replica = UUID.fromString(path.split("/")[4]);
            seen.put(replica.toString(), exchange.getRequestURI().getQuery() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                if (replica.equals(dripping)) {
                    drip(out, replica);
                }
                int offset = replica.equals(a) ? 0 : 1;
                for (int i = 0; i < 2; i++) {
                    String text = replica.equals(a) && i == 0 ? firstLineOfA : "line " + (2 * i + offset);
                    write(out, new LogLine(T0.plusSeconds(2L * i + offset), replica, "stdout", text));
                }
                if (exchange.getRequestURI().getQuery().contains("follow=true") && replica.equals(a)) {
                    release.await(10, TimeUnit.SECONDS);
                    write(out, new LogLine(T0.plusSeconds(10), replica, "stderr", "later"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        node.start();
        TestApi api = new TestApi(port, json);
        String address = "http://127.0.0.1:" + node.getAddress().getPort();
        issued = api.bootstrapRegister(new NodeRegistration("logs-1", Map.of(), new NodeRegistration.Capacity(10, 4096), address));
        deployment = new TestDeployments(jdbc, json).create("default", "talky", TestDeployments.http("/talky", 2));
        for (UUID r : List.of(a, b)) {
            addReplica(r);
        }
    }

    private void addReplica(UUID replica) {
        jdbc.sql("INSERT INTO replicas (id, deployment_id, revision, node_name, phase, memory_mib) VALUES (?, ?, 1, 'logs-1', 'Running', 64)")
                .params(replica, deployment).update();
    }

    /** Sends a line a byte at a time until the connection is dropped. */
    private void drip(OutputStream out, UUID replica) throws IOException, InterruptedException {
        byte[] event = ("data:" + json.writeValueAsString(new LogLine(T0, replica, "stdout", "slow")) + "\n\n").getBytes(StandardCharsets.UTF_8);
        try {
            for (int i = 0; ; i = (i + 1) % event.length) {
                never.await(200, TimeUnit.MILLISECONDS);
                out.write(event[i]);
                out.flush();
            }
        } catch (IOException dropped) {
            dripDropped.countDown();
            throw dropped;
        }
    }

    @AfterEach
    void stopFakeNode() {
        node.stop(0);
        jdbc.sql("DELETE FROM deployments WHERE namespace = 'default' AND name = 'talky'").update();
        jdbc.sql("DELETE FROM nodes WHERE name = 'logs-1'").update();
    }

    private void write(OutputStream out, LogLine line) throws IOException {
        out.write(("data:" + json.writeValueAsString(line) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private SseClient logs(String query) {
        return SseClient.open("http://localhost:" + port + "/api/v1/namespaces/default/deployments/talky/logs?" + query,
                dev.nanolet.platform.PlatformApiTest.ADMIN_TOKEN, null);
    }

    @Test
    void withoutFollowMergesTheTailsInTimeOrderThenEnds() {
        try (SseClient stream = logs("tail=3&follow=false")) {
            assertThat(stream.status()).isEqualTo(200);
            List<String> lines = List.of(stream.next(), stream.next(), stream.next()).stream()
                    .map(e -> json.readValue(e.data(), LogLine.class).line()).toList();
            assertThat(lines).containsExactly("line 1", "line 2", "line 3");
            assertThat(stream.next().name()).isEqualTo("end");
        }
        assertThat(seen.get(a.toString())).as("the node's own logs token, never the bootstrap, node or admin token")
                .isEqualTo("tail=3&follow=false Bearer " + issued.logsToken());
    }

    /**
     * A node that drips its tail is cut off once {@code nanolet.api.log-tail-time} has passed, and the other replicas'
     * lines still come; before, the read waited on that node for good.
     */
    @Test
    void aNodeThatDripsItsTailIsCutOffAndTheOthersLinesStillCome() {
        addReplica(dripping);
        List<String> lines = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> { // the answer's headers waited on the node too
            try (SseClient stream = logs("tail=10&follow=false")) {
                assertThat(stream.status()).isEqualTo(200);
                for (SseClient.Event e = stream.next(); !e.name().equals("end"); e = stream.next()) {
                    lines.add(json.readValue(e.data(), LogLine.class).line());
                }
            }
        });
        assertThat(lines).containsExactly("line 0", "line 1", "line 2", "line 3");
        assertThat(seen).containsKey(dripping.toString());
        // platform-api dropped the connection, so no thread of it reads the node on: the node's next write fails
        await().until(() -> dripDropped.getCount() == 0);
    }

    @Test
    void withFollowForwardsLinesAsTheyCome() {
        try (SseClient stream = logs("tail=10&follow=true")) {
            assertThat(stream.header("X-Accel-Buffering")).as("a proxy must not hold the keep-alive comments back").isEqualTo("no");
            for (int i = 0; i < 4; i++) {
                assertThat(stream.next().name()).isEqualTo("message");
            }
            release.countDown();
            LogLine later = json.readValue(stream.next().data(), LogLine.class);
            assertThat(later).isEqualTo(new LogLine(T0.plusSeconds(10), a, "stderr", "later"));
            assertThat(stream.next().name()).isEqualTo("end");
        }
    }

    /** A guest may write any byte; a NUL in one line (which nothing stores) must not end the stream. */
    @Test
    void aLineWithANulCharacterIsPassedOnAndTheLinesAfterItFollow() {
        firstLineOfA = "before\u0000after";
        try (SseClient stream = logs("tail=10&follow=true")) {
            List<String> lines = List.of(stream.next(), stream.next(), stream.next(), stream.next()).stream()
                    .map(e -> PLAIN.readValue(e.data(), LogLine.class).line()).toList();
            assertThat(lines).containsExactlyInAnyOrder("before\u0000after", "line 1", "line 2", "line 3");
            release.countDown();
            assertThat(json.readValue(stream.next().data(), LogLine.class).line()).isEqualTo("later");
            assertThat(stream.next().name()).isEqualTo("end");
        }
    }

    @Test
    void anUnknownDeploymentIs404() {
        assertThat(new TestApi(port, json).admin("GET", "/api/v1/namespaces/default/deployments/nope/logs", null).status()).isEqualTo(404);
    }

    @Test
    void aTokenHoldsAtMostTheCapOfFollowsAndAFollowThatEndsGivesItsPlaceBack() {
        TestApi api = new TestApi(port, json);
        String token = json.readTree(api.admin("POST", "/api/v1/tokens", Map.of("name", "follows",
                "grants", List.of(Map.of("role", "viewer", "namespace", "default")))).body()).path("token").asString();
        String path = "/api/v1/namespaces/default/deployments/talky/logs?follow=true";
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(SseClient.open("http://localhost:" + port + path, token, null));
                assertThat(open.getLast().status()).isEqualTo(200);
                assertThat(open.getLast().next().name()).isEqualTo("message");
            }
            ApiClient.Response refused = new ApiClient(port, token).get(path);
            assertThat(refused.status()).as(refused.body()).isEqualTo(429);
            assertThat(refused.headers().getFirst("Retry-After")).isEqualTo("5");
            assertThat(refused.headers().getContentType()).hasToString("application/problem+json");
            assertThat(refused.json().path("detail").asString()).contains("3 logs", "nanolet.api.max-log-follows-per-token");
            assertThat(new ApiClient(port, token).get("/api/v1/namespaces/default/deployments/talky/logs").status())
                    .as("reading without follow is not counted").isEqualTo(200);

            open.removeFirst().close();
            // the node's streams stay open 10 s: only the client's leaving gives the place back sooner
            await().atMost(Duration.ofSeconds(6)).until(() -> {
                SseClient again = SseClient.open("http://localhost:" + port + path, token, null);
                open.add(again);
                return again.status() == 200;
            });

            release.countDown(); // the nodes end their streams, and so every follow ends
            await().until(() -> {
                List<SseClient> next = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    next.add(SseClient.open("http://localhost:" + port + path, token, null));
                }
                open.addAll(next);
                return next.stream().allMatch(s -> s.status() == 200);
            });
        } finally {
            open.forEach(SseClient::close);
        }
    }

    /**
     * A revoked token cannot ask again, so only the instance's count shows that the follows its revocation ended gave
     * their places back (else each revoked token would hold its places, and its map entry, for as long as the instance runs).
     */
    @Test
    void followsEndedByTheirTokensRevocationGiveTheirPlacesBack() {
        TestApi api = new TestApi(port, json);
        TestApi.Response issued = api.admin("POST", "/api/v1/tokens", Map.of("name", "revoked-follows",
                "grants", List.of(Map.of("role", "viewer", "namespace", "default"))));
        String id = json.readTree(issued.body()).path("info").path("id").asString();
        String token = json.readTree(issued.body()).path("token").asString();
        String path = "/api/v1/namespaces/default/deployments/talky/logs?follow=true";
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(SseClient.open("http://localhost:" + port + path, token, null));
                assertThat(open.getLast().next().name()).isEqualTo("message");
            }
            ApiClient.Response refused = new ApiClient(port, token).get(path, Map.of("Accept", "text/event-stream"));
            assertThat(refused.status()).as("asked as the CLI and the dashboard ask").isEqualTo(429);
            assertThat(refused.body()).contains("nanolet.api.max-log-follows-per-token");
            assertThat(placesFree(id, 1)).isFalse();

            assertThat(api.admin("DELETE", "/api/v1/tokens/" + id, null).status()).isEqualTo(204);
            for (SseClient stream : open) {
                while (!"end".equals(stream.next().name())) {
                    // the lines sent before the revocation was seen
                }
            }
            await().until(() -> placesFree(id, 3));
        } finally {
            open.forEach(SseClient::close);
        }
    }

    /** Whether {@code caller} could open {@code n} more follows now (the places taken to learn it are given back). */
    private boolean placesFree(String caller, int n) {
        List<LogFollows.Place> taken = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                taken.add(follows.take(caller));
            }
            return true;
        } catch (TooManyRequestsException e) {
            return false;
        } finally {
            taken.forEach(LogFollows.Place::release);
        }
    }

    /** Revocation and expiry act on the next request; a follow is one request that lasts, so it asks as it goes. */
    @Test
    void aFollowEndsOnceItsTokenIsRevoked() {
        TestApi api = new TestApi(port, json);
        TestApi.Response issued = api.admin("POST", "/api/v1/tokens",
                Map.of("name", "tail-f", "grants", List.of(Map.of("role", "viewer", "namespace", "default"))));
        String id = json.readTree(issued.body()).path("info").path("id").asString();
        try (SseClient stream = SseClient.open("http://localhost:" + port + "/api/v1/namespaces/default/deployments/talky/logs?follow=true",
                json.readTree(issued.body()).path("token").asString(), null)) {
            for (int i = 0; i < 4; i++) {
                assertThat(stream.next().name()).isEqualTo("message");
            }
            assertThat(api.admin("DELETE", "/api/v1/tokens/" + id, null).status()).isEqualTo(204);
            assertThat(stream.next().name()).as("the stream ends before the node's next line").isEqualTo("end");
        }
    }

    @Test
    void aFollowEndsWhenItsTokenExpires() {
        TestApi api = new TestApi(port, json);
        TestApi.Response issued = api.admin("POST", "/api/v1/tokens", Map.of("name", "tail-f", "expiresInSeconds", 2,
                "grants", List.of(Map.of("role", "viewer", "namespace", "default"))));
        try (SseClient stream = SseClient.open("http://localhost:" + port + "/api/v1/namespaces/default/deployments/talky/logs?follow=true",
                json.readTree(issued.body()).path("token").asString(), null)) {
            for (int i = 0; i < 4; i++) {
                assertThat(stream.next().name()).isEqualTo("message");
            }
            assertThat(stream.next().name()).as("the stream ends before the node's next line").isEqualTo("end");
        }
    }
}
