package dev.nanolet.platform.route;

import dev.nanolet.platform.node.NodeProperties;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.platform.replica.ReplicaStore.RouteRow;
import dev.nanolet.platform.wakeup.PgNotifications;
import dev.nanolet.wire.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The route table: every HTTP deployment with the addresses of the Ready nodes that run a Running (not
 * terminating) replica of it, in path order; and its changes. Every node fetches it after each change of
 * its own assignments, after each announced change and every few seconds, so with 100 nodes the query ran
 * thousands of times while 10,000 replicas started and held every pooled connection (503s to everyone).
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
 * A {@code LISTEN} connection made again (notifications may have been missed) is announced as a change.
 */
@Component
public class RouteTable {
    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private record Read(List<Route> routes, long startedAt) {}

    private record Flight(CompletableFuture<Read> result, long startedAt) {}

    private final ReplicaStore replicas;
    private final NodeProperties nodes;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private Flight running; // guarded by this
    private CompletableFuture<Read> queued; // guarded by this
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicBoolean announceAnyway = new AtomicBoolean();
    private final AtomicLong version = new AtomicLong();
    private volatile long notifiedAt = System.nanoTime();
    private volatile Read cached;
    private Read announced; // guarded by this

    RouteTable(ReplicaStore replicas, NodeProperties nodes, Clock clock, PgNotifications notifications) {
        this.replicas = replicas;
        this.nodes = nodes;
        this.clock = clock;
        notifications.subscribe(PgNotifications.ROUTES, payload -> {
            notifiedAt = System.nanoTime();
            if (payload == null) {
                announceAnyway.set(true);
            }
            if (asked.getAndIncrement() == 0) {
                Thread.ofVirtual().name("route-table").start(this::readAfterNotifications);
            }
        });
    }

    /** The table as of the last notification (or fresher). */
    public List<Route> current() {
        Read c = cached;
        if (c != null && c.startedAt() - notifiedAt > 0 && System.nanoTime() - c.startedAt() < MAX_AGE.toNanos()) {
            return c.routes();
        }
        try {
            return fresh().join().routes();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
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

    /** Reads until no notification came during the last read. */
    private void readAfterNotifications() {
        while (true) {
            int seen = asked.get();
            try {
                fresh().join();
            } catch (RuntimeException e) {
                announceAnyway.set(true); // announced once it can be read again
            }
            if (asked.compareAndSet(seen, 0)) {
                return;
            }
        }
    }

    /**
     * A read that starts after the last notification: the one in flight if it did, else the next one, which
     * starts when the one in flight ends (so there is never more than one read at a time, however many
     * notifications and callers come meanwhile).
     */
    private synchronized CompletableFuture<Read> fresh() {
        if (running == null) {
            running = start(new CompletableFuture<>());
            return running.result();
        }
        if (running.startedAt() - notifiedAt > 0) {
            return running.result();
        }
        if (queued == null) {
            queued = new CompletableFuture<>();
        }
        return queued;
    }

    private Flight start(CompletableFuture<Read> result) {
        Flight flight = new Flight(result, System.nanoTime());
        Thread.ofVirtual().name("route-table-read").start(() -> {
            try {
                Read read = new Read(read(), flight.startedAt());
                keep(read);
                result.complete(read);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                ended();
            }
        });
        return flight;
    }

    private synchronized void ended() {
        running = queued == null ? null : start(queued);
        queued = null;
    }

    private synchronized void keep(Read read) {
        if (cached == null || read.startedAt() - cached.startedAt() > 0) {
            cached = read;
        }
        boolean anyway = announceAnyway.getAndSet(false);
        if (announced == null || read.startedAt() - announced.startedAt() > 0) {
            boolean changed = announced == null || !routing(announced.routes()).equals(routing(read.routes()));
            announced = read;
            if (changed || anyway) {
                version.incrementAndGet();
                listeners.forEach(Runnable::run);
            }
        } else if (anyway) {
            announceAnyway.set(true);
        }
    }

    /** What nodes route by: the routes that some node serves (a route served nowhere routes nothing). */
    private static List<Route> routing(List<Route> routes) {
        return routes.stream().filter(r -> !r.nodeAddresses().isEmpty()).toList();
    }

    private List<Route> read() {
        List<RouteRow> rows = replicas.routes(nodes.readySince(clock));
        Map<String, List<RouteRow>> byPath = new LinkedHashMap<>();
        rows.forEach(r -> byPath.computeIfAbsent(r.path(), p -> new ArrayList<>()).add(r));
        return byPath.values().stream().map(group -> new Route(group.getFirst().path(), group.getFirst().namespace(),
                group.getFirst().deployment(), group.stream().map(RouteRow::address).filter(a -> a != null).toList())).toList();
    }
}
