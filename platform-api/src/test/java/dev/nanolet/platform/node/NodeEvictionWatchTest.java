package dev.nanolet.platform.node;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
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

    void pass(Duration d) {
        wall.advance(d);
        ticks.addAndGet(d.toNanos());
    }

    @Test
    void aStepOfTheWallClockForwardDoesNotEndTheWatch() {
        eviction.run(Changes.ALL);
        wall.advance(Duration.ofHours(1));
        pass(Duration.ofSeconds(1));
        eviction.run(Changes.ALL);
        verify(tx, never()).executeWithoutResult(any());

        pass(LEASE);
        eviction.run(Changes.ALL);
        verify(tx, times(1)).executeWithoutResult(any());
    }

    @Test
    void aStepOfTheWallClockBackDoesNotProlongTheWatch() {
        eviction.run(Changes.ALL);
        wall.advance(Duration.ofHours(-1));
        pass(LEASE);
        eviction.run(Changes.ALL);
        verify(tx, times(1)).executeWithoutResult(any());
    }

    @Test
    void aPassThatCannotReachTheDatabaseStartsTheWatchAfresh() {
        eviction.run(Changes.ALL);
        pass(LEASE);
        when(replicas.expiredNodes(any(Instant.class))).thenThrow(new IllegalStateException("database down"));
        assertThatThrownBy(() -> eviction.run(Changes.ALL)).isInstanceOf(IllegalStateException.class);
        when(replicas.expiredNodes(any(Instant.class))).thenReturn(List.of("n1"));
        pass(Duration.ofSeconds(1));
        eviction.run(Changes.ALL);
        verify(tx, never()).executeWithoutResult(any());
        pass(LEASE);
        eviction.run(Changes.ALL);
        verify(tx, times(1)).executeWithoutResult(any());
    }
}
