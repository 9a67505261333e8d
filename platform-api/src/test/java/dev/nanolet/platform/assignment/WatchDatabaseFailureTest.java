package dev.nanolet.platform.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.SseClient;
import dev.nanolet.platform.TestApiBase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A watch whose query fails (here: no connection to spare for 250 ms in a pool of three, one of them the LISTEN connection) ends, so that the
 * node reconnects and resumes; before, the stream's thread died and left the node waiting on a silent stream
 * (seen with 100 simulated nodes on two instances: 92 of 100 watches hung, thousands of replicas never started).
 */
@PlatformApiTest
@TestPropertySource(properties = {
    "spring.datasource.hikari.maximum-pool-size=3",
    "spring.datasource.hikari.connection-timeout=250",
    "nanolet.nodes.watch-heartbeat=200ms"
})
class WatchDatabaseFailureTest extends TestApiBase {
    @Autowired DataSource dataSource;
    @Autowired MeterRegistry meters;

    @Test
    void aWatchWhoseQueryFailsEndsAndCanBeResumed() throws Exception {
        api.register("dbfail-1", Map.of(), 10, 4096);
        String url = "http://localhost:" + port + "/api/v1/nodes/dbfail-1/assignments?watch=true";
        String lastEventId;
        try (SseClient watch = SseClient.open(url, api.credential("dbfail-1"), null)) {
            SseClient.Event snapshot = watch.next();
            assertThat(snapshot.name()).isEqualTo("snapshot");
            lastEventId = snapshot.id();

            List<Connection> held = new ArrayList<>();
            try {
                await().until(() -> {
                    try {
                        held.add(dataSource.getConnection()); // the instance's own work may hold one for a moment
                    } catch (SQLException busy) {
                        // try again
                    }
                    return held.size() == 2;
                });
                SseClient.Event end = nextOtherThanRoutes(watch);
                assertThat(end).as("the stream ends instead of going silent").isNotNull();
                assertThat(end.name()).isEqualTo("end");
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
        }
        try (SseClient resumed = SseClient.open(url, api.credential("dbfail-1"), lastEventId)) {
            assertThat(resumed.status()).isEqualTo(200);
            SseClient.Event first = resumed.poll(Duration.ofSeconds(2));
            assertThat(first == null || !first.name().equals("end")).as("the resumed stream stays open").isTrue();
        }
    }

    @Test
    void aWatchWhoseReadOnceFindsNoPooledConnectionReadsAgainInsteadOfEnding() throws Exception {
        api.register("dbwait-1", Map.of(), 10, 4096);
        String url = "http://localhost:" + port + "/api/v1/nodes/dbwait-1/assignments?watch=true";
        try (SseClient watch = SseClient.open(url, api.credential("dbwait-1"), null)) {
            assertThat(watch.next().name()).isEqualTo("snapshot");
            double missedBefore = poolTimeouts();
            List<Connection> held = new ArrayList<>();
            try {
                await().until(() -> {
                    try {
                        held.add(dataSource.getConnection());
                    } catch (SQLException busy) {
                        // try again
                    }
                    return held.size() == 2;
                });
                // the stream reads every heartbeat (200 ms): it is the one that waits for a connection and misses
                await().until(() -> poolTimeouts() > missedBefore);
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            SseClient.Event next = watch.poll(Duration.ofSeconds(2));
            assertThat(next == null || !next.name().equals("end")).as("the stream stays open after a missed read").isTrue();
        }
    }

    private double poolTimeouts() {
        var counter = meters.find("hikaricp.connections.timeout").counter();
        return counter == null ? 0 : counter.count();
    }

    private static SseClient.Event nextOtherThanRoutes(SseClient watch) throws InterruptedException {
        SseClient.Event e = watch.poll(Duration.ofSeconds(10));
        while (e != null && e.name().equals("routes")) {
            e = watch.poll(Duration.ofSeconds(10));
        }
        return e;
    }
}
