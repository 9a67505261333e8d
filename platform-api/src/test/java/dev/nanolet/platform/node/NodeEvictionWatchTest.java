package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;

import dev.nanolet.platform.control.Changes;
import dev.nanolet.platform.event.Events;
import dev.nanolet.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An instance evicts nothing until it has watched leases for one lease duration, and that watch is timed by the
 * ticker: a step of the wall clock (NTP) is not time watched, forward or back.
 */
class NodeEvictionWatchTest {
    static final Duration LEASE = Duration.ofSeconds(15);
    final MutableClock wall = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    final AtomicLong ticks = new AtomicLong();
    final NodeReplicas replicas = mock(NodeReplicas.class);
    final TransactionTemplate tx = mock(TransactionTemplate.class);
    final NodeEviction eviction = new NodeEviction(mock(RegisteredNodes.class), mock(NodeLeases.class), replicas, mock(Events.class),
            new NodeProperties(LEASE, LEASE, 4, Duration.ofSeconds(5)), tx, wall, ticks::get);

    NodeEvictionWatchTest() {
        when(replicas.expiredNodes(any(Instant.class))).thenReturn(List.of("n1"));
    }

    /** {@code d} passes, on the wall clock and on the ticker, then a periodic round runs: how many nodes it has tried to evict by now. */
    int evictionsAfter(Duration d) {
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
        assertThat(evictionsAfter(LEASE)).isEqualTo(1);
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
        assertThat(evictionsAfter(Duration.ZERO)).isZero();
        when(replicas.expiredNodes(any(Instant.class))).thenThrow(new IllegalStateException("database down"));
        assertThatThrownBy(() -> evictionsAfter(LEASE)).isInstanceOf(IllegalStateException.class);
        when(replicas.expiredNodes(any(Instant.class))).thenReturn(List.of("n1"));
        assertThat(evictionsAfter(Duration.ofSeconds(1))).isZero();
        assertThat(evictionsAfter(LEASE)).isEqualTo(1);
    }
}
