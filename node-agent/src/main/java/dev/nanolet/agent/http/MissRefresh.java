package dev.nanolet.agent.http;

import dev.nanolet.agent.config.PlatformProperties;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Fetches the route table when a request finds no route, so a route added since the last fetch
 * answers on the first request on every node. Misses while a fetch is in flight share it; a new
 * fetch starts at most once per {@code routes-miss-interval}, so a flood of 404s costs the
 * platform one call per interval. Emits whether this caller's table is fresher than at its miss.
 *
 * <p>The interval is timed by a monotonic ticker ({@link System#nanoTime}), never by the wall clock: a step of the clock
 * back held every fetch off for as long as it stepped, one forward let a fetch start before the interval was over.
 */
@Component
class MissRefresh {

    private final RouteSource source;
    private final RouteTable table;
    private final LongSupplier ticker;
    private final long intervalNanos;
    private Mono<Boolean> inFlight;
    /** The ticker when the last fetch started; none has while {@link #started} is false. */
    private long lastStart;
    private boolean started;

    @Autowired
    MissRefresh(RouteSource source, RouteTable table, PlatformProperties props) {
        this(source, table, props.routesMissInterval(), System::nanoTime);
    }

    /** @param ticker nanoseconds from a monotonic source ({@link System#nanoTime}), which times the interval */
    MissRefresh(RouteSource source, RouteTable table, Duration interval, LongSupplier ticker) {
        this.source = source;
        this.table = table;
        this.ticker = ticker;
        this.intervalNanos = interval.toNanos();
    }

    synchronized Mono<Boolean> refresh() {
        if (inFlight != null) {
            return inFlight;
        }
        long now = ticker.getAsLong();
        if (started && now - lastStart < intervalNanos) {
            return Mono.just(false);
        }
        started = true;
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
