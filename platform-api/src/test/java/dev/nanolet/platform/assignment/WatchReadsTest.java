package dev.nanolet.platform.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.platform.replica.AssignmentLog;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A watch reads its node's log when that log grew, not when only the route table changed: a route change
 * wakes every node's stream, and a read each made every replica that started running cost one query per node.
 */
@PlatformApiTest
// its own lease of 5 min: the route it moves must keep its serving node for the whole test, or no move is announced
@TestPropertySource(properties = "nanolet.nodes.lease-duration=5m")
class WatchReadsTest {
    @LocalServerPort int port;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    @Autowired TransactionTemplate tx;
    @Autowired AssignmentLog log;
    @Autowired AssignmentQueries queries;
    @Autowired WatchSignals signals;
    @Autowired RouteSignals routes;

    @Test
    void routeChangesAreAnnouncedWithoutReadingTheLogAndTheLogIsReadWhenItGrows() {
        new TestApi(port, json).register("reads-1", Map.of(), 10, 4096);
        TestDeployments deployments = new TestDeployments(jdbc, json);
        new TestApi(port, json).register("reads-2", Map.of(), 10, 4096);
        long routed = deployments.create("default", "reads-route", TestDeployments.http("/reads-route", 1));
        deployments.bound(routed, "reads-2", "Running"); // served by another node: moving it changes the route table
        long before = jdbc.sql("SELECT coalesce(max(resource_version), 0) FROM assignment_changes").query(Long.class).single();
        AssignmentQueries counted = mock(AssignmentQueries.class, delegatesTo(queries)); // (a spy cannot wrap the transactional proxy)
        var emitter = new WatchStreamFlushTest.RecordingEmitter();
        WatchSignal signal = signals.register("reads-1", 10);
        Thread stream = Thread.ofVirtual().start(new WatchStream("reads-1", "e", OptionalLong.of(before), signal, emitter, counted, null,
                signals, Duration.ofMinutes(5), routes));
        try {
            await().untilAsserted(() -> verify(counted).changesAfter(eq("reads-1"), anyLong(), anyInt())); // its first read
            for (int i = 1; i <= 10; i++) {
                moveRoute(routed, "/reads-route-" + i);
                int announced = i;
                await().until(() -> count(emitter, "routes") >= announced);
            }
            verify(counted, times(1)).changesAfter(eq("reads-1"), anyLong(), anyInt());

            long deployment = deployments.create("default", "reads", TestDeployments.http("/reads", 1));
            UUID replica = deployments.bound(deployment, "reads-1", "Scheduled");
            tx.executeWithoutResult(s -> {
                log.lockNode("reads-1");
                log.recordAll(AssignmentLog.Kind.added, Map.of(replica, "reads-1"));
            });
            await().until(() -> count(emitter, "added") == 1);
            verify(counted, atLeast(2)).changesAfter(eq("reads-1"), anyLong(), anyInt());
        } finally {
            emitter.hangUp = true;
            moveRoute(routed, "/reads-route-last"); // its next write fails, which ends it
            await().atMost(Duration.ofSeconds(10)).until(() -> !stream.isAlive());
        }
    }

    @Test
    void routeChangesMoreOftenThanTheHeartbeatStillLetTheLogBeReadOncePerHeartbeat() {
        new TestApi(port, json).register("reads-3", Map.of(), 10, 4096);
        new TestApi(port, json).register("reads-4", Map.of(), 10, 4096);
        TestDeployments deployments = new TestDeployments(jdbc, json);
        long routed = deployments.create("default", "reads-often", TestDeployments.http("/reads-often", 1));
        deployments.bound(routed, "reads-4", "Running");
        long before = jdbc.sql("SELECT coalesce(max(resource_version), 0) FROM assignment_changes").query(Long.class).single();
        AssignmentQueries counted = mock(AssignmentQueries.class, delegatesTo(queries));
        var emitter = new WatchStreamFlushTest.RecordingEmitter();
        WatchSignal signal = signals.register("reads-3", 10);
        Thread stream = Thread.ofVirtual().start(new WatchStream("reads-3", "e", OptionalLong.of(before), signal, emitter, counted, null,
                signals, Duration.ofMillis(500), routes));
        try {
            long start = System.nanoTime();
            for (int i = 1; System.nanoTime() - start < Duration.ofMillis(1600).toNanos(); i++) {
                moveRoute(routed, "/reads-often-" + i); // a wake-up well within every heartbeat
                int announced = i;
                await().until(() -> count(emitter, "routes") >= announced);
            }
            verify(counted, atLeast(3)).changesAfter(eq("reads-3"), anyLong(), anyInt()); // the first, then one per 500 ms
        } finally {
            emitter.hangUp = true;
            moveRoute(routed, "/reads-often-last");
            await().atMost(Duration.ofSeconds(10)).until(() -> !stream.isAlive());
        }
    }

    /** A change of the route table (which wakes every stream), not of any node's log. */
    private void moveRoute(long deployment, String path) {
        jdbc.sql("UPDATE deployments SET http_path = ? WHERE id = ?").params(path, deployment).update();
    }

    private static long count(WatchStreamFlushTest.RecordingEmitter emitter, String event) {
        return emitter.writes.stream().mapToLong(w -> w.stream().filter(event::equals).count()).sum();
    }
}
