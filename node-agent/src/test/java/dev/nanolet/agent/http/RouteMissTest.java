package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.AgentTestBase;
import dev.nanolet.wire.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** A request that finds no route fetches the route table before it answers 404 (the periodic refresh is off here). */
class RouteMissTest extends AgentTestBase {

    static final DisposableServer otherNode = HttpServer.create().port(0)
            .handle((req, res) -> res.sendString(Mono.just("other node saw " + req.uri()))).bindNow();

    @DynamicPropertySource
    static void noPeriodicRefresh(DynamicPropertyRegistry r) {
        r.add("nanolet.platform.routes-refresh-interval", () -> "1h");
        r.add("nanolet.platform.routes-miss-interval", () -> "0s");
    }

    @AfterAll
    static void stopOtherNode() {
        otherNode.disposeNow();
    }

    @BeforeEach
    void startupFetchDone() {
        await().until(() -> platform.routeFetches.get() > 0);
    }

    @AfterEach
    void noDelay() {
        platform.routesDelay = Duration.ZERO;
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
        client().get().uri("/moved").exchange();
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
            client().get().uri("/left").exchange();
            platform.routes(with(new Route("/left", "default", "left", List.of("http://localhost:" + otherNode.port()))));
            client().get().uri("/left/x").exchange().expectStatus().isOk()
                    .expectBody(String.class).isEqualTo("other node saw /left/x");
        } finally {
            stale.disposeNow();
        }
    }

    /** A node that takes the connection and closes it without an answer: 502, and none of Netty's text. */
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
                            .contains("cannot reach " + address)
                            .doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("prematurely"));
        } finally {
            platform.routes(platform.routes().stream().filter(r -> !r.path().equals("/hangs-up")).toList());
        }
    }

    /** The platform's routes with {@code route} in place of any of the same path. */
    private static List<Route> with(Route route) {
        return Stream.concat(platform.routes().stream().filter(r -> !r.path().equals(route.path())), Stream.of(route)).toList();
    }

    @Test
    void concurrentMissesShareOneFetch() {
        platform.routesDelay = Duration.ofMillis(1500);
        int before = platform.routeFetches.get();
        WebClient web = WebClient.create("http://localhost:" + port);
        List<Integer> statuses = Flux.range(0, 100)
                .flatMap(i -> web.get().uri("/nowhere/" + i).exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), 100)
                .collectList().block(Duration.ofSeconds(30));
        assertThat(statuses).hasSize(100).containsOnly(404);
        assertThat(platform.routeFetches.get() - before).isBetween(1, 3);
    }

    @Test
    void aForwardedRequestThatMissesAnswersWithoutFetchingAndSaysSo() {
        platform.routesDelay = Duration.ofSeconds(10);
        client().mutate().responseTimeout(Duration.ofSeconds(5)).build()
                .get().uri("/nowhere").header(Forwarder.FORWARDED, "1").exchange().expectStatus().isNotFound()
                .expectHeader().valueEquals(Forwarder.NO_ROUTE, "1");
    }
}
