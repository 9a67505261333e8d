package dev.nanolet.agent.http;

import dev.nanolet.agent.config.PlatformProperties;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Fetches the route table when a request finds no route, so a route added since the last fetch
 * answers on the first request on every node. Misses while a fetch is in flight share it; a new
 * fetch starts at most once per {@code routes-miss-interval}, so a flood of 404s costs the
 * platform one call per interval. Emits whether this caller's table is fresher than at its miss.
 */
@Component
class MissRefresh {

    private final RouteSource source;
    private final RouteTable table;
    private final Clock clock;
    private final Duration interval;
    private Mono<Boolean> inFlight;
    private long lastStart = Long.MIN_VALUE;

    @Autowired
    MissRefresh(RouteSource source, RouteTable table, PlatformProperties props, ObjectProvider<Clock> clock) {
        this(source, table, props.routesMissInterval(), clock.getIfAvailable(Clock::systemUTC));
    }

    MissRefresh(RouteSource source, RouteTable table, Duration interval, Clock clock) {
        this.source = source;
        this.table = table;
        this.clock = clock;
        this.interval = interval;
    }

    synchronized Mono<Boolean> refresh() {
        if (inFlight != null) {
            return inFlight;
        }
        long now = clock.millis();
        if (lastStart != Long.MIN_VALUE && now - lastStart < interval.toMillis()) {
            return Mono.just(false);
        }
        lastStart = now;
        Mono<Boolean> fetch = Mono.defer(source::routes)
                .doOnNext(table::update)
                .map(r -> true)
                .onErrorReturn(false)
                .defaultIfEmpty(false)
                .doFinally(s -> done())
                .cache();
        inFlight = fetch;
        return fetch;
    }

    private synchronized void done() {
        inFlight = null;
    }
}
