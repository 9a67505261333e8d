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

    /** A watch of {@code node}'s log with its reads counted, and a route served by another node, to move. */
    private record Watched(String node, AssignmentQueries counted, WatchStreamFlushTest.RecordingEmitter emitter, long route,
            Thread stream, WatchReadsTest test) implements AutoCloseable {
        void verifyReads(org.mockito.verification.VerificationMode mode) {
            verify(counted, mode).changesAfter(eq(node), anyLong(), anyInt());
        }

        @Override
        public void close() {
            emitter.hangUp = true;
            test.moveRoute(route, "/" + node + "-last"); // its next write fails, which ends it
            await().atMost(Duration.ofSeconds(30)).until(() -> !stream.isAlive());
        }
    }

    private Watched watch(String node, String other, Duration heartbeat) {
        new TestApi(port, json).register(node, Map.of(), 10, 4096);
        new TestApi(port, json).register(other, Map.of(), 10, 4096);
        TestDeployments deployments = new TestDeployments(jdbc, json);
        long routed = deployments.create("default", node + "-route", TestDeployments.http("/" + node + "-route", 1));
        deployments.bound(routed, other, "Running"); // served by another node: moving it changes the route table
        long before = jdbc.sql("SELECT coalesce(max(resource_version), 0) FROM assignment_changes").query(Long.class).single();
        AssignmentQueries counted = mock(AssignmentQueries.class, delegatesTo(queries)); // (a spy cannot wrap the transactional proxy)
        var emitter = new WatchStreamFlushTest.RecordingEmitter();
        WatchSignal signal = signals.register(node, 10);
        Thread stream = Thread.ofVirtual().start(new WatchStream(node, "e", OptionalLong.of(before), signal, emitter, counted, null,
                signals, heartbeat, routes, () -> true));
        return new Watched(node, counted, emitter, routed, stream, this);
    }

    /** Moves {@code w}'s route once more and waits until its stream announced it. */
    private void moveAndAwait(Watched w, int i) {
        moveRoute(w.route(), "/" + w.node() + "-route-" + i);
        await().until(() -> w.emitter().count("routes") >= i);
    }

    @Test
    void routeChangesAreAnnouncedWithoutReadingTheLogAndTheLogIsReadWhenItGrows() {
        try (Watched w = watch("reads-1", "reads-2", Duration.ofMinutes(5))) {
            await().untilAsserted(() -> w.verifyReads(times(1))); // its first read
            for (int i = 1; i <= 10; i++) {
                moveAndAwait(w, i);
            }
            w.verifyReads(times(1));

            TestDeployments deployments = new TestDeployments(jdbc, json);
            long deployment = deployments.create("default", "reads", TestDeployments.http("/reads", 1));
            UUID replica = deployments.bound(deployment, "reads-1", "Scheduled");
            tx.executeWithoutResult(s -> {
                log.lockNode("reads-1");
                log.recordAll(AssignmentLog.Kind.added, Map.of(replica, "reads-1"));
            });
            await().until(() -> w.emitter().count("added") == 1);
            w.verifyReads(atLeast(2));
        }
    }

    @Test
    void routeChangesMoreOftenThanTheHeartbeatStillLetTheLogBeReadOncePerHeartbeat() {
        try (Watched w = watch("reads-3", "reads-4", Duration.ofMillis(500))) {
            long start = System.nanoTime();
            for (int i = 1; System.nanoTime() - start < Duration.ofMillis(1600).toNanos(); i++) {
                moveAndAwait(w, i); // a wake-up well within every heartbeat
            }
            w.verifyReads(atLeast(3)); // the first, then one per 500 ms
        }
    }

    /** A change of the route table (which wakes every stream), not of any node's log. */
    private void moveRoute(long deployment, String path) {
        jdbc.sql("UPDATE deployments SET http_path = ? WHERE id = ?").params(path, deployment).update();
    }
}
