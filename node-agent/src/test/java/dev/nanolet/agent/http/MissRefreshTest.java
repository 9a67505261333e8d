package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.testsupport.MutableClock;
import dev.nanolet.wire.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class MissRefreshTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger fetches = new AtomicInteger();
    private final RouteTable table = new RouteTable();
    private final List<Route> fresh = List.of(new Route("/a", "default", "a", List.of("http://n2")));

    private MissRefresh refresh(Mono<List<Route>> answer) {
        return new MissRefresh(() -> Mono.defer(() -> {
            fetches.incrementAndGet();
            return answer;
        }), table, Duration.ofMillis(250), clock);
    }

    @Test
    void startsAtMostOneFetchPerInterval() {
        MissRefresh r = refresh(Mono.just(fresh));
        assertThat(r.refresh().block()).isTrue();
        assertThat(table.routes()).isEqualTo(fresh);
        clock.set(clock.instant().plusMillis(249));
        assertThat(r.refresh().block()).isFalse();
        clock.set(clock.instant().plusMillis(1));
        assertThat(r.refresh().block()).isTrue();
        assertThat(fetches).hasValue(2);
    }

    @Test
    void missesWhileAFetchIsInFlightShareIt() {
        Sinks.One<List<Route>> answer = Sinks.one();
        MissRefresh r = refresh(answer.asMono());
        var first = r.refresh().toFuture();
        clock.set(clock.instant().plusSeconds(1));
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
