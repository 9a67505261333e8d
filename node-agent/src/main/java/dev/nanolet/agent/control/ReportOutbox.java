package dev.nanolet.agent.control;

import dev.nanolet.agent.config.PlatformProperties;
import dev.nanolet.agent.replica.ReplicaReporter;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaStatusReport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Status reports and events on their way to platform-api. Each replica has its own ordered queue
 * and its own sender (a virtual thread while anything is queued), so a report the platform keeps
 * failing holds up only that replica. Senders of different replicas run concurrently, at most
 * {@link #IN_FLIGHT} calls at once, so a burst (fifty replicas starting) neither waits in one line
 * nor opens fifty connections. Unreachable platform or 5xx: retried with back-off. A 4xx answer
 * (404 for a replica the platform deleted, 409 for a transition it refuses) drops that report.
 * A replica's queue is bounded for events: with {@link #MAX_QUEUED} reports waiting (the platform
 * is down), further events of that replica are dropped; status reports are always kept.
 */
@Component
class ReportOutbox implements ReplicaReporter {

    private static final Logger log = LoggerFactory.getLogger(ReportOutbox.class);
    static final int IN_FLIGHT = 8;
    static final int MAX_QUEUED = 64;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final ConcurrentMap<UUID, ArrayDeque<Outgoing>> queues = new ConcurrentHashMap<>();
    private final PlatformClient client;
    private final PlatformProperties props;

    ReportOutbox(PlatformClient client, PlatformProperties props) {
        this.client = client;
        this.props = props;
    }

    private record Outgoing(String what, Mono<Void> call, boolean droppable) {}

    @Override
    public void status(UUID replica, ReplicaStatusReport report) {
        enqueue(replica, new Outgoing("status " + report.phase() + " of " + replica, client.status(replica, report), false));
    }

    @Override
    public void event(UUID replica, EventReport event) {
        enqueue(replica, new Outgoing("event " + event.reason() + " of " + replica, client.event(replica, event), true));
    }

    @Override
    public void discard(UUID replica) {
        ArrayDeque<Outgoing> q = queues.get(replica);
        if (q != null) {
            synchronized (q) {
                q.clear();
            }
        }
    }

    @Override
    public boolean flush(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!queues.isEmpty() && System.nanoTime() < end) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return queues.isEmpty();
    }

    private void enqueue(UUID replica, Outgoing o) {
        while (true) {
            ArrayDeque<Outgoing> q = queues.computeIfAbsent(replica, id -> new ArrayDeque<>());
            synchronized (q) {
                if (queues.get(replica) != q) {
                    continue;
                }
                if (o.droppable() && q.size() >= MAX_QUEUED) {
                    log.debug("dropping {}: {} reports already waiting", o.what(), q.size());
                    return;
                }
                q.addLast(o);
                if (q.size() == 1) {
                    Thread.ofVirtual().name("nanolet-report-" + replica).start(() -> drain(replica, q));
                }
                return;
            }
        }
    }

    private void drain(UUID replica, ArrayDeque<Outgoing> q) {
        try {
            while (true) {
                Outgoing next;
                synchronized (q) {
                    next = q.peekFirst();
                    if (next == null) {
                        queues.remove(replica, q);
                        return;
                    }
                }
                send(next, q);
                synchronized (q) {
                    if (q.peekFirst() == next) {
                        q.removeFirst();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(Outgoing o, ArrayDeque<Outgoing> q) throws InterruptedException {
        Duration delay = props.retryMin();
        while (true) {
            inFlight.acquire();
            try {
                o.call().block();
                return;
            } catch (WebClientResponseException e) {
                if (e.getStatusCode().is4xxClientError()) {
                    log.warn("platform refused {}: {} {}", o.what(), e.getStatusCode(), e.getResponseBodyAsString());
                    return;
                }
                log.debug("cannot send {} yet: {}", o.what(), PlatformClient.describe(e));
            } catch (RuntimeException e) {
                log.debug("cannot send {} yet: {}", o.what(), PlatformClient.describe(e));
            } finally {
                inFlight.release();
            }
            TimeUnit.MILLISECONDS.sleep(delay.toMillis());
            synchronized (q) {
                if (q.peekFirst() != o) {
                    return;
                }
            }
            delay = delay.multipliedBy(2).compareTo(props.retryMax()) > 0 ? props.retryMax() : delay.multipliedBy(2);
        }
    }
}
