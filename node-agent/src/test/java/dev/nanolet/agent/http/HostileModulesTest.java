package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.FakePlatform;
import dev.nanolet.agent.NodeAgentApplication;
import dev.nanolet.agent.runtime.WasmRuntime;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Hostile modules through the real data plane of a node with only two guest threads and 160 MiB of
 * linear memory for all guests: what they do costs their own requests, never the node's other
 * routes, and no engine text reaches a client.
 */
class HostileModulesTest {

    static final FakePlatform platform = new FakePlatform();
    static final Assignment hello = platform.httpAssignment("hello", "hello.wasm", null);
    static final Assignment iovec = platform.httpAssignment("iovec", "fixtures/iovec-flood.wasm", new DeploymentSpec.Limits(32, 1000, 4));
    static final Assignment tableBomb = platform.httpAssignment("table-bomb", "fixtures/table-bomb.wasm", null);
    /** 64 MiB from its start until its deadline; a deployment alone may hold half of the node's 160 MiB for guests. */
    static final Assignment hold = platform.httpAssignment("hold", "fixtures/hold-memory.wasm", new DeploymentSpec.Limits(64, 3000, 2));
    /** The same for 8 s a request: long enough for a job to arrive, compile and be refused on a slow machine. */
    static final Assignment holdLong = platform.httpAssignment("hold-long", "fixtures/hold-memory.wasm", new DeploymentSpec.Limits(64, 8000, 1));
    static final Assignment grow = platform.httpAssignment("grow", "fixtures/grow.wasm", new DeploymentSpec.Limits(256, 5000, 1));
    static ConfigurableApplicationContext node;
    static WebClient client;

    @BeforeAll
    static void start() throws Exception {
        List.of(hello, iovec, tableBomb, hold, holdLong, grow).forEach(platform::put);
        node = new SpringApplicationBuilder(NodeAgentApplication.class).run(
                "--server.port=0",
                "--nanolet.node.name=hostile-node",
                "--nanolet.node.data-dir=" + Files.createTempDirectory("nanolet-hostile"),
                "--nanolet.auth.node-token=" + FakePlatform.TOKEN,
                "--nanolet.platform.url=" + platform.url(),
                "--nanolet.platform.retry-min=50ms",
                "--nanolet.data-plane.guest-threads=2",
                "--nanolet.runtime.guest-memory=160MB",
                "--nanolet.data-plane.grace-period=1s");
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        client = WebClient.create("http://localhost:" + port);
        for (Assignment a : List.of(hello, iovec, tableBomb, hold, holdLong, grow)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> platform.last(a.replicaId()) != null
                    && platform.last(a.replicaId()).phase() == ReplicaPhase.Running);
        }
    }

    @AfterAll
    static void stop() {
        node.close();
        platform.close();
    }

    @Test
    void floodingStderrInOneHostCallCostsOnlyItsOwnRequests() {
        List<CompletableFuture<ResponseEntity<String>>> floods = IntStream.range(0, 4)
                .mapToObj(i -> get("/iovec").toFuture()).toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> floods.stream().allMatch(CompletableFuture::isDone));

        ResponseEntity<String> answer = get("/hello").block(Duration.ofSeconds(30));

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getBody()).isEqualTo("Hello from Wasm\n");
        // cut at the stderr cap (then no CGI answer: 502) or, on a slow machine, stopped at the deadline (504)
        assertThat(floods).allSatisfy(f -> assertThat(f.join().getStatusCode().value()).isIn(502, 504));
    }

    @Test
    void aHugeTableGrowIsRefusedInsideTheGuestAndNoJavaTextLeaks() {
        ResponseEntity<String> answer = get("/table-bomb").block(Duration.ofSeconds(30));

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getBody()).isEqualTo("grow refused\n").doesNotContain("java.");
    }

    @Test
    void memoryOtherRunsHoldIsA503ThatClearsWhenTheyEnd() {
        WasmRuntime runtime = node.getBean(WasmRuntime.class);
        await().until(() -> runtime.guestMemoryInUse() == 0);
        CompletableFuture<ResponseEntity<String>> holding = get("/hold").toFuture();
        await().until(() -> runtime.guestMemoryInUse() == 64L << 20);

        ResponseEntity<String> refused = get("/hold").block(Duration.ofSeconds(30));
        assertThat(refused.getStatusCode().value()).isEqualTo(503);
        assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(refused.getBody()).contains("this deployment's runs on the node would hold 128 MiB of linear memory, more than half"
                + " of its 160 MiB for guests; try again");
        assertThat(get("/hello").block(Duration.ofSeconds(30)).getStatusCode().value()).as("the rest is the others'").isEqualTo(200);
        await().until(() -> platform.eventsOf(hold.replicaId()).stream().anyMatch(e -> e.reason().equals("NodeMemory")));

        assertThat(holding.join().getStatusCode().value()).isEqualTo(504);
        await().until(() -> runtime.guestMemoryInUse() == 0);
    }

    /**
     * A job whose memory others hold cannot start: it waits, Starting with reason NodeMemory, and runs once the memory is
     * free, with no restart counted (with restartPolicy Never it used to fail for good).
     */
    @Test
    void aJobThatCannotStartForMemoryOthersHoldWaitsAndRunsWhenItIsFree() {
        WasmRuntime runtime = node.getBean(WasmRuntime.class);
        await().until(() -> runtime.guestMemoryInUse() == 0);
        CompletableFuture<ResponseEntity<String>> holding = get("/hold-long").toFuture(); // 64 MiB for 8 s
        await().until(() -> runtime.guestMemoryInUse() == 64L << 20);

        // 48 MiB more would leave less than a third of 160 MiB free for a third deployment
        Assignment job = platform.jobAssignment("big-start", "fixtures/big-start.wasm", new DeploymentSpec.Limits(64, 5000, 1));
        platform.put(job);
        await().until(() -> "NodeMemory".equals(reason(job)));
        ReplicaStatusReport waiting = platform.last(job.replicaId());
        assertThat(waiting.phase()).isEqualTo(ReplicaPhase.Starting);
        assertThat(waiting.message()).startsWith("waiting for the node's memory for guests: the module's memory could not be made:"
                + " the runs of 2 deployments on the node would hold 112 MiB");
        await().until(() -> platform.eventsOf(job.replicaId()).stream().anyMatch(e -> e.reason().equals("NodeMemory")));

        assertThat(holding.join().getStatusCode().value()).isEqualTo(504);
        await().atMost(Duration.ofSeconds(30)).until(() -> platform.last(job.replicaId()).phase() == ReplicaPhase.Succeeded);
        assertThat(platform.phases(job.replicaId())).doesNotContain(ReplicaPhase.Failed, ReplicaPhase.CrashLoopBackOff)
                .containsSubsequence(ReplicaPhase.Starting, ReplicaPhase.Running, ReplicaPhase.Succeeded);
        assertThat(platform.last(job.replicaId()).restarts()).isZero();
        assertThat(runtime.guestMemoryInUse()).isZero();
    }

    private static String reason(Assignment a) {
        ReplicaStatusReport last = platform.last(a.replicaId());
        return last == null ? null : last.reason();
    }

    @Test
    void aRunThatAloneNeedsMoreThanOneDeploymentMayHoldIsA500MemoryLimit() {
        ResponseEntity<String> answer = get("/grow").block(Duration.ofSeconds(30));

        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getBody()).contains("the module tried to grow its memory, and this run alone would hold more than the 80 MiB"
                + " of linear memory one deployment may hold on this node (half of its 160 MiB for guests)");
        await().until(() -> platform.eventsOf(grow.replicaId()).stream().anyMatch(e -> e.reason().equals("MemoryLimit")));
    }

    private static reactor.core.publisher.Mono<ResponseEntity<String>> get(String path) {
        return client.get().uri(path).exchangeToMono(r -> r.toEntity(String.class));
    }
}
