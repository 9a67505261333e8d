package dev.nanolet.platform.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.nanolet.platform.node.NodeProperties;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.platform.replica.ReplicaStore.RouteRow;
import dev.nanolet.platform.wakeup.PgNotifications;
import dev.nanolet.testsupport.MutableClock;
import dev.nanolet.wire.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The route table is read once per change, however many nodes ask for it (100 nodes asking after each of
 * their events held every pooled connection while 10,000 replicas started), and a change is announced
 * only when the table a node routes by is different.
 */
class RouteTableTest {
    private final ReplicaStore store = mock(ReplicaStore.class);
    private final AtomicInteger reads = new AtomicInteger();
    private volatile List<RouteRow> rows = List.of(new RouteRow("/a", "ns", "a", "http://n1:8181"));
    private volatile CountDownLatch readsWait = new CountDownLatch(0);
    private final List<Consumer<String>> subscribers = new ArrayList<>();
    private final AtomicInteger announced = new AtomicInteger();
    private final RouteTable table;

    RouteTableTest() {
        when(store.routes(any(Instant.class))).thenAnswer(i -> {
            reads.incrementAndGet();
            readsWait.await();
            return rows;
        });
        PgNotifications notifications = mock(PgNotifications.class);
        doAnswer(i -> subscribers.add(i.getArgument(1))).when(notifications).subscribe(eq(PgNotifications.ROUTES), any());
        table = new RouteTable(store, new NodeProperties(Duration.ofSeconds(15), Duration.ofSeconds(15), 4, Duration.ofSeconds(5)),
                Clock.systemUTC(), System::nanoTime, notifications, Duration.ofMinutes(1)); // (reuse within the age is not at the mercy of a slow machine)
        table.onChange(announced::incrementAndGet);
    }

    private void notifyRoutes() {
        subscribers.forEach(s -> s.accept(""));
    }

    @Test
    void manyCallersAskingAtOnceShareOneRead() throws InterruptedException {
        readsWait = new CountDownLatch(1);
        List<Thread> callers = new ArrayList<>();
        List<List<Route>> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 50; i++) {
            callers.add(Thread.ofVirtual().start(() -> answers.add(table.current())));
        }
        await().until(() -> reads.get() >= 1);
        readsWait.countDown();
        for (Thread t : callers) {
            t.join(Duration.ofSeconds(10));
        }
        assertThat(answers).hasSize(50).allMatch(r -> r.equals(List.of(new Route("/a", "ns", "a", List.of("http://n1:8181")))));
        assertThat(reads).hasValue(1);
        table.current();
        assertThat(reads).as("within its age and with no notification since, the read is reused").hasValue(1);
    }

    @Test
    void callersAfterANotificationWaitForTheNextReadWhichStartsWhenTheOneInFlightEnds() throws InterruptedException {
        readsWait = new CountDownLatch(1);
        Thread first = Thread.ofVirtual().start(table::current);
        await().until(() -> reads.get() == 1);
        notifyRoutes(); // the read in flight started before this: too old for whoever asks from now on
        rows = List.of(new RouteRow("/b", "ns", "b", "http://n2:8181"));
        List<List<Route>> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            callers.add(Thread.ofVirtual().start(() -> answers.add(table.current())));
        }
        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
        assertThat(reads).as("one read at a time").hasValue(1);
        readsWait.countDown();
        first.join(Duration.ofSeconds(10));
        for (Thread t : callers) {
            t.join(Duration.ofSeconds(10));
        }
        assertThat(answers).hasSize(20).allMatch(r -> r.equals(List.of(new Route("/b", "ns", "b", List.of("http://n2:8181")))));
        assertThat(reads).as("the one in flight, then one for the notification and every caller").hasValue(2);
    }

    @Test
    void aNotificationMakesOneReadThatIsAnnouncedOnlyWhenTheTableChanged() {
        table.current();
        assertThat(reads).hasValue(1);

        notifyRoutes();
        await().until(() -> reads.get() == 2);
        await().until(() -> announced.get() == 1); // the first read after start is announced
        for (int i = 0; i < 20; i++) {
            table.current();
        }
        assertThat(reads).as("the read after the notification serves every caller").hasValue(2);

        notifyRoutes(); // e.g. a second replica of /a started on n1: nothing a node routes by
        await().until(() -> reads.get() == 3);
        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
        assertThat(announced).as("the same table is not announced").hasValue(1);
        long before = table.version();

        rows = List.of(new RouteRow("/a", "ns", "a", "http://n1:8181"), new RouteRow("/a", "ns", "a", "http://n2:8181"));
        notifyRoutes();
        await().until(() -> announced.get() == 2);
        assertThat(table.version()).isGreaterThan(before);
        assertThat(table.current()).containsExactly(new Route("/a", "ns", "a", List.of("http://n1:8181", "http://n2:8181")));
    }

    @Test
    void aReadOlderThanItsMaxAgeIsMadeAgainForNodesWhoseLeaseRanOutWithoutAWrite() {
        PgNotifications notifications = mock(PgNotifications.class);
        RouteTable table = new RouteTable(store, new NodeProperties(Duration.ofSeconds(15), Duration.ofSeconds(15), 4, Duration.ofSeconds(5)),
                Clock.systemUTC(), System::nanoTime, notifications, Duration.ofMillis(200));
        table.current();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            table.current();
            return reads.get() == 2;
        });
    }

    @Test
    void aReadThatFailsIsMadeAgainAndItsChangeAnnounced() {
        table.current();
        // listeners run after the read's result is handed out, so the announcement may come a moment later
        await().atMost(Duration.ofSeconds(30)).until(() -> announced.get() == 1); // the first read after start
        when(store.routes(any(Instant.class))).thenThrow(new org.springframework.dao.DataAccessResourceFailureException("pool exhausted"))
                .thenAnswer(i -> {
                    reads.incrementAndGet();
                    return rows;
                });
        rows = List.of(new RouteRow("/c", "ns", "c", "http://n3:8181"));
        notifyRoutes();
        await().atMost(Duration.ofSeconds(30)).until(() -> announced.get() == 2);
        assertThat(table.current()).containsExactly(new Route("/c", "ns", "c", List.of("http://n3:8181")));
    }

    @Test
    void aCallerWaitsForAReadThatHangsNoLongerThanItsLimit() {
        readsWait = new CountDownLatch(1);
        try {
            assertThat(org.junit.jupiter.api.Assertions.assertThrows(org.springframework.dao.DataAccessResourceFailureException.class,
                    table::current)).hasMessageContaining("not read within");
        } finally {
            readsWait.countDown();
        }
    }

    @Test
    void aListenConnectionMadeAgainIsAnnouncedEvenWithTheSameTable() {
        notifyRoutes();
        await().until(() -> announced.get() == 1);
        subscribers.forEach(s -> s.accept(null)); // notifications may have been missed
        await().until(() -> announced.get() == 2);
    }

    /**
     * Leases that ran out in a gap between reads (the database out of reach: nodes' calls got 503 before they asked for
     * routes) are judged a lease after it: the first read then still lists a node that was Ready at the read before the
     * gap (before, it listed none, and a node routing through another answered 404), and a node that does not renew
     * drops out a lease after the gap. A short gap is no reason.
     */
    @Test
    void leasesThatRanOutInAGapBetweenReadsAreJudgedALeaseAfterIt() {
        Leases n1 = new Leases();
        assertThat(n1.read()).isEqualTo(SERVED);

        n1.pass(Duration.ofSeconds(20)); // longer than the lease, and no read: n1 could not renew
        assertThat(n1.read()).as("n1 was Ready at the read before the gap").isEqualTo(SERVED);
        n1.pass(Duration.ofSeconds(7));
        assertThat(n1.read()).as("within a lease of the gap").isEqualTo(SERVED);
        n1.pass(Duration.ofSeconds(7));
        assertThat(n1.read()).as("14 s after it").isEqualTo(SERVED);
        n1.pass(Duration.ofSeconds(2));
        assertThat(n1.read()).as("a lease after it: n1 never renewed").isEqualTo(SERVED_NOWHERE);

        n1.renewed.set(n1.wall.instant().minusSeconds(14));
        assertThat(n1.read()).isEqualTo(SERVED);
        n1.pass(Duration.ofSeconds(2));
        assertThat(n1.read()).as("a gap shorter than half a lease: the lease is judged as it is").isEqualTo(SERVED_NOWHERE);
    }

    /**
     * The first read after a gap may have started during the outage and waited for a pool connection until the database
     * was back: the lease after the gap counts from its answer, when nodes could renew again, not from its start.
     */
    @Test
    void theLeaseAfterAGapCountsFromTheAnswerOfTheReadAfterItNotFromItsStart() {
        Leases n1 = new Leases();
        assertThat(n1.read()).isEqualTo(SERVED);

        n1.pass(Duration.ofSeconds(20));
        n1.connectionWait = Duration.ofSeconds(5);
        assertThat(n1.read()).as("answered 5 s after it started").isEqualTo(SERVED);
        n1.pass(Duration.ofSeconds(6));
        assertThat(n1.read()).as("6 s after its answer, 11 s after its start: no gap").isEqualTo(SERVED);
        n1.pass(Duration.ofSeconds(6));
        assertThat(n1.read()).as("a lease after that read started, 12 s after its answer").isEqualTo(SERVED);
        n1.pass(Duration.ofSeconds(6));
        assertThat(n1.read()).as("a lease after its answer: n1 never renewed").isEqualTo(SERVED_NOWHERE);
    }

    /**
     * A read that started soon after the last one, while PostgreSQL was going down, and waited for a pool connection until
     * it was back, ended a gap that its start could not show: the gap is seen when it is answered, and leases that ran out
     * in it are judged a lease after that answer (before, the next read dropped n1 as soon as it asked, a 404).
     */
    @Test
    void aGapSeenOnlyWhenTheReadThatWaitedOutTheOutageIsAnswered() {
        Leases n1 = new Leases();
        n1.renewed.set(n1.wall.instant().minusSeconds(14)); // its lease runs out in the outage
        assertThat(n1.read()).isEqualTo(SERVED);

        n1.pass(Duration.ofSeconds(1));
        n1.connectionWait = Duration.ofSeconds(7);
        assertThat(n1.read()).as("started 1 s after the last answer, answered 8 s after it").isEqualTo(SERVED);
        n1.pass(Duration.ofSeconds(2));
        assertThat(n1.read()).as("n1 could not renew in the 8 s without an answer").isEqualTo(SERVED);
        n1.pass(Duration.ofSeconds(7));
        assertThat(n1.read()).isEqualTo(SERVED);
        n1.pass(Duration.ofSeconds(5));
        assertThat(n1.read()).as("14 s after the answer that ended the gap").isEqualTo(SERVED);
        n1.pass(Duration.ofSeconds(1));
        assertThat(n1.read()).as("a lease after it: n1 never renewed").isEqualTo(SERVED_NOWHERE);
    }

    /**
     * A gap is time that passed between reads, not a step of the wall clock: one 20 s ahead between two reads a second
     * apart made a gap, and a node whose lease ran out meanwhile was listed for a lease more.
     */
    @Test
    void aStepOfTheWallClockIsNoGap() {
        Leases n1 = new Leases();
        n1.renewed.set(n1.wall.instant().minusSeconds(14));
        assertThat(n1.read()).isEqualTo(SERVED);

        n1.wall.advance(Duration.ofSeconds(20));
        n1.pass(Duration.ofSeconds(1));

        assertThat(n1.read()).as("n1's lease ran out, and no read was missed").isEqualTo(SERVED_NOWHERE);
    }

    private static final List<Route> SERVED = List.of(new Route("/a", "ns", "a", List.of("http://n1:8181")));
    private static final List<Route> SERVED_NOWHERE = List.of(new Route("/a", "ns", "a", List.of()));

    /** A route table over one route, served by n1 while its lease (renewed at {@link #renewed}) is Ready; time is set by hand. */
    private static final class Leases {
        final MutableClock wall = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
        final AtomicLong ticks = new AtomicLong();
        final AtomicReference<Instant> renewed = new AtomicReference<>(wall.instant().minusSeconds(1));
        final AtomicInteger asked = new AtomicInteger();
        /** How long the next query waits for a connection before it is answered (time passes meanwhile). */
        volatile Duration connectionWait = Duration.ZERO;
        final RouteTable table;

        Leases() {
            ReplicaStore database = mock(ReplicaStore.class);
            when(database.routes(any(Instant.class))).thenAnswer(i -> {
                asked.incrementAndGet();
                pass(connectionWait);
                connectionWait = Duration.ZERO;
                Instant readySince = i.getArgument(0);
                return List.of(new RouteRow("/a", "ns", "a", renewed.get().isBefore(readySince) ? null : "http://n1:8181"));
            });
            table = new RouteTable(database, new NodeProperties(Duration.ofSeconds(15), Duration.ofSeconds(15), 4, Duration.ofSeconds(5)),
                    wall, ticks::get, mock(PgNotifications.class), Duration.ZERO); // every call reads
        }

        /** {@code d} passes, on the wall clock and on the ticker. */
        void pass(Duration d) {
            wall.advance(d);
            ticks.addAndGet(d.toNanos());
        }

        List<Route> read() {
            return readOfItsOwn(table, asked);
        }
    }

    /** The table from a read that started after this call (a caller may be handed the read that just ended). */
    private static List<Route> readOfItsOwn(RouteTable table, AtomicInteger asked) {
        int before = asked.get();
        var read = new AtomicReference<List<Route>>();
        await().until(() -> {
            read.set(table.current());
            return asked.get() > before;
        });
        return read.get();
    }
}
