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
 *
 * <p>A replica's status reports that have not gone out yet are coalesced: a report queued behind a
 * waiting one takes its place when platform-api would accept it in its stead ({@link Supersedes}), and
 * when a batch goes out, the report at the head of a queue is replaced by the latest such one behind
 * it. So a burst of {@code Pulling, Starting, Running} for many replicas costs one batch entry per
 * replica, not three; a report already on its way is never replaced, so the phases platform-api
 * records never go backwards. Events are never coalesced or dropped by this (only by the bound above).
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
        enqueue(replica, statusOf(replica, report));
    }

    private Outgoing statusOf(UUID replica, ReplicaStatusReport report) {
        return new Outgoing("status " + report.phase() + " of " + replica, () -> upstream.status(replica, report), report);
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
        } else if (!o.droppable()) {
            dropSuperseded(q, o);
        }
        q.addLast(o);
    }

    /** Drops the last status report queued behind the head when {@code later} supersedes it (the head may be on its way). */
    private static void dropSuperseded(Deque<Outgoing> q, Outgoing later) {
        Outgoing head = q.peekFirst();
        for (var it = q.descendingIterator(); it.hasNext(); ) {
            Outgoing queued = it.next();
            if (queued == head) {
                return;
            }
            if (!queued.droppable()) {
                if (Supersedes.earlier(queued.report().phase(), later.report().phase())) {
                    log.debug("{} superseded by {}", queued.what(), later.what());
                    it.remove();
                }
                return;
            }
        }
    }

    /**
     * The report the head of {@code q} stands for as its batch goes out: the head, or the latest
     * status report behind it that supersedes it (which then becomes the head, ahead of any events
     * queued between them).
     */
    private synchronized ReplicaStatusReport latest(UUID replica, Deque<Outgoing> q) {
        Outgoing head = q.peekFirst();
        if (queues.get(replica) != q || head == null || head.droppable()) {
            return head == null ? null : head.report();
        }
        while (true) {
            Outgoing next = null;
            var it = q.iterator();
            it.next();
            while (it.hasNext()) {
                Outgoing queued = it.next();
                if (!queued.droppable()) {
                    next = queued;
                    break;
                }
            }
            if (next == null || !Supersedes.earlier(head.report().phase(), next.report().phase())) {
                return head.report();
            }
            log.debug("{} superseded by {} before its batch went out", head.what(), next.what());
            q.remove(next);
            q.pollFirst();
            q.addFirst(next);
            head = next;
        }
    }

    private synchronized Outgoing headOr(Deque<Outgoing> q, Outgoing o) {
        Outgoing head = q.peekFirst();
        return head == null ? o : head;
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
        if (o.report() != null && upstream.batchesStatus()) {
            if (sentInABatch(replica, q, o)) {
                return;
            }
            o = headOr(q, o); // what the batch carried, if a later report took the head's place
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
    private boolean sentInABatch(UUID replica, Deque<Outgoing> q, Outgoing o) throws InterruptedException {
        try {
            StatusBatches.Sent sent = batches.send(replica, () -> latest(replica, q));
            if (sent.outcome() == StatusBatches.Outcome.REFUSED) {
                log.warn("{} refused status {} of {}", upstream.describe(), sent.report().phase(), replica);
            } else {
                log.debug("sent status {} of {} (in a batch)", sent.report().phase(), replica);
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
