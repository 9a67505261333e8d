package dev.nanolet.agent.control;

import dev.nanolet.agent.config.PlatformProperties;
import dev.nanolet.agent.replica.ReplicaReporter;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaStatusReport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Status reports and events on their way to the {@link ControlPlane}. One lock (this object) guards
 * every queue. Each replica has its own ordered queue and, while it holds anything, its own sender
 * (a virtual thread), so a report the control plane keeps failing holds up only that replica; at most
 * {@link #IN_FLIGHT} calls are open at once, so a burst (fifty replicas starting) neither waits in one
 * line nor opens fifty connections. A failed call is retried with back-off unless the control plane
 * {@linkplain ControlPlane#refused refused} it (then it is dropped). With {@link #MAX_QUEUED} reports
 * waiting for one replica (the control plane is down), its further events are dropped; status
 * reports are always kept. {@link #discard} drops a queue and ends its sender's retries. Where the
 * control plane {@linkplain ControlPlane#batchesStatus takes batches}, status reports that are ready
 * at the same time go out together ({@link StatusBatches}), outside the {@link #IN_FLIGHT} bound; a report
 * whose batch failed as a whole is sent again alone, so one report the control plane chokes on holds up
 * no other, and only a refusal of the report itself drops it.
 */
@Component
class ReportOutbox implements ReplicaReporter {

    private static final Logger log = LoggerFactory.getLogger(ReportOutbox.class);
    static final int IN_FLIGHT = 8;
    static final int MAX_QUEUED = 64;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final Map<UUID, Deque<Outgoing>> queues = new HashMap<>();
    private final ControlPlane upstream;
    private final PlatformProperties props;
    private final StatusBatches batches;

    ReportOutbox(ControlPlane upstream, PlatformProperties props) {
        this.upstream = upstream;
        this.props = props;
        this.batches = new StatusBatches(upstream);
    }

    /** A status report ({@code report} set) or an event ({@code report} null, droppable). */
    private record Outgoing(String what, Supplier<Mono<Void>> call, ReplicaStatusReport report) {
        boolean droppable() {
            return report == null;
        }
    }

    @Override
    public void status(UUID replica, ReplicaStatusReport report) {
        enqueue(replica, new Outgoing("status " + report.phase() + " of " + replica, () -> upstream.status(replica, report), report));
    }

    @Override
    public void event(UUID replica, EventReport event) {
        enqueue(replica, new Outgoing("event " + event.reason() + " of " + replica, () -> upstream.event(replica, event), null));
    }

    @Override
    public synchronized void discard(UUID replica) {
        if (queues.remove(replica) != null) {
            notifyAll();
        }
    }

    @Override
    public synchronized boolean flush(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!queues.isEmpty()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void enqueue(UUID replica, Outgoing o) {
        Deque<Outgoing> q = queues.get(replica);
        if (q == null) {
            Deque<Outgoing> fresh = new ArrayDeque<>();
            queues.put(replica, fresh);
            Thread.ofVirtual().name("nanolet-report-" + replica).start(() -> drain(replica, fresh));
            q = fresh;
        } else if (o.droppable() && q.size() >= MAX_QUEUED) {
            log.debug("dropping {}: {} reports already waiting", o.what(), q.size());
            return;
        }
        q.addLast(o);
    }

    /** The sender of one queue: ends when the queue is empty (and removed) or was discarded. */
    private void drain(UUID replica, Deque<Outgoing> q) {
        try {
            Outgoing next;
            while ((next = head(replica, q)) != null) {
                send(replica, q, next);
                synchronized (this) {
                    q.pollFirst();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Outgoing head(UUID replica, Deque<Outgoing> q) {
        if (queues.get(replica) != q) {
            return null;
        }
        if (q.isEmpty()) {
            queues.remove(replica);
            notifyAll();
            return null;
        }
        return q.peekFirst();
    }

    private void send(UUID replica, Deque<Outgoing> q, Outgoing o) throws InterruptedException {
        if (o.report() != null && upstream.batchesStatus() && sentInABatch(replica, o)) {
            log.debug("sent {} (in a batch)", o.what());
            return;
        }
        Duration delay = props.retryMin();
        while (true) {
            try {
                inFlight.acquire();
                try {
                    o.call().get().block();
                    log.debug("sent {}", o.what());
                    return;
                } finally {
                    inFlight.release();
                }
            } catch (RuntimeException e) {
                if (upstream.refused(e)) {
                    log.warn("{} refused {}: {}", upstream.describe(), o.what(), PlatformClient.describe(e));
                    return;
                }
                log.debug("cannot send {} yet: {}", o.what(), PlatformClient.describe(e));
            }
            if (!waitToRetry(replica, q, delay)) {
                return;
            }
            delay = delay.multipliedBy(2).compareTo(props.retryMax()) > 0 ? props.retryMax() : delay.multipliedBy(2);
        }
    }

    /**
     * Sends a status report with the others that are ready; false if its batch failed as a whole
     * (platform-api unreachable, a 5xx, or a 4xx such as 413 that says nothing about this report):
     * then it goes again alone, and only a refusal of it alone drops it.
     */
    private boolean sentInABatch(UUID replica, Outgoing o) throws InterruptedException {
        try {
            if (batches.send(replica, o.report()) == StatusBatches.Outcome.REFUSED) {
                log.warn("{} refused {}", upstream.describe(), o.what());
            }
            return true;
        } catch (RuntimeException e) {
            log.debug("the batch with {} failed, sending it alone: {}", o.what(), PlatformClient.describe(e));
            return false;
        }
    }

    /** Waits {@code delay} before another attempt; false if the queue was discarded meanwhile. */
    private synchronized boolean waitToRetry(UUID replica, Deque<Outgoing> q, Duration delay) throws InterruptedException {
        long end = System.nanoTime() + delay.toNanos();
        long left;
        while (queues.get(replica) == q && (left = end - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return queues.get(replica) == q;
    }
}
