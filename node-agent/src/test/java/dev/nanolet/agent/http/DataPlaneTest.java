package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.AgentTestBase;
import dev.nanolet.agent.replica.LocalReplica;
import dev.nanolet.agent.replica.ReplicaReporter;
import dev.nanolet.agent.replica.Replicas;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.Route;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.http.MediaType;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** The data plane over real HTTP with real example modules. */
class DataPlaneTest extends AgentTestBase {

    static final Assignment hello = http("hello", "/hello", "hello.wasm", null);
    static final Assignment echo = http("echo", "/echo", "echo.wasm", null);
    static final Assignment nested = http("nested", "/echo/hello/", "hello.wasm", null);
    static final Assignment spin = http("spin", "/spin", "spin.wasm", new DeploymentSpec.Limits(16, 1500, 1));
    static final Assignment trap = http("trap", "/trap", "fixtures/trap.wasm", null);
    static final Assignment malformed = http("bad", "/bad", "job.wasm", null);
    /** Answers with the CGI response sent as its body. */
    static final Assignment raw = http("raw", "/raw", "fixtures/cgi-stdin.wasm", null);
    /** Like {@link #raw}, one instance at a time. */
    static final Assignment single = http("single", "/single", "fixtures/cgi-stdin.wasm", new DeploymentSpec.Limits(16, 1500, 1));
    /** Writes to stdout without end. */
    static final Assignment flood = http("flood", "/flood", "fixtures/flood.wasm", new DeploymentSpec.Limits(16, 1500, 4));
    /** Another node: answers with the forwarded marker it received. */
    static final DisposableServer otherNode = HttpServer.create().port(0)
            .handle((req, res) -> res.header("X-Seen-Forwarded", String.valueOf(req.requestHeaders().get("X-Nanolet-Forwarded")))
                    .header("X-Seen-For", String.valueOf(req.requestHeaders().get("X-Forwarded-For")))
                    .header("X-Seen-Cookie", String.valueOf(req.requestHeaders().get("Cookie")))
                    .sendString(Mono.just("other node saw " + req.uri())))
            .bindNow();

    static {
        List.of(hello, echo, nested, spin, trap, malformed, raw, single, flood).forEach(platform::put);
        platform.routes(List.of(
                new Route("/remote", "default", "remote", List.of("http://localhost:" + otherNode.port())),
                new Route("/hello", "default", "hello", List.of("http://localhost:" + otherNode.port()))));
    }

    @Autowired
    Replicas replicas;

    @Autowired
    ReplicaReporter reporter;

    @AfterAll
    static void stopOtherNode() {
        otherNode.disposeNow();
    }

    @BeforeEach
    void allRunning() {
        List.of(hello, echo, nested, spin, trap, malformed, raw, single, flood).forEach(a -> awaitPhase(a.replicaId(), ReplicaPhase.Running));
    }

    @Test
    void servesAModuleThroughCgi() {
        client().get().uri("/hello").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).isEqualTo("Hello from Wasm\n");
    }

    @Test
    void givesTheModuleTheRequestAsCgiVariablesAndTheBodyOnStdin() {
        String body = client().post().uri(java.net.URI.create("http://localhost:" + port + "/echo/a/b?x=1&y=%20")).header("X-Test", "yes").bodyValue("ping")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("REQUEST_METHOD=POST", "PATH_INFO=/a/b", "SCRIPT_NAME=/echo", "QUERY_STRING=x=1&y=%20", "HTTP_X_TEST=yes")
                .endsWith("ping");
    }

    @Test
    void headerVariablesFollowRfc3875ThroughTheRealEchoModule() {
        String body = client().post().uri(java.net.URI.create("http://localhost:" + port + "/echo/a%20b/?q=%41&r=a+b"))
                .header("x-lower-dash", "1").header("Cookie", "a=1").header("Proxy", "http://evil.test")
                .contentType(MediaType.TEXT_PLAIN).bodyValue("hi")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("PATH_INFO=/a b/\n", "QUERY_STRING=q=%41&r=a+b\n", "HTTP_X_LOWER_DASH=1\n", "HTTP_COOKIE=a=1\n",
                "HTTP_HOST=localhost:" + port + "\n").endsWith("hi")
                .doesNotContain("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH", "HTTP_PROXY");
        client().get().uri("/echo").exchange().expectBody(String.class).value(b -> assertThat(b).contains("PATH_INFO=\n"));
    }

    @Test
    void cgiResponseFieldsAreCaseInsensitiveAndStatusKeepsItsCode() {
        client().post().uri("/raw").bodyValue("status: 404 Not Found\ncontent-type: text/plain\nX-Extra: 1\n\nnope")
                .exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN).expectHeader().valueEquals("X-Extra", "1")
                .expectBody(String.class).isEqualTo("nope");
        client().post().uri("/raw").bodyValue("Status:\t201\tCreated\nContent-Type: text/plain\n\n")
                .exchange().expectStatus().isCreated().expectBody(Void.class);
    }

    @Test
    void aResponseOfManyChunksWithHeadersAcrossAChunkEndGoesOutWholeWithItsLength() {
        String longValue = "v".repeat(GuestOutput.FIRST_CHUNK + 10); // the header block ends in the output's second chunk
        String body = "0123456789abcdef".repeat(3 * 1024); // 48 KiB: several chunks
        client().post().uri("/raw").bodyValue("Status: 202\nX-Long: " + longValue + "\r\nContent-Type: text/plain\r\n\r\n" + body)
                .exchange().expectStatus().isAccepted()
                .expectHeader().valueEquals("X-Long", longValue)
                .expectHeader().contentLength(body.length())
                .expectBody(String.class).isEqualTo(body);
    }

    @Test
    void aLocalRedirectIsServedAsAGetOfTheNewPathWhileAnAbsoluteLocationGoesToTheClient() {
        client().post().uri("/raw").bodyValue("Location: /echo/next?from=raw\n\n").exchange().expectStatus().isOk()
                .expectBody(String.class).value(b -> assertThat(b).contains("REQUEST_METHOD=GET\n", "PATH_INFO=/next\n", "QUERY_STRING=from=raw\n")
                        .doesNotContain("Location"));
        client().post().uri("/raw").bodyValue("Location: http://example.test/x\n\n").exchange()
                .expectStatus().isFound().expectHeader().valueEquals("Location", "http://example.test/x").expectBody(Void.class);
        client().post().uri("/raw").bodyValue("Status: 303\nLocation: /hello\n\n").exchange()
                .expectStatus().isSeeOther().expectHeader().valueEquals("Location", "/hello").expectBody(Void.class);
    }

    /**
     * A run's concurrency slot is free before its answer goes on: at {@code maxConcurrency} 1 a local
     * redirect to the deployment's own route runs (the second run gets an empty stdin, so it answers
     * nothing: 502 "no output", not 503 busy), and requests one after another on one kept-alive
     * connection never find the slot still taken. It used to be freed only after the answer had
     * been handed to the connection: the redirect always got 503, and wrk with as many connections
     * as slots saw about 1 % 503s.
     */
    @Test
    void aRunsSlotIsFreeBeforeItsAnswerGoesOn() throws IOException {
        client().post().uri("/single").bodyValue("Location: /single/again\n\n").exchange()
                .expectStatus().isEqualTo(HttpStatus.BAD_GATEWAY)
                .expectBody(String.class).value(b -> assertThat(b).contains("no output"));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            byte[] request = "POST /single HTTP/1.1\r\nHost: n\r\nContent-Length: 15\r\n\r\nStatus: 201\n\nok".getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < 200; i++) {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                assertThat(KeepAlive.read(in)).as("request %d", i).startsWith("HTTP/1.1 201");
            }
        }
    }

    @Test
    void aLargeResponseArrivesWhole() {
        String big = "Content-Type: application/octet-stream\n\n" + "0123456789abcdef".repeat(4000);
        client().post().uri("/raw").bodyValue(big).exchange().expectStatus().isOk()
                .expectBody(String.class).value(b -> assertThat(b).hasSize(64000).startsWith("0123"));
    }

    @Test
    void aResponseWithoutEndIsCutAtTheLimitWith502AndTheNodeKeepsAnswering() {
        client().get().uri("/flood").exchange().expectStatus().isEqualTo(HttpStatus.BAD_GATEWAY)
                .expectBody(String.class).value(b -> assertThat(b).contains("response above 262144 bytes"));
        client().get().uri("/hello").exchange().expectStatus().isOk().expectBody(Void.class);
    }

    @Test
    void echoesALargeBodyWhole() {
        String big = "0123456789abcdef".repeat(3 * 1024);
        client().put().uri("/echo").bodyValue(big).exchange().expectStatus().isOk()
                .expectBody(String.class).value(b -> assertThat(b).contains("REQUEST_METHOD=PUT").endsWith(big));
    }

    @Test
    void routesByLongestPrefixOnWholeSegments() {
        client().get().uri("/echo/hello/x").exchange().expectBody(String.class).isEqualTo("Hello from Wasm\n");
        client().get().uri("/echo/helloo").exchange().expectBody(String.class).value(b -> assertThat(b).contains("PATH_INFO=/helloo"));
    }

    @Test
    void answers404ProblemWhenNoNodeServesThePath() {
        client().get().uri("/nowhere").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404).jsonPath("$.detail").exists();
    }

    @Test
    void forwardsOneHopToANodeThatServesTheRouteAndNeverTwice() {
        await().untilAsserted(() -> client().get().uri("/remote/x?q=1").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("X-Seen-Forwarded", "1")
                .expectHeader().valueEquals("X-Seen-For", "127.0.0.1")
                .expectBody(String.class).isEqualTo("other node saw /remote/x?q=1"));
        client().get().uri("/remote/x").header("X-Nanolet-Forwarded", "1").exchange().expectStatus().isNotFound().expectBody(Void.class);
    }

    @Test
    void aForwardedRequestCarriesItsCanonicalPathAndNeverTheDashboardsSession() {
        await().untilAsserted(() -> client().get().uri(java.net.URI.create("http://localhost:" + port + "//remote/a/../x?q=1"))
                .header("Cookie", "NANOLET_SESSION=secret; theme=dark").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("X-Seen-Cookie", "theme=dark")
                .expectBody(String.class).isEqualTo("other node saw /remote/x?q=1"));
    }

    @Test
    void prefersALocalReplicaOverForwarding() {
        client().get().uri("/hello").exchange().expectBody(String.class).isEqualTo("Hello from Wasm\n");
    }

    @Test
    void refusesBodiesAboveTheLimitWith413() {
        client().post().uri("/echo").bodyValue("x".repeat(70 * 1024)).exchange().expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectBody(Void.class);
    }

    @Test
    void answers502ForOutputThatIsNotCgi() {
        client().get().uri("/bad").exchange().expectStatus().isEqualTo(HttpStatus.BAD_GATEWAY)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("malformed CGI response"));
        client().get().uri("/_nanolet/v1/replicas/{id}/logs?tail=5", malformed.replicaId())
                .header("Authorization", "Bearer " + platform.logsToken("n1"))
                .exchange().expectStatus().isOk()
                .expectBody(String.class).value(b -> assertThat(b).contains("data:", "\"stream\":\"stderr\"", "\"line\":\"job finished\""));
    }

    @Test
    void answers500AndWarnsOnATrapButNotOncePerRequest() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            client().get().uri("/trap").exchange().expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR).expectBody(Void.class);
        }
        await().until(() -> platform.eventsOf(trap.replicaId()).stream()
                .anyMatch(e -> e.type().equals("Warning") && e.reason().equals("Trap")));
        assertThat(reporter.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(platform.eventsOf(trap.replicaId()).stream().filter(e -> e.reason().equals("Trap")))
                .as("five traps within ten seconds").hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void anHttpReplicaReportsPulledAndStarted() {
        await().until(() -> platform.eventsOf(hello.replicaId()).size() >= 2);
        assertThat(platform.eventsOf(hello.replicaId()).subList(0, 2)).extracting(EventReport::type, EventReport::reason, EventReport::message)
                .containsExactly(tuple("Normal", "Pulled", platform.eventsOf(hello.replicaId()).getFirst().message()),
                        tuple("Normal", "Started", "serving http on /hello"));
        assertThat(platform.eventsOf(hello.replicaId()).getFirst().message()).contains(hello.moduleDigest());
    }

    /**
     * An http replica reports only the phases that last: with its module compiled here already, its
     * first report is Running, not Pulling and Starting first (each report is a call to the platform,
     * and other nodes route to the replica only once the platform has it Running); its events still
     * say Pulled and Started.
     */
    @Test
    void anHttpReplicaOfAModuleCompiledHereReportsRunningFirst() {
        Assignment again = http("hello-again", "/hello-again", "hello.wasm", null);
        platform.put(again);
        try {
            awaitPhase(again.replicaId(), ReplicaPhase.Running);
            client().get().uri("/hello-again").exchange().expectStatus().isOk().expectBody(Void.class);
            await().until(() -> platform.eventsOf(again.replicaId()).size() >= 2);
            assertThat(platform.phases(again.replicaId())).startsWith(ReplicaPhase.Running)
                    .doesNotContain(ReplicaPhase.Pulling, ReplicaPhase.Starting);
            assertThat(platform.eventsOf(again.replicaId())).extracting(EventReport::reason).startsWith("Pulled", "Started");
        } finally {
            platform.delete(again.replicaId());
        }
    }

    @Test
    void aRunawayModuleTimesOutWith504AndIsLimitedWhileOtherRoutesKeepAnswering() {
        CompletableFuture<HttpStatusCode> runaway = WebClient.create("http://localhost:" + port).get().uri("/spin")
                .exchangeToMono(r -> Mono.just(r.statusCode())).toFuture();
        await().until(() -> replicas.find(spin.replicaId()).orElseThrow().freeSlots() == 0);

        double errorsBefore = errors("spin");
        client().get().uri("/hello").exchange().expectStatus().isOk().expectBody(Void.class);
        client().get().uri("/spin").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().exists("Retry-After").expectBody(Void.class);
        assertThat(runaway).isNotDone();

        await().until(runaway::isDone);
        assertThat(runaway.join().value()).isEqualTo(504);
        // read once the runaway's 504 has counted too (it counts before it is sent): read while it ran, the figure
        // depended on whether its deadline came before the read
        assertThat(errors("spin")).as("the runaway's 504 and the 503 of a deployment whose every instance is busy count as its errors")
                .isEqualTo(errorsBefore + 2);
    }

    /**
     * Two deployments may serve one route (in the Kubernetes mode, pods of two workloads of one namespace that name the same
     * route): a run counts for the deployment whose replica ran it, also when the replica tried first was busy.
     */
    @Test
    void aRunCountsForTheDeploymentWhoseReplicaRanIt() {
        Assignment busy = http("pair-busy", "/pair", "hello.wasm", new DeploymentSpec.Limits(16, 1500, 1));
        Assignment free = http("pair-free", "/pair", "hello.wasm", null);
        platform.put(busy);
        platform.put(free);
        try {
            awaitPhase(busy.replicaId(), ReplicaPhase.Running);
            awaitPhase(free.replicaId(), ReplicaPhase.Running);
            try (LocalReplica.Slot held = replicas.find(busy.replicaId()).orElseThrow().trySlot().orElseThrow()) {
                // local replicas are taken in turn: of two requests in a row, one tries pair-busy first
                for (int i = 0; i < 4; i++) {
                    client().get().uri("/pair").exchange().expectStatus().isOk().expectBody(Void.class);
                }
            }
            assertThat(metric("nanolet_requests_seconds_count", "pair-free")).isEqualTo(4);
            assertThat(metric("nanolet_requests_seconds_count", "pair-busy")).isZero();
        } finally {
            platform.delete(busy.replicaId());
            platform.delete(free.replicaId());
        }
    }

    /** {@code deployment}'s {@code nanolet_request_errors_total} as the node's Prometheus endpoint says it (0 before its first). */
    private double errors(String deployment) {
        return metric("nanolet_request_errors_total", deployment);
    }

    /** The series {@code name} of {@code deployment} as the node's Prometheus endpoint says it (0 without one). */
    private double metric(String name, String deployment) {
        String metrics = client().get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        String series = name + "{deployment=\"" + deployment + "\",namespace=\"default\"} ";
        return metrics.lines().filter(l -> l.startsWith(series)).mapToDouble(l -> Double.parseDouble(l.substring(series.length())))
                .findFirst().orElse(0);
    }

    @Test
    void countsRequestsPerDeploymentForPrometheusAndTheLease() {
        client().get().uri("/hello").exchange().expectStatus().isOk().expectBody(Void.class);
        client().get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(b -> assertThat(b).contains("nanolet_requests_seconds_count{deployment=\"hello\",namespace=\"default\"}")
                        .contains("nanolet_requests_seconds_bucket"));
        await().until(() -> platform.leases.stream().flatMap(l -> l.deployments().stream())
                .anyMatch(d -> d.name().equals("hello") && d.requests() >= 1 && d.p99Ms() > 0));
    }

    /**
     * On one kept-alive connection, served requests and 404s in turn: each answers at once. A 404
     * answered in the same call as its request used to leave Reactor Netty no longer reading the
     * connection when that request had been queued behind the previous, still finishing, response;
     * the next request then waited for the client's timeout.
     */
    @Test
    void aKeptAliveConnectionAnswersPromptlyAfterA404() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int round = 0; round < 100; round++) {
                for (String path : List.of("/hello", "/hello", "/nowhere")) {
                    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: n\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    assertThat(KeepAlive.read(in)).as("round %d %s", round, path)
                            .startsWith(path.equals("/nowhere") ? "HTTP/1.1 404" : "HTTP/1.1 200");
                }
            }
        }
    }
}
