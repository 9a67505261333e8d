package dev.nanolet.platform.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.platform.replica.AssignmentLog;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/** A watch writes the events of one read of the log with one flush, not one flush per event; its end never throws. */
@PlatformApiTest
class WatchStreamFlushTest {
    @LocalServerPort int port;
    @Autowired JsonMapper json;
    @Autowired JdbcClient jdbc;
    @Autowired TransactionTemplate tx;
    @Autowired AssignmentLog log;
    @Autowired AssignmentQueries queries;
    @Autowired WatchSignals signals;
    @Autowired RouteSignals routes;

    /** Records what each write carried (the event names in it); fails the writes once told to, which ends the stream. */
    static final class RecordingEmitter extends SseEmitter {
        final List<List<String>> writes = new CopyOnWriteArrayList<>();
        volatile boolean hangUp;

        @Override
        public void send(SseEventBuilder event) throws IOException {
            send(event.build()); // SseEmitter's own goes straight to ResponseBodyEmitter's
        }

        @Override
        public synchronized void send(Set<DataWithMediaType> items) throws IOException {
            if (hangUp) {
                throw new IOException("the node went away");
            }
            writes.add(items.stream().map(d -> String.valueOf(d.getData()))
                    .filter(t -> t.startsWith("event:")).map(t -> t.substring("event:".length()).lines().findFirst().orElseThrow())
                    .toList());
        }

        /** Refuses the ending as Tomcat does once it has handled the client's error on its own thread. */
        volatile boolean containerEndedIt;

        @Override
        public void complete() {
            refuseIfContainerEndedIt();
            super.complete();
        }

        @Override
        public void completeWithError(Throwable ex) {
            refuseIfContainerEndedIt();
            super.completeWithError(ex);
        }

        private void refuseIfContainerEndedIt() {
            if (containerEndedIt) {
                throw new IllegalStateException("A non-container (application) thread attempted to use the AsyncContext after an error"
                        + " had occurred and the call to AsyncListener.onError() had returned.");
            }
        }

        /** How many {@code event} events were written, in all writes. */
        long count(String event) {
            return writes.stream().mapToLong(w -> w.stream().filter(event::equals).count()).sum();
        }
    }

    @Test
    void threeChangesReadAtOnceGoOutInOneWrite() {
        new TestApi(port, json).register("flush-1", Map.of(), 10, 4096);
        TestDeployments deployments = new TestDeployments(jdbc, json);
        long deployment = deployments.create("default", "flush", TestDeployments.http("/flush", 3));
        long before = jdbc.sql("SELECT coalesce(max(resource_version), 0) FROM assignment_changes").query(Long.class).single();
        Map<UUID, String> bound = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            bound.put(deployments.bound(deployment, "flush-1", "Scheduled"), "flush-1");
        }
        tx.executeWithoutResult(s -> {
            log.lockNode("flush-1");
            log.recordAll(AssignmentLog.Kind.added, bound);
        });

        var emitter = new RecordingEmitter();
        WatchSignal signal = signals.register("flush-1", 10);
        Thread stream = Thread.ofVirtual().start(new WatchStream("flush-1", "e", OptionalLong.of(before), signal, emitter, queries, null,
                signals, Duration.ofMillis(100), routes, () -> true));
        try {
            await().until(() -> emitter.count("added") >= 3);
            // (the control loop may act on the deployment meanwhile: its own changes may ride in the same write)
            assertThat(emitter.writes).as("one write with the three events")
                    .anyMatch(w -> w.stream().filter("added"::equals).count() == 3);
        } finally {
            emitter.hangUp = true;
            signal.nudge();
            await().atMost(Duration.ofSeconds(30)).until(() -> !stream.isAlive());
        }
    }

    /**
     * A stream resumed with nothing new to send writes at once, a comment: a response's headers go out with its first
     * write, and that was the first heartbeat (15 s by default, here minutes), so a node's open of its watch waited
     * for it. Ended by its credential no longer holding at the next read.
     */
    @Test
    void aResumedStreamWithNothingNewWritesACommentAtOnce() {
        new TestApi(port, json).register("flush-3", Map.of(), 10, 4096);
        long now = jdbc.sql("SELECT coalesce(max(resource_version), 0) FROM assignment_changes").query(Long.class).single();
        var emitter = new RecordingEmitter();
        AtomicBoolean revoked = new AtomicBoolean();
        WatchSignal signal = signals.register("flush-3", 1);
        Thread stream = Thread.ofVirtual().start(new WatchStream("flush-3", "e", OptionalLong.of(now), signal, emitter, queries, null,
                signals, Duration.ofMinutes(10), routes, () -> !revoked.get()));
        try {
            await("a first write, long before the heartbeat").until(() -> !emitter.writes.isEmpty());
            assertThat(emitter.writes.getFirst()).as("the first write: a comment, no event").isEmpty();
        } finally {
            revoked.set(true);
            signal.logChanged();
            await().atMost(Duration.ofSeconds(30)).until(() -> !stream.isAlive());
        }
    }

    /**
     * The client went away, and Tomcat handled that on its own thread before the stream ended the response (here the
     * emitter refuses the ending as Tomcat does then): the stream's thread ends quietly.
     */
    @Test
    void aStreamWhoseClientWentAwayEndsQuietlyWhenTomcatRefusesTheEnding() {
        new TestApi(port, json).register("flush-2", Map.of(), 10, 4096);
        var emitter = new RecordingEmitter();
        emitter.containerEndedIt = true;
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        WatchSignal signal = signals.register("flush-2", 1);
        Thread stream = Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> uncaught.add(e))
                .start(new WatchStream("flush-2", "e", OptionalLong.empty(), signal, emitter, queries, null, signals,
                        Duration.ofMillis(100), routes, () -> true));
        await().until(() -> emitter.count("snapshot") == 1);
        emitter.hangUp = true;
        signal.nudge();
        await().atMost(Duration.ofSeconds(30)).until(() -> !stream.isAlive());

        assertThat(uncaught).as("what escaped the stream's thread").isEmpty();
    }
}
