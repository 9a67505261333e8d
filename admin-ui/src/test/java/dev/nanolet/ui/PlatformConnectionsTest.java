package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Followed logs hold a connection to platform-api for as long as their tab is open: as many open tabs as Reactor Netty's
 * shared pool has connections must not leave the pages without one (they would all fail at their timeout). With room for
 * two, the others are told why they do not follow.
 */
@TestPropertySource(properties = "nanolet.platform.long-connections=2")
class PlatformConnectionsTest extends UiTest {
    private static final String STREAM = "/deployments/default/hello/logs/stream";

    @Test
    void openLogTabsCannotTakeThePagesConnections() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        API.stallLogs();
        // as many as Reactor Netty's shared pool holds per host (500): today's reach for a dashboard left open by a team
        int tabs = HttpResources.get().maxConnections();
        // a connection per tab, none from the pool that the session's own requests to the dashboard use
        WebClient browser = WebClient.builder().baseUrl(baseUrl())
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection()))).build();
        Map<Integer, String> firstEvents = new ConcurrentHashMap<>();
        List<Disposable> open = IntStream.range(0, tabs).mapToObj(tab -> browser.get().uri(STREAM).cookies(session::cookie)
                .accept(MediaType.TEXT_EVENT_STREAM).retrieve().bodyToFlux(String.class)
                .subscribe(event -> firstEvents.putIfAbsent(tab, event))).toList();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> firstEvents.size() == tabs);
            long start = System.nanoTime();
            UiSession.Response overview = session.get("/");
            assertThat(overview.status()).as(overview.body()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(firstEvents.values()).as("2 tabs follow, the others are told why not")
                    .filteredOn(e -> e.contains("hello line 1")).hasSize(2);
            assertThat(firstEvents.values()).filteredOn(e -> e.contains("log stream interrupted")).isNotEmpty()
                    .allMatch(e -> e.contains("all 2 of the dashboard") && e.contains("connections to platform-api for followed logs, imports and uploads are in use"));
        } finally {
            open.forEach(Disposable::dispose);
        }
    }
}
