package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Followed logs hold a connection to platform-api for as long as their tab is open: however many tabs are open, they
 * must not leave the pages without one (sharing a pool with them, pages would all fail at their timeout). With room for
 * {@value #FOLLOWED} followed logs and as many page calls, {@value #TABS} tabs take every connection of the log pool and
 * more than the pages' pool has: {@value #FOLLOWED} follow, the others are told at once why they do not follow (one after
 * waiting for a connection up to the platform timeout), and the pages still answer. Ten tabs, not the 500 of Reactor Netty's shared pool that made the
 * pages fail before: with one pool for all, the tabs would all follow and be told nothing.
 */
class PlatformConnectionsTest extends ShortLimitsTest {
    private static final int FOLLOWED = ShortPlatformLimits.CONNECTIONS;
    private static final int TABS = 10;
    /** A quarter of the log pool's size waits for a connection up to the platform timeout before it is told. */
    private static final int WAITING = 1;
    private static final String STREAM = "/deployments/default/hello/logs/stream";

    @Test
    void openLogTabsCannotTakeThePagesConnections() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        API.stallLogs();
        // a connection per tab, none from the pool that the session's own requests to the dashboard use
        WebClient browser = WebClient.builder().baseUrl(baseUrl())
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection()))).build();
        Map<Integer, String> firstEvents = new ConcurrentHashMap<>();
        List<Disposable> open = IntStream.range(0, TABS).mapToObj(tab -> browser.get().uri(STREAM).cookies(session::cookie)
                .accept(MediaType.TEXT_EVENT_STREAM).retrieve().bodyToFlux(String.class)
                .subscribe(event -> firstEvents.putIfAbsent(tab, event))).toList();
        try {
            await().untilAsserted(() -> {
                assertThat(firstEvents.values()).filteredOn(e -> e.contains("hello line 1")).hasSize(FOLLOWED);
                assertThat(firstEvents.values()).as("told why they do not follow")
                        .filteredOn(e -> e.contains("log stream interrupted")).hasSizeGreaterThanOrEqualTo(TABS - FOLLOWED - WAITING);
            });
            UiSession.Response overview = session.get("/");
            assertThat(overview.status()).as(overview.body()).isEqualTo(200);
            // the one that waited is told once the pool's wait (the platform timeout) is over: reactor-pool's other exception
            await().until(() -> firstEvents.size() == TABS);
            assertThat(firstEvents.values()).filteredOn(e -> e.contains("log stream interrupted"))
                    .allMatch(e -> e.contains("all " + FOLLOWED + " of the dashboard")
                            && e.contains("connections to platform-api for followed logs, imports and uploads are in use"));
        } finally {
            open.forEach(Disposable::dispose);
        }
    }
}
