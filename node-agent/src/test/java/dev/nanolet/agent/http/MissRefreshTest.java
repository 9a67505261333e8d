package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.Route;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class MissRefreshTest {

    /** The ticker: nanoseconds, as {@link System#nanoTime} counts them (any origin, negative too). */
    private final AtomicLong ticks = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicInteger fetches = new AtomicInteger();
    private final RouteTable table = new RouteTable();
    private final List<Route> fresh = List.of(new Route("/a", "default", "a", List.of("http://n2")));

    private MissRefresh refresh(Mono<List<Route>> answer) {
        return new MissRefresh(() -> Mono.defer(() -> {
            fetches.incrementAndGet();
            return answer;
        }), table, Duration.ofMillis(250), ticks::get);
    }

    @Test
    void startsAtMostOneFetchPerInterval() {
        MissRefresh r = refresh(Mono.just(fresh));
        assertThat(r.refresh().block()).isTrue();
        assertThat(table.routes()).isEqualTo(fresh);
        ticks.addAndGet(Duration.ofMillis(249).toNanos());
        assertThat(r.refresh().block()).isFalse();
        ticks.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(r.refresh().block()).isTrue();
        assertThat(fetches).hasValue(2);
    }

    /** The ticker passes {@link Long#MAX_VALUE} and goes on from {@link Long#MIN_VALUE} (nanoTime may) within an interval. */
    @Test
    void anIntervalAcrossTheTickersWrapIsTimedAsAnyOther() {
        ticks.set(Long.MAX_VALUE - Duration.ofMillis(100).toNanos());
        MissRefresh r = refresh(Mono.just(fresh));
        assertThat(r.refresh().block()).isTrue();

        ticks.addAndGet(Duration.ofMillis(10).toNanos());
        assertThat(r.refresh().block()).as("10 ms later").isFalse();
        ticks.addAndGet(Duration.ofMillis(239).toNanos());
        assertThat(r.refresh().block()).as("249 ms later, past the wrap").isFalse();
        ticks.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(r.refresh().block()).as("250 ms later").isTrue();
        assertThat(fetches).hasValue(2);
    }

    @Test
    void missesWhileAFetchIsInFlightShareIt() {
        Sinks.One<List<Route>> answer = Sinks.one();
        MissRefresh r = refresh(answer.asMono());
        var first = r.refresh().toFuture();
        ticks.addAndGet(Duration.ofSeconds(1).toNanos());
        var second = r.refresh().toFuture();
        answer.tryEmitValue(fresh);
        assertThat(first.join()).isTrue();
        assertThat(second.join()).isTrue();
        assertThat(fetches).hasValue(1);
    }

    @Test
    void aFailedFetchKeepsTheTableAndSaysNothingChanged() {
        table.update(fresh);
        MissRefresh r = refresh(Mono.error(new IllegalStateException("platform down")));
        assertThat(r.refresh().block()).isFalse();
        assertThat(table.routes()).isEqualTo(fresh);
    }
}
