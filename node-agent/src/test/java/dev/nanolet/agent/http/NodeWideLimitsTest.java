package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.FakePlatform;
import dev.nanolet.agent.NodeAgentApplication;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What one node holds for all its clients together, on a real node with one guest thread, a 1 MiB
 * body cap and a 2 MiB body budget; and a second node that only forwards to it, so a request can be
 * seen both ways (served where it arrived, and forwarded).
 */
class NodeWideLimitsTest {

    static final int MIB = 1024 * 1024;
    static final FakePlatform platform = new FakePlatform();
    static final FakePlatform forwarderPlatform = new FakePlatform();
    static final Assignment echo = platform.httpAssignment("echo", "echo.wasm", new DeploymentSpec.Limits(16, 5000, 8));
    static final Assignment env = platform.httpAssignment("env", "fixtures/plant-cookie.wasm", null);
    static final Assignment spin = platform.httpAssignment("spin", "spin.wasm", new DeploymentSpec.Limits(16, 3000, 1));
    static final Assignment quick = platform.httpAssignment("quick", "hello.wasm", new DeploymentSpec.Limits(16, 200, 1));
    static final Assignment flood = platform.httpAssignment("flood", "fixtures/flood.wasm", new DeploymentSpec.Limits(16, 1000, 1));
    static ConfigurableApplicationContext node;
    static ConfigurableApplicationContext forwarder;
    static int port;
    static int forwarderPort;

    @BeforeAll
    static void start() throws Exception {
        List.of(echo, env, spin, quick, flood).forEach(platform::put);
        node = start(platform, "limits-node",
                "--nanolet.data-plane.guest-threads=1",
                "--nanolet.data-plane.max-request-bytes=1MB",
                "--nanolet.http.body-budget=2MB",
                "--nanolet.http.response-budget=2MB",
                "--nanolet.http.body-timeout=2s",
                "--nanolet.runtime.overrun-grace=300ms",
                // /spin must hold the one guest thread: a spin put in the background would be replaced (GuestPoolBackgroundTest)
                "--nanolet.runtime.background-after=0");
        port = ((WebServerApplicationContext) node).getWebServer().getPort();
        forwarderPlatform.routes(List.of(new Route("/env", "default", "env", List.of("http://127.0.0.1:" + port)),
                new Route("/echo", "default", "echo", List.of("http://127.0.0.1:" + port))));
        forwarder = start(forwarderPlatform, "forwarding-node");
        forwarderPort = ((WebServerApplicationContext) forwarder).getWebServer().getPort();
        for (Assignment a : List.of(echo, env, spin, quick, flood)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> platform.last(a.replicaId()) != null
                    && platform.last(a.replicaId()).phase() == ReplicaPhase.Running);
        }
    }

    static ConfigurableApplicationContext start(FakePlatform p, String name, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--nanolet.node.name=" + name,
                "--nanolet.node.data-dir=" + Files.createTempDirectory("nanolet-" + name),
                "--nanolet.auth.node-token=" + FakePlatform.TOKEN,
                "--nanolet.platform.url=" + p.url(),
                "--nanolet.platform.retry-min=50ms",
                "--nanolet.platform.routes-refresh-interval=200ms",
                "--nanolet.data-plane.grace-period=1s",
                // the two nodes share reactor-netty's global event loops: the first one closed disposes them while the other
                // still sends on them every 200 ms, so the loops never had the default 2 s of quiet and the close waited out
                // its 15 s bound ("LoopResources couldn't be disposed within 15000ms") at the end of every run
                "--spring.reactor.netty.shutdown-quiet-period=0s"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(NodeAgentApplication.class).run(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        forwarder.close();
        node.close();
        platform.close();
        forwarderPlatform.close();
    }

    @Test
    void bodiesHeldAcrossConnectionsStayWithinTheNodesBudgetWhicheverWayARequestEnds() throws Exception {
        BodyBudget budget = node.getBean(BodyBudget.class);
        try (Socket first = open(); Socket second = open(); Socket stalled = open()) {
            // two 1 MiB bodies on their way fill the 2 MiB budget (each is under the per-request cap)
            write(first, "POST /echo HTTP/1.1\r\nHost: n\r\nContent-Length: " + MIB + "\r\nConnection: close\r\n\r\n" + "a".repeat(1000));
            write(second, "POST /echo HTTP/1.1\r\nHost: n\r\nContent-Length: " + MIB + "\r\n\r\n" + "b".repeat(1000));
            await().until(() -> budget.held() == 2L * MIB);

            // a third large body, a small one, a chunked one: 503 + Retry-After without their bodies ever being sent
            for (String head : List.of("Content-Length: " + MIB + "\r\n\r\n", "Content-Length: 10\r\n\r\n",
                    "Transfer-Encoding: chunked\r\n\r\n3e8\r\n" + "c".repeat(1000) + "\r\n")) {
                String answer = send("POST /echo HTTP/1.1\r\nHost: n\r\n" + head);
                assertThat(answer).as(head).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 1")
                        .contains("application/problem+json").contains("request bodies");
            }
            // forwarded, the client gets the serving node's 503, and its connection closes as the serving node's does (the body
            // is not read): the forwarding node holds no body and has its own budget, so the serving node's budget answers
            String forwarded = send(forwarderPort, "POST /echo HTTP/1.1\r\nHost: n\r\nContent-Length: 10\r\n\r\n");
            assertThat(forwarded).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 1").contains("request bodies");
            // a body above the per-request cap is 413 whatever the budget holds
            assertThat(send("POST /echo HTTP/1.1\r\nHost: n\r\nContent-Length: " + (MIB + 1) + "\r\n\r\n")).startsWith("HTTP/1.1 413");
            // no body, no budget needed
            assertThat(send("GET /echo HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");

            // success: the first body arrives whole and is echoed
            write(first, "a".repeat(MIB - 1000));
            assertThat(readAll(first)).startsWith("HTTP/1.1 200").endsWith("a".repeat(MIB));
            // cancel: the second client goes away mid-body
            second.close();
            await().until(() -> budget.held() == 0);

            // timeout: a body that stops arriving is 408 at the body timeout, and its reservation goes back
            write(stalled, "POST /echo HTTP/1.1\r\nHost: n\r\nContent-Length: " + MIB + "\r\n\r\nxyz");
            await().until(() -> budget.held() == MIB);
            assertThat(readAll(stalled)).startsWith("HTTP/1.1 408");
            await().until(() -> budget.held() == 0);
        }
        // the whole budget is there again: two concurrent full-size bodies pass
        var both = List.of(CompletableFuture.supplyAsync(() -> post(MIB)), CompletableFuture.supplyAsync(() -> post(MIB)));
        assertThat(both).allSatisfy(f -> assertThat(f.get()).startsWith("HTTP/1.1 200"));
        await().until(() -> budget.held() == 0);
    }

    @Test
    void responsesHeldAtOnceStayWithinTheNodesBudget() throws Exception {
        ResponseBudget budget = node.getBean(ResponseBudget.class);
        // an output flood (the per-response cap is 32 MB) ends where the node's 2 MB are used up: 503, not 502 and not the heap
        String flooded = send("GET /flood HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n");
        assertThat(flooded).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 1").contains("application/problem+json")
                .contains("as many response bytes as it can (2097152 bytes");
        await().until(() -> budget.held() == 0);
        assertThat(send("GET /quick HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        // a response past the uncounted 256 KiB that fits is whole, and its reservation goes back once it is written
        assertThat(post(MIB)).startsWith("HTTP/1.1 200").endsWith("p".repeat(MIB));
        await().until(() -> budget.held() == 0);
    }

    @Test
    void aRequestWaitingForAGuestThreadAnswers504AtItsDeadlinePlusTheOverrunGrace() throws Exception {
        try (Socket busy = open()) {
            write(busy, "GET /spin HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n"); // holds the one guest thread for 3 s
            await().until(() -> node.getBean(dev.nanolet.agent.replica.Replicas.class).find(spin.replicaId())
                    .orElseThrow().freeSlots() == 0);
            long start = System.nanoTime();
            String answer = send("GET /quick HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n");
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(answer).startsWith("HTTP/1.1 504").contains("no answer within 200 ms");
            // the deadline (200 ms) plus the grace (300 ms), not plus a fixed 2 s: a timer never fires early, so that would answer
            // at 2200 ms at the earliest, while what this machine's load adds to the 500 ms has no bound of its own
            assertThat(millis).isGreaterThanOrEqualTo(500).isLessThan(2200);
            assertThat(readAll(busy)).startsWith("HTTP/1.1 504");
        }
    }

    @Test
    void requestUriIsTheCanonicalPathWhetherServedHereOrForwarded() throws Exception {
        String request = "GET /env//a/./b/../c%7e?q=%41+1 HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n";
        String here = send(port, request);
        String forwarded = send(forwarderPort, request);

        assertThat(here).startsWith("HTTP/1.1 200").contains("\nREQUEST_URI=/env/a/c~?q=%41+1\n");
        assertThat(forwarded).startsWith("HTTP/1.1 200").contains("\nREQUEST_URI=/env/a/c~?q=%41+1\n");
        assertThat(line(here, "PATH_INFO=")).isEqualTo(line(forwarded, "PATH_INFO=")).isEqualTo("PATH_INFO=/a/c~");
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
    }

    private static String post(int bytes) {
        try {
            return send("POST /echo HTTP/1.1\r\nHost: n\r\nContent-Length: " + bytes + "\r\nConnection: close\r\n\r\n" + "p".repeat(bytes));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Socket open() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        return s;
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String send(String request) throws IOException {
        return send(port, request);
    }

    private static String send(int to, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", to)) {
            s.setSoTimeout(20_000);
            write(s, request);
            return readAll(s);
        }
    }

    private static String readAll(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
