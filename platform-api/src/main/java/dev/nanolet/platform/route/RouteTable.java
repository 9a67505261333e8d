package dev.nanolet.platform.route;

import dev.nanolet.platform.node.NodeProperties;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.platform.replica.ReplicaStore.RouteRow;
import dev.nanolet.platform.wakeup.PgNotifications;
import dev.nanolet.wire.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * The route table: every HTTP deployment with the addresses of the Ready nodes that run a Running (not
 * terminating) replica of it, in path order; and its changes. Nodes fetch it after each announced change,
 * after each snapshot of their watch, every few seconds and on a miss; when each fetch was a query, 100
 * nodes ran it thousands of times while 10,000 replicas started and held every pooled connection (503s).
 * Here it is read at most once per change, whoever asks:
 * <ul>
 *   <li>a read is reused while no {@code nanolet_routes} notification came since it started and it is
 *       younger than {@link #MAX_AGE} (a node's lease can run out without a notification);
 *   <li>callers that need a fresh read share the one in flight if it started after the last notification,
 *       else the next one, which starts when that one ends: one read at a time, whatever comes meanwhile;
 *   <li>each burst of notifications is followed by a read (one at a time, the notifications meanwhile folded
 *       into one more), and when that read differs from the last one announced, {@link #version} grows and
 *       the listeners (the watch streams, which send their nodes a {@code routes} event) are told: a replica
 *       that starts beside another of its deployment on the same node, or a route that no node serves yet,
 *       changes nothing a node routes by.
 * </ul>
 * A {@code LISTEN} connection made again (notifications may have been missed) is announced as a change, and so
 * is the first read after reads failed (they are made again, with a back-off, until one succeeds).
 *
 * <p>A node is Ready while its lease is younger than the lease duration. But when two reads that succeed are more
 * than half a lease apart, the database may have been out of reach meanwhile (no node could renew; nodes' own calls
 * got 503 from the bearer filter, so no read was even tried), and leases that ran out in that gap are judged only a
 * lease after it, as {@code NodeEviction} judges them: until then a node counts as Ready if it was at the read before
 * the gap. A gap, and the lease after it, count from when reads were answered, not from when they started: the read
 * after an outage may have started during it and waited for a pool connection, time in which no node could renew; one
 * that started less than half a lease after the last answer and was answered more than half a lease after it ends a gap
 * too, seen only once it is answered (it judged with its own start, the reads after it with the gap). Gaps, and the lease after one, are timed by a
 * monotonic ticker, never by the wall clock: a step of the clock
 * between two reads a second apart made a gap, and a node whose lease ran out then was listed for a lease longer. Before, the first read after PostgreSQL came back listed no node as Ready, and a node that serves a route
 * through another node answered 404 for it until the leases were renewed (seen once in CI in
 * {@code PostgresRestartE2eTest}: three requests, 80 ms). A gap with no outage (no node asked) makes a node that
 * died meanwhile count for at most the gap and a lease longer; its replicas are evicted all the same.
 */
@Component
public class RouteTable {
    static final Duration MAX_AGE = Duration.ofSeconds(1);
    /** How long a caller waits for a read before it gets 503 (a query that hangs holds up nobody for longer). */
    static final Duration READ_WAIT = Duration.ofSeconds(5);
    private static final long BACKOFF_MIN_NANOS = Duration.ofMillis(250).toNanos();
    private static final long BACKOFF_MAX_NANOS = Duration.ofSeconds(2).toNanos();
    private static final Logger log = LoggerFactory.getLogger(RouteTable.class);

    private record Read(List<Route> routes, long startedAt) {}

    private record Flight(CompletableFuture<Read> result, long startedAt) {}

    /** When a read started or was answered: by the wall clock, which leases are written by, and by the ticker, which times gaps. */
    private record Start(Instant wall, long ticks) {}

    /**
     * No read was answered between one answered at {@code began} and {@code back} (ticker time): when the next was answered,
     * or, for that read's own judgement, when it started. It may have started during the outage and waited for a connection
     * until the database was back.
     */
    private record Gap(Start began, long back) {}

    private final ReplicaStore replicas;
    private final NodeProperties nodes;
    private final Clock clock;
    private final LongSupplier ticker;
    private final long maxAgeNanos;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicBoolean announceAnyway = new AtomicBoolean();
    private final AtomicLong version = new AtomicLong();
    private volatile long notifiedAt;
    private volatile Read cached;
    private volatile Start lastRead; // when the last read that succeeded was answered (reads run one at a time)
    private volatile Gap lastGap;
    private volatile boolean stopped;
    private Flight running; // guarded by this
    private CompletableFuture<Read> queued; // guarded by this
    private Read announced; // guarded by this

    @Autowired
    RouteTable(ReplicaStore replicas, NodeProperties nodes, Clock clock, PgNotifications notifications) {
        this(replicas, nodes, clock, System::nanoTime, notifications, MAX_AGE);
    }

    /** @param ticker nanoseconds from a monotonic source ({@link System#nanoTime}), which times reuse and gaps */
    RouteTable(ReplicaStore replicas, NodeProperties nodes, Clock clock, LongSupplier ticker, PgNotifications notifications,
            Duration maxAge) {
        this.replicas = replicas;
        this.nodes = nodes;
        this.clock = clock;
        this.ticker = ticker;
        this.maxAgeNanos = maxAge.toNanos();
        this.notifiedAt = ticker.getAsLong();
        notifications.subscribe(PgNotifications.ROUTES, payload -> {
            notifiedAt = ticker.getAsLong();
            if (payload == null) {
                announceAnyway.set(true);
            }
            if (asked.getAndIncrement() == 0) {
                try {
                    Thread.ofVirtual().name("route-table").start(this::readAfterNotifications);
                } catch (RuntimeException | Error e) {
                    asked.set(0); // the next notification tries again; the listener thread must not die of it
                    log.warn("cannot start reading the route table: {}", e.toString());
                }
            }
        });
    }

    /** The table as of the last notification (or fresher); a read that takes over {@link #READ_WAIT} is a 503. */
    public List<Route> current() {
        Read c = cached;
        if (c != null && c.startedAt() - notifiedAt > 0 && ticker.getAsLong() - c.startedAt() < maxAgeNanos) {
            return c.routes();
        }
        try {
            return fresh().get(READ_WAIT.toMillis(), TimeUnit.MILLISECONDS).routes();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new DataAccessResourceFailureException("route table", e.getCause());
        } catch (TimeoutException e) {
            throw new DataAccessResourceFailureException("the route table was not read within " + READ_WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataAccessResourceFailureException("interrupted while reading the route table", e);
        }
    }

    /** Grows with every announced change. */
    public long version() {
        return version.get();
    }

    /** Runs {@code listener} (quickly: it only signals) after each announced change. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @PreDestroy
    void stop() {
        stopped = true;
    }

    /**
     * Reads until no notification came during the last read; a read that fails is made again after a back-off
     * (250 ms, doubling to 2 s), so a change made while the database was out of reach is still announced.
     */
    private void readAfterNotifications() {
        long backoff = BACKOFF_MIN_NANOS;
        while (!stopped) {
            int seen = asked.get();
            try {
                fresh().join();
                backoff = BACKOFF_MIN_NANOS;
            } catch (RuntimeException e) {
                announceAnyway.set(true); // announced once it can be read again
                LockSupport.parkNanos(backoff); // a back-off between attempts, not a wait for a condition
                backoff = Math.min(backoff * 2, BACKOFF_MAX_NANOS);
                continue;
            }
            if (asked.compareAndSet(seen, 0)) {
                return;
            }
        }
        asked.set(0);
    }

    /**
     * A read that starts after the last notification: the one in flight if it did, else the next one, which
     * starts when the one in flight ends (so there is never more than one read at a time, however many
     * notifications and callers come meanwhile).
     */
    private synchronized CompletableFuture<Read> fresh() {
        if (running == null) {
            CompletableFuture<Read> result = new CompletableFuture<>();
            running = start(result);
            return result;
        }
        if (running.startedAt() - notifiedAt > 0) {
            return running.result();
        }
        if (queued == null) {
            queued = new CompletableFuture<>();
        }
        return queued;
    }

    /** Starts a read that completes {@code result}; a read that cannot start fails it at once. */
    private Flight start(CompletableFuture<Read> result) {
        Flight flight = new Flight(result, ticker.getAsLong());
        try {
            Thread.ofVirtual().name("route-table-read").start(() -> read(flight));
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
            return null;
        }
        return flight;
    }

    private void read(Flight flight) {
        boolean announce = false;
        try {
            Read read = new Read(query(), flight.startedAt());
            announce = keep(read);
            flight.result().complete(read);
        } catch (Throwable e) { // an Error too: every caller waits on this result
            flight.result().completeExceptionally(e);
        } finally {
            ended();
        }
        if (announce) {
            for (Runnable listener : listeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    log.warn("a route table listener failed: {}", e.toString());
                }
            }
        }
    }

    private synchronized void ended() {
        CompletableFuture<Read> next = queued;
        queued = null;
        running = next == null ? null : start(next);
    }

    /** Keeps {@code read} if it is the newest; answers whether listeners are to be told (it changed what nodes route by). */
    private synchronized boolean keep(Read read) {
        if (cached == null || read.startedAt() - cached.startedAt() > 0) {
            cached = read;
        }
        boolean anyway = announceAnyway.getAndSet(false);
        if (announced == null || read.startedAt() - announced.startedAt() > 0) {
            boolean changed = announced == null || !routing(announced.routes()).equals(routing(read.routes()));
            announced = read;
            if (changed || anyway) {
                version.incrementAndGet();
                return true;
            }
        } else if (anyway) {
            announceAnyway.set(true);
        }
        return false;
    }

    /**
     * Nodes that renewed at or after this are Ready: a lease before {@code now}, or, within a lease after a gap between
     * reads (this read's or the last one's), a lease before the gap if that is earlier. How long ago the gap was is
     * ticker time; the lease before it is wall time, as leases are written.
     */
    private Instant readySince(Start now, Gap gap) {
        Instant cutoff = now.wall().minus(nodes.leaseDuration());
        Gap judged = gap != null ? gap : lastGap;
        if (judged == null || now.ticks() - judged.back() >= nodes.leaseDuration().toNanos()) {
            return cutoff;
        }
        Instant then = judged.began().wall().minus(nodes.leaseDuration());
        return then.isBefore(cutoff) ? then : cutoff;
    }

    /** What nodes route by: the routes that some node serves (a route served nowhere routes nothing). */
    private static List<Route> routing(List<Route> routes) {
        return routes.stream().filter(r -> !r.nodeAddresses().isEmpty()).toList();
    }

    /** The gap between the last read's answer and {@code ticks}, if they are more than half a lease apart; else null. */
    private Gap gapUntil(long ticks) {
        return lastRead != null && nodes.outageMayLieBetween(lastRead.ticks(), ticks) ? new Gap(lastRead, ticks) : null;
    }

    private List<Route> query() {
        Start started = new Start(clock.instant(), ticker.getAsLong());
        Gap gap = gapUntil(started.ticks()); // each gap from its own start: gaps never add up
        List<RouteRow> rows = replicas.routes(readySince(started, gap));
        Start answered = new Start(clock.instant(), ticker.getAsLong()); // the database was reached then, maybe long after the start
        Gap ended = gapUntil(answered.ticks()); // a read that started soon after the last and waited out the outage ends a gap its start did not show
        if (ended != null) {
            lastGap = ended;
        }
        lastRead = answered;
        Map<String, List<RouteRow>> byPath = new LinkedHashMap<>();
        rows.forEach(r -> byPath.computeIfAbsent(r.path(), p -> new ArrayList<>()).add(r));
        return byPath.values().stream().map(group -> new Route(group.getFirst().path(), group.getFirst().namespace(),
                group.getFirst().deployment(), group.stream().map(RouteRow::address).filter(a -> a != null).toList())).toList();
    }
}
