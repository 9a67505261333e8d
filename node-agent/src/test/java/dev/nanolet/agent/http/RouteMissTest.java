package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.AgentTestBase;
import dev.nanolet.agent.control.ControlPlane;
import dev.nanolet.wire.Route;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/** A request that finds no route fetches the route table before it answers 404 (the periodic refresh is off here). */
class RouteMissTest extends AgentTestBase {

    static final int MISSES = 100;

    static final DisposableServer otherNode = HttpServer.create().port(0)
            .handle((req, res) -> res.sendString(Mono.just("other node saw " + req.uri()))).bindNow();

    @DynamicPropertySource
    static void noPeriodicRefresh(DynamicPropertyRegistry r) {
        r.add("nanolet.platform.routes-refresh-interval", () -> "1h");
        r.add("nanolet.platform.routes-miss-interval", () -> "0s");
        r.add("nanolet.forwarding.response-timeout", () -> "1s");
    }

    @Autowired
    MeterRegistry meters;

    @AfterAll
    static void stopOtherNode() {
        otherNode.disposeNow();
    }

    @BeforeEach
    void startupFetchDone() {
        await().until(() -> routeFetchesAnswered() > 0);
    }

    @AfterEach
    void noDelay() {
        platform.routesDelay = Duration.ZERO;
        platform.releaseRoutes();
    }

    @Test
    void aRouteAddedAfterTheLastFetchAnswersOnTheFirstRequest() {
        platform.routes(with(new Route("/fresh", "default", "fresh", List.of("http://localhost:" + otherNode.port()))));
        client().get().uri("/fresh/x").exchange().expectStatus().isOk()
                .expectBody(String.class).isEqualTo("other node saw /fresh/x");
    }

    @Test
    void aRouteWhoseNodeIsGoneIsFetchedAgainAndForwardedToItsNewNode() {
        DisposableServer gone = HttpServer.create().port(0).handle((req, res) -> res.send()).bindNow();
        String goneAddress = "http://localhost:" + gone.port();
        gone.disposeNow();
        platform.routes(with(new Route("/moved", "default", "moved", List.of(goneAddress))));
        client().get().uri("/moved").exchange().expectBody(Void.class);
        platform.routes(with(new Route("/moved", "default", "moved", List.of("http://localhost:" + otherNode.port()))));
        client().get().uri("/moved/x").exchange().expectStatus().isOk()
                .expectBody(String.class).isEqualTo("other node saw /moved/x");
    }

    @Test
    void aRouteWhoseNodeNoLongerServesItIsFetchedAgain() {
        DisposableServer stale = HttpServer.create().port(0)
                .handle((req, res) -> res.status(404).header(Forwarder.NO_ROUTE, "1").send()).bindNow();
        try {
            platform.routes(with(new Route("/left", "default", "left", List.of("http://localhost:" + stale.port()))));
            client().get().uri("/left").exchange().expectBody(Void.class);
            platform.routes(with(new Route("/left", "default", "left", List.of("http://localhost:" + otherNode.port()))));
            client().get().uri("/left/x").exchange().expectStatus().isOk()
                    .expectBody(String.class).isEqualTo("other node saw /left/x");
        } finally {
            stale.disposeNow();
        }
    }

    /** A node that takes the connection and closes it without an answer: 502 that says so, and none of Netty's text. */
    @Test
    void aNodeThatHangsUpAnswers502WithoutJavaText() throws IOException {
        try (ServerSocket hangsUp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                while (!hangsUp.isClosed()) {
                    try (Socket s = hangsUp.accept()) {
                        s.getInputStream().read();
                    } catch (IOException closed) {
                        // the test is over
                    }
                }
            });
            String address = "http://127.0.0.1:" + hangsUp.getLocalPort();
            platform.routes(with(new Route("/hangs-up", "default", "hangs-up", List.of(address))));
            client().get().uri("/hangs-up").exchange().expectStatus().isEqualTo(502)
                    .expectBody(String.class).value(body -> assertThat(body)
                            .contains(address + " closed the connection without answering")
                            .doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("prematurely"));
        } finally {
            platform.routes(platform.routes().stream().filter(r -> !r.path().equals("/hangs-up")).toList());
        }
    }

    /**
     * A node that takes the request and never answers, or sends its answer's header section and then nothing of its body:
     * 504 once the response timeout is over, not a client held for ever (after a header section it was 500, from the node's
     * error handler: the relay had handed the answer over before its body failed).
     */
    @Test
    void aNodeThatStopsAnsweringAnswers504() throws IOException {
        for (String sent : List.of("", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")) {
            stalling(sent, address -> client().mutate().responseTimeout(Duration.ofSeconds(10)).build()
                    .get().uri("/stalls").exchange().expectStatus().isEqualTo(504)
                    .expectBody(String.class).value(body -> assertThat(body).as(sent).contains(address + " did not answer in time")));
        }
    }

    /** A node that falls silent within its answer's body: once the response timeout is over, the client's connection ends mid-body. */
    @Test
    void aNodeThatStopsWithinItsBodyEndsTheClientsConnection() throws IOException {
        stalling("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", address -> {
            try (Socket s = new Socket("localhost", port)) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write("GET /stalls HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                assertThat(RawHttp.header(in).headers()).containsEntry("content-length", "10");
                assertThat(in.readAllBytes()).as("the body so far, then the connection's end").asString(StandardCharsets.ISO_8859_1).isEqualTo("abc");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Runs {@code test} with {@code /stalls} routed to a node (its address given) that reads each request, sends {@code sent} and nothing more. */
    private void stalling(String sent, Consumer<String> test) throws IOException {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket stalls = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                while (!stalls.isClosed()) {
                    try {
                        Socket s = stalls.accept();
                        held.add(s);
                        readHeaderSection(s.getInputStream());
                        s.getOutputStream().write(sent.getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException closed) {
                        // the test is over
                    }
                }
            });
            String address = "http://127.0.0.1:" + stalls.getLocalPort();
            platform.routes(with(new Route("/stalls", "default", "stalls", List.of(address))));
            test.accept(address);
        } finally {
            platform.routes(platform.routes().stream().filter(r -> !r.path().equals("/stalls")).toList());
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** Reads {@code in} up to the blank line that ends a header section (a request without body). */
    private static void readHeaderSection(InputStream in) throws IOException {
        for (int c, matched = 0; matched < 4 && (c = in.read()) >= 0; ) {
            matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : c == '\r' ? 1 : 0;
        }
    }

    /** The platform's routes with {@code route} in place of any of the same path. */
    private static List<Route> with(Route route) {
        return Stream.concat(platform.routes().stream().filter(r -> !r.path().equals(route.path())), Stream.of(route)).toList();
    }

    /**
     * The platform holds its answer until every miss is inside this node, so all of them meet the fetch in
     * flight however slowly a loaded machine lets them arrive. The fetches counted are those this node's
     * misses start ({@link MissFetches}): the other agent contexts of this JVM poll the same fake platform.
     */
    @Test
    void concurrentMissesShareOneFetch() throws Exception {
        int before = MissFetches.started.get();
        platform.holdRoutes();
        ConnectionProvider connections = ConnectionProvider.builder("misses").maxConnections(MISSES).build();
        try {
            WebClient web = WebClient.builder().baseUrl("http://localhost:" + port)
                    .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections))).build();
            CompletableFuture<List<Integer>> statuses = Flux.range(0, MISSES)
                    .flatMap(i -> web.get().uri("/nowhere/" + i).exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), MISSES)
                    .collectList().toFuture();
            await().until(this::requestsInProgress, n -> n >= MISSES);
            assertThat(MissFetches.started.get() - before).as("fetches started while %d misses wait", MISSES).isEqualTo(1);
            platform.releaseRoutes();
            assertThat(statuses.get(60, TimeUnit.SECONDS)).hasSize(MISSES).containsOnly(404);
        } finally {
            platform.releaseRoutes();
            connections.dispose();
        }
        assertThat(MissFetches.started.get() - before).as("fetches started by %d misses", MISSES).isEqualTo(1);
    }

    /** Requests this node has taken and not yet answered. */
    private long requestsInProgress() {
        return meters.find("http.server.requests.active").longTaskTimers().stream().mapToLong(LongTaskTimer::activeTasks).sum();
    }

    /** Route table requests this node has made and seen answered. */
    private long routeFetchesAnswered() {
        return meters.find("http.client.requests").tag("uri", "/api/v1/routes").timers().stream().mapToLong(Timer::count).sum();
    }

    /** Counts the route fetches that misses start: the source {@link MissRefresh} is given, in front of the control plane. */
    @TestConfiguration(proxyBeanMethods = false)
    static class MissFetches {
        static final AtomicInteger started = new AtomicInteger();

        @Bean
        @Primary
        RouteSource countedRouteSource(ControlPlane upstream) {
            return () -> {
                started.incrementAndGet();
                return upstream.routes();
            };
        }
    }

    @Test
    void aForwardedRequestThatMissesAnswersWithoutFetchingAndSaysSo() {
        platform.routesDelay = Duration.ofSeconds(10);
        client().mutate().responseTimeout(Duration.ofSeconds(5)).build()
                .get().uri("/nowhere").header(Forwarder.FORWARDED, "1").exchange().expectStatus().isNotFound()
                .expectHeader().valueEquals(Forwarder.NO_ROUTE, "1").expectBody(Void.class);
    }
}
