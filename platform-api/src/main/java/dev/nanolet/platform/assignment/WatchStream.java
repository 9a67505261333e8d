package dev.nanolet.platform.assignment;

import dev.nanolet.platform.replica.AssignmentLog;
import dev.nanolet.platform.web.StreamEnd;
import dev.nanolet.wire.AssignmentSnapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One node's watch: a snapshot (or, resuming from a checked {@code Last-Event-ID}, a {@code resumed} comment), then every change of
 * the node's log in order (all events of one read of the log written and flushed at once), a {@code routes} event when the route table may have changed (the node
 * refetches it; announced without reading the log, which is read only when the node's own log grew: a route
 * change wakes every node's stream, and with 100 nodes a read each was 100 queries per change), and a heartbeat
 * comment when idle (then the log is read once more, in case a notification was lost); secret values are filled in when {@code delivery} is
 * set (the node's own credential). Runs on its own virtual thread
 * until the client goes away, until its credential no longer names the node (checked after each read of the log, before
 * what it read is sent: a deleted node's credential is revoked, and the name may be registered again), or until a query fails (or finds no pooled connection {@value #POOL_WAITS} times in a
 * row): then the stream ends and the node resumes it.
 */
final class WatchStream implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(WatchStream.class);
    private static final int BATCH = 500;
    /**
     * Reads of the log in a row that may find no pooled connection within the pool's wait before the stream
     * ends: a burst that holds every connection for a few seconds costs the node nothing, an outage still ends it.
     */
    static final int POOL_WAITS = 3;

    private final String node;
    private final String epoch;
    private final OptionalLong resume;
    private final WatchSignal signal;
    private final SseEmitter emitter;
    private final AssignmentQueries queries;
    private final SecretDelivery delivery;
    private final WatchSignals signals;
    private final Duration heartbeat;
    private final RouteSignals routes;
    private final BooleanSupplier credentialValid;
    private volatile boolean closed;

    WatchStream(String node, String epoch, OptionalLong resume, WatchSignal signal, SseEmitter emitter,
            AssignmentQueries queries, SecretDelivery delivery, WatchSignals signals, Duration heartbeat, RouteSignals routes,
            BooleanSupplier credentialValid) {
        this.node = node;
        this.epoch = epoch;
        this.resume = resume;
        this.signal = signal;
        this.emitter = emitter;
        this.queries = queries;
        this.delivery = delivery;
        this.signals = signals;
        this.heartbeat = heartbeat;
        this.routes = routes;
        this.credentialValid = credentialValid;
    }

    @Override
    public void run() {
        Runnable close = () -> {
            closed = true;
            signal.nudge();
        };
        emitter.onCompletion(close);
        emitter.onError(e -> close.run());
        emitter.onTimeout(close);
        try {
            long routesSeen = routes.version();
            OptionalLong started = start();
            if (started.isEmpty()) {
                log.info("watch of {} ended before its snapshot: its credential was revoked", node);
                StreamEnd.complete(emitter);
                return;
            }
            long version = started.getAsLong();
            long lastRead = System.nanoTime();
            while (!closed && !signals.stopping()) {
                List<AssignmentQueries.Change> changes = List.of();
                if (signal.takeLogChanged()) {
                    changes = changesAfter(version);
                    lastRead = System.nanoTime();
                    if (changes == null) {
                        log.info("watch of {} ended: its credential was revoked", node);
                        break;
                    }
                }
                Set<ResponseBodyEmitter.DataWithMediaType> frames = new LinkedHashSet<>();
                for (AssignmentQueries.Change change : changes) {
                    frames.addAll(SseEmitter.event().name(change.kind().name()).id(WatchEpoch.id(epoch, change.resourceVersion()))
                            .data(change.kind() == AssignmentLog.Kind.deleted || delivery == null ? change.assignment()
                                    : delivery.withSecrets(change.assignment()), MediaType.APPLICATION_JSON).build());
                    version = change.resourceVersion();
                }
                long routesNow = routes.version();
                if (routesNow != routesSeen) {
                    routesSeen = routesNow;
                    frames.addAll(SseEmitter.event().name("routes").data("{}", MediaType.APPLICATION_JSON).build());
                }
                if (!frames.isEmpty()) {
                    emitter.send(frames); // every event of this read in one write and one flush, not one flush per event
                }
                if (changes.size() == BATCH) {
                    signal.logChanged(); // more to read
                } else if (!signal.await(heartbeat.toMillis())) {
                    send(SseEmitter.event().comment("heartbeat"));
                    signal.logChanged(); // and a read per heartbeat, in case a notification was lost
                } else if (System.nanoTime() - lastRead >= heartbeat.toNanos()) {
                    signal.logChanged(); // that read also when route changes wake the stream more often than that
                }
                signal.drain();
            }
            StreamEnd.complete(emitter);
        } catch (IOException | IllegalStateException e) {
            StreamEnd.completeWithError(emitter, e);
        } catch (RuntimeException e) {
            // the database failed under the stream (an outage, a pool with no connection to spare): end it, so
            // that the node reconnects and resumes from its last event instead of waiting on a silent stream
            // (a clean end: the response is committed, so an error could only be logged again by the MVC error handling)
            log.warn("watch of {} ended: {}", node, e.getMessage());
            StreamEnd.complete(emitter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            StreamEnd.complete(emitter);
        } finally {
            signals.unregister(node, signal);
        }
    }

    /**
     * The next changes, or null once the stream's credential no longer holds (asked after the read, so nothing read
     * after a revocation is sent); when the pool has no connection within its wait, reads again (up to {@link #POOL_WAITS}
     * reads). Before, the first such miss ended the stream, and with 100 nodes on two instances 433 streams ended
     * in one run, each costing a reconnection (a request, an authentication, a resume check) while the platform
     * was busiest, and the node's changes waited for it.
     */
    private List<AssignmentQueries.Change> changesAfter(long version) {
        for (int read = 1; ; read++) {
            try {
                List<AssignmentQueries.Change> changes = queries.changesAfter(node, version, BATCH);
                return credentialValid.getAsBoolean() ? changes : null;
            } catch (CannotGetJdbcConnectionException e) {
                if (read >= POOL_WAITS || closed) {
                    throw e;
                }
            }
        }
    }

    /**
     * The version to watch from: the resumed one, or that of the snapshot sent; empty when the credential no longer
     * holds once the snapshot was read (the request passed the filter on a lookup up to a second old, and the name may
     * have been registered again meanwhile: asked after the read, as for every read of the log).
     */
    private OptionalLong start() throws IOException {
        if (resume.isPresent()) {
            // the response's headers go out with its first write: a resume with nothing new sent none until the first
            // heartbeat, so the node's open of its watch waited that long
            send(SseEmitter.event().comment("resumed"));
            return resume;
        }
        AssignmentSnapshot snapshot = delivery == null ? queries.snapshot(node) : delivery.withSecrets(queries.snapshot(node));
        if (!credentialValid.getAsBoolean()) {
            return OptionalLong.empty();
        }
        send(SseEmitter.event().name("snapshot").id(WatchEpoch.id(epoch, snapshot.resourceVersion()))
                .data(snapshot, MediaType.APPLICATION_JSON));
        return OptionalLong.of(snapshot.resourceVersion());
    }

    private void send(SseEmitter.SseEventBuilder event) throws IOException {
        emitter.send(event);
    }
}
