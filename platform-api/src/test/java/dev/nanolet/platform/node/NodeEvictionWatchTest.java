package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.nanolet.platform.control.Changes;
import dev.nanolet.platform.event.Events;
import dev.nanolet.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An instance evicts nothing until it has watched leases for one lease duration, and that watch is timed by the
 * ticker: a step of the wall clock (NTP) is not time watched, forward or back.
 */
@ExtendWith(OutputCaptureExtension.class)
class NodeEvictionWatchTest {
    static final Duration LEASE = Duration.ofSeconds(15);
    static final Duration INTERVAL = Duration.ofSeconds(2);
    static final Pattern ON_MAIN = Pattern.compile("\\[ *main] ");
    final MutableClock wall = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    final AtomicLong ticks = new AtomicLong();
    final NodeReplicas replicas = mock(NodeReplicas.class);
    final TransactionTemplate tx = mock(TransactionTemplate.class);
    final RegisteredNodes nodes = mock(RegisteredNodes.class);
    final NodeLeases leases = mock(NodeLeases.class);
    final EvictionPauses pauses = mock(EvictionPauses.class);
    final NodeEviction eviction = new NodeEviction(nodes, leases, replicas, mock(Events.class), pauses,
            new NodeProperties(LEASE, LEASE, 4, Duration.ofSeconds(5)), tx, wall, ticks::get, INTERVAL);

    NodeEvictionWatchTest() {
        when(pauses.paused()).thenReturn(true);
        when(replicas.expiredNodes(any(Instant.class))).thenReturn(List.of("n1"));
        when(leases.lastRenewal()).thenAnswer(i -> Optional.of(wall.instant()));
    }

    /**
     * {@code d} passes, on the wall clock and on the ticker, with a periodic round every control interval (2 s) on the
     * way and one at its end: how many nodes they have tried to evict by now.
     */
    int evictionsAfter(Duration d) {
        for (; d.compareTo(INTERVAL) > 0; d = d.minus(INTERVAL)) {
            passAfter(INTERVAL);
        }
        return passAfter(d);
    }

    /** {@code d} passes, on the wall clock and on the ticker, then one periodic round runs: how many nodes it has tried to evict by now. */
    int passAfter(Duration d) {
        wall.advance(d);
        ticks.addAndGet(d.toNanos());
        eviction.run(Changes.ALL);
        return mockingDetails(tx).getInvocations().size();
    }

    @Test
    void aStepOfTheWallClockForwardDoesNotEndTheWatch() {
        assertThat(evictionsAfter(Duration.ZERO)).isZero();
        wall.advance(Duration.ofHours(1));
        assertThat(evictionsAfter(Duration.ofSeconds(1))).as("an hour on the wall clock, a second watched").isZero();
        assertThat(evictionsAfter(LEASE.minusSeconds(1))).isEqualTo(1);
    }

    @Test
    void aStepOfTheWallClockBackDoesNotProlongTheWatch() {
        assertThat(evictionsAfter(Duration.ZERO)).isZero();
        wall.advance(Duration.ofHours(-1));
        assertThat(evictionsAfter(LEASE)).as("a lease watched, though the wall clock is an hour before the start").isEqualTo(1);
    }

    /**
     * A pass that starts while PostgreSQL is down waits for a pool connection, and is answered once it is back: the
     * nodes could renew only from then, so the watch counts from the answer, not from when the pass started.
     */
    @Test
    void theWatchStartsWhenAPassReachesTheDatabaseNotWhenItStartedWaitingForIt() {
        when(replicas.expiredNodes(any(Instant.class))).thenThrow(new IllegalStateException("database down"));
        assertThatThrownBy(() -> evictionsAfter(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        Duration poolWait = Duration.ofSeconds(2);
        when(replicas.expiredNodes(any(Instant.class))).thenAnswer(i -> {
            wall.advance(poolWait);
            ticks.addAndGet(poolWait.toNanos());
            return List.of("n1");
        }).thenReturn(List.of("n1"));
        assertThat(evictionsAfter(Duration.ofSeconds(1))).isZero();
        assertThat(evictionsAfter(LEASE.minus(poolWait))).as("a lease after the pass began, less after it was answered").isZero();
        assertThat(evictionsAfter(poolWait)).as("a lease after it was answered").isEqualTo(1);
    }

    @Test
    void aPassThatCannotReachTheDatabaseStartsTheWatchAfresh() {
        assertThat(evictionsAfter(LEASE.minusSeconds(1))).isZero();
        when(replicas.expiredNodes(any(Instant.class))).thenThrow(new IllegalStateException("database down"));
        assertThatThrownBy(() -> evictionsAfter(Duration.ofSeconds(1))).as("a lease watched, then a failed pass")
                .isInstanceOf(IllegalStateException.class);
        when(replicas.expiredNodes(any(Instant.class))).thenReturn(List.of("n1"));
        assertThat(evictionsAfter(Duration.ofSeconds(1))).isZero();
        assertThat(evictionsAfter(LEASE)).isEqualTo(1);
    }

    /** A node whose eviction throws (a constraint, a bug, a lock timeout) costs only that node: the others are evicted, the watch goes on. */
    @Test
    void oneNodesFailedEvictionNeitherStopsTheOthersNorRestartsTheWatch() {
        when(replicas.expiredNodes(any(Instant.class))).thenReturn(List.of("bad", "good"));
        doAnswer(i -> {
            i.<Consumer<TransactionStatus>>getArgument(0).accept(null);
            return null;
        }).when(tx).executeWithoutResult(any());
        when(nodes.lockIfFree("bad")).thenThrow(new DataIntegrityViolationException("a constraint"));
        assertThat(evictionsAfter(Duration.ZERO)).isZero();
        assertThat(evictionsAfter(LEASE)).as("both tried, the failure not thrown").isEqualTo(2);
        verify(nodes).lockIfFree("good");
        assertThat(evictionsAfter(Duration.ofSeconds(1))).as("the watch kept: evicting goes on a second later").isEqualTo(4);
        verify(nodes, times(2)).lockIfFree("good");
    }

    /** A transaction that cannot get a connection means PostgreSQL is out of reach, for the nodes too: the watch starts afresh. */
    @Test
    void anEvictionThatCannotReachTheDatabaseStartsTheWatchAfresh() {
        assertThat(evictionsAfter(Duration.ZERO)).isZero();
        doThrow(new CannotCreateTransactionException("no connection")).when(tx).executeWithoutResult(any());
        assertThatThrownBy(() -> evictionsAfter(LEASE)).isInstanceOf(CannotCreateTransactionException.class);
        reset(tx);
        assertThat(evictionsAfter(Duration.ofSeconds(1))).isZero();
        assertThat(evictionsAfter(LEASE)).isEqualTo(1);
    }

    /**
     * An outage shorter than the pool's wait may be waited out inside one pass, which is answered late and throws
     * nothing: answered passes more than half a lease apart start the watch afresh, as a failed pass does.
     */
    @Test
    void aPassAnsweredMoreThanHalfALeaseAfterTheLastStartsTheWatchAfresh() {
        assertThat(evictionsAfter(Duration.ZERO)).isZero();
        assertThat(evictionsAfter(LEASE)).isEqualTo(1);
        Duration outage = LEASE.dividedBy(2).plusMillis(1);
        when(replicas.expiredNodes(any(Instant.class))).thenAnswer(i -> {
            wall.advance(outage);
            ticks.addAndGet(outage.toNanos());
            return List.of("n1");
        }).thenReturn(List.of("n1"));
        assertThat(passAfter(Duration.ofSeconds(1))).as("the pass that waited out the outage").isEqualTo(1);
        assertThat(evictionsAfter(LEASE.minusSeconds(1))).as("less than a lease after it was answered").isEqualTo(1);
        assertThat(evictionsAfter(Duration.ofSeconds(1))).as("a lease after it").isEqualTo(2);
    }

    /**
     * A control interval of half the lease (e2e runs a lease of 4 s with the 2 s default): every round comes a little
     * more than half a lease after the last, and if that restarted the watch nothing would ever be evicted. Then only
     * a gap of more than one and a half intervals does.
     */
    @Test
    void aControlIntervalOfHalfALeaseStillEvictsAndOnlyAGapOfMoreThanOneAndAHalfIntervalsRestartsTheWatch() {
        Duration lease = Duration.ofSeconds(4);
        Duration interval = lease.dividedBy(2);
        NodeEviction rare = new NodeEviction(nodes, leases, replicas, mock(Events.class), mock(EvictionPauses.class),
                new NodeProperties(lease, lease, 4, Duration.ofSeconds(2)), tx, wall, ticks::get, interval);
        Duration late = interval.plusMillis(50);
        for (int round = 0; round < 4; round++) {
            ticks.addAndGet(late.toNanos());
            rare.run(Changes.ALL);
        }
        assertThat(mockingDetails(tx).getInvocations()).as("rounds 2.05 s apart, for more than a lease of 4 s").hasSize(2);
        ticks.addAndGet(interval.multipliedBy(3).dividedBy(2).plusMillis(1).toNanos());
        rare.run(Changes.ALL);
        ticks.addAndGet(late.toNanos());
        rare.run(Changes.ALL);
        assertThat(mockingDetails(tx).getInvocations()).as("a round 3 s after the last starts the watch afresh").hasSize(2);
    }

    @Test
    void passesHalfALeaseApartKeepTheWatch() {
        assertThat(evictionsAfter(Duration.ZERO)).isZero();
        assertThat(passAfter(LEASE.dividedBy(2))).isZero();
        assertThat(passAfter(LEASE.dividedBy(2))).isEqualTo(1);
        assertThat(passAfter(LEASE.dividedBy(2))).isEqualTo(2);
    }

    /**
     * Full disruption: with no registered node Ready, the cause is likely the platform's, and no node could take the
     * replicas. Evictions pause, logged once; once a node is Ready, logged once, the others get a lease to renew.
     */
    @Test
    void whenNoRegisteredNodeIsReadyEvictionsPauseUntilOneIsAndTheOthersThenGetALease(CapturedOutput output) {
        when(replicas.expiredNodes(any(Instant.class))).thenReturn(List.of("n1", "n2"));
        when(leases.lastRenewal()).thenReturn(Optional.of(Instant.EPOCH));
        assertThat(evictionsAfter(LEASE.multipliedBy(3))).as("every lease out for three leases: nothing evicted").isZero();
        when(leases.lastRenewal()).thenAnswer(i -> Optional.of(wall.instant()));
        assertThat(evictionsAfter(INTERVAL)).as("n0 is Ready again").isZero();
        assertThat(evictionsAfter(LEASE.minus(INTERVAL))).as("less than a lease after it").isZero();
        assertThat(evictionsAfter(INTERVAL)).as("a lease after it").isEqualTo(2);
        assertThat(lines(output, "WARN", "evictions pause: no registered node is Ready;")).isEqualTo(1);
        assertThat(lines(output, "INFO", "evictions resume: a registered node is Ready again")).isEqualTo(1);
    }

    /**
     * The platform records a resume only of a pause on record: when this instance's pause was over by the time it held
     * the lock (a node renewed meanwhile), it says so to the resume, which records none unless another instance recorded
     * the pause ({@link EvictionPausesTest}).
     */
    @Test
    void theResumeIsToldWhetherThisInstancesPauseWasOnRecord() {
        for (boolean onRecord : new boolean[] {false, true}) {
            when(pauses.paused()).thenReturn(onRecord);
            when(leases.lastRenewal()).thenReturn(Optional.of(Instant.EPOCH));
            evictionsAfter(INTERVAL);
            when(leases.lastRenewal()).thenAnswer(i -> Optional.of(wall.instant()));
            evictionsAfter(INTERVAL);
            verify(pauses).resumed(onRecord);
        }
    }

    @Test
    void evictionsResumeWhenTheNodesComeBackWithNothingLeftToEvict(CapturedOutput output) {
        when(leases.lastRenewal()).thenReturn(Optional.of(Instant.EPOCH));
        assertThat(evictionsAfter(LEASE)).isZero();
        when(replicas.expiredNodes(any(Instant.class))).thenReturn(List.of());
        when(leases.lastRenewal()).thenAnswer(i -> Optional.of(wall.instant()));
        assertThat(evictionsAfter(INTERVAL)).isZero();
        assertThat(lines(output, "INFO", "evictions resume")).isEqualTo(1);
        when(replicas.expiredNodes(any(Instant.class))).thenReturn(List.of("n1"));
        assertThat(evictionsAfter(LEASE)).as("a node that fails later is evicted as usual, after its lease").isEqualTo(1);
    }

    /**
     * Nodes that stop renewing together go NotReady a renew interval apart: a lease is judged against the last renewal
     * the platform received, so one that ran out after it is not counted out while the last nodes are still Ready.
     */
    @Test
    void aLeaseIsJudgedAgainstTheLastRenewalThePlatformReceived() {
        assertThat(evictionsAfter(Duration.ZERO)).isZero();
        assertThat(evictionsAfter(LEASE)).isEqualTo(1);
        when(leases.lastRenewal()).thenAnswer(i -> Optional.of(wall.instant().minusSeconds(4)));
        evictionsAfter(INTERVAL);
        verify(replicas).expiredNodes(wall.instant().minus(LEASE).minusSeconds(4));
    }

    /** A platform before its first node registers is not in an outage: it evicts nothing and warns of no pause. */
    @Test
    void withNoNodeRegisteredNothingIsEvictedAndNoPauseIsLogged(CapturedOutput output) {
        when(replicas.expiredNodes(any(Instant.class))).thenReturn(List.of());
        when(leases.lastRenewal()).thenReturn(Optional.empty());
        assertThat(evictionsAfter(LEASE.multipliedBy(2))).isZero();
        when(leases.lastRenewal()).thenAnswer(i -> Optional.of(wall.instant()));
        assertThat(evictionsAfter(LEASE)).isZero();
        assertThat(lines(output, "WARN", "evictions pause")).isZero();
        assertThat(lines(output, "INFO", "evictions resume")).isZero();
    }

    /**
     * Lines this test's eviction logged: it runs on the test's thread ({@code main}); the control loops of application
     * contexts other test classes left cached in the JVM log theirs on {@code control-loop} into the same output. The
     * thread is {@code [main]} in logback's own pattern (this class run alone, before any Spring context) and
     * {@code [           main]} in Spring Boot's.
     */
    private static long lines(CapturedOutput output, String level, String text) {
        return output.getAll().lines().filter(l -> ON_MAIN.matcher(l).find() && l.contains(level) && l.contains(text)).count();
    }
}
