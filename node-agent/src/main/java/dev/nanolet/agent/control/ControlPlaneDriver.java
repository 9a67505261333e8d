package dev.nanolet.agent.control;

import dev.nanolet.agent.config.PlatformProperties;
import dev.nanolet.agent.http.RouteTable;
import dev.nanolet.agent.metrics.RequestMetrics;
import dev.nanolet.agent.replica.DesiredState;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Drives the {@link ControlPlane}, whichever it is: register (retried until it works), renew the
 * lease with usage figures, watch the desired state (again after a back-off when interrupted),
 * refresh the route table. Failures never stop what runs: the node keeps serving what it was last
 * told, and if the control plane cannot be reached at start it serves the assignments saved before
 * its last stop. On stop it tells the control plane it leaves.
 */
@Component
class ControlPlaneDriver implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneDriver.class);
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(5);
    private final ControlPlane upstream;
    private final RouteTable routes;
    private final RequestMetrics metrics;
    private final DesiredState desired;
    private final PlatformProperties props;
    private final Sinks.Many<Boolean> routesWanted = Sinks.many().multicast().directBestEffort();
    private volatile Disposable running;

    ControlPlaneDriver(ControlPlane upstream, RouteTable routes, RequestMetrics metrics, DesiredState desired, PlatformProperties props) {
        this.upstream = upstream;
        this.desired = desired;
        this.routes = routes;
        this.metrics = metrics;
        this.props = props;
    }

    private Retry backoff() {
        return Retry.backoff(Long.MAX_VALUE, props.retryMin()).maxBackoff(props.retryMax()).transientErrors(true);
    }

    private Mono<Void> register() {
        return Mono.defer(upstream::register)
                .doOnError(e -> unreachable("cannot register with", e))
                .retryWhen(backoff())
                .doOnSuccess(v -> log.info("registered with {}", upstream.describe()));
    }

    private Flux<Void> lease() {
        Duration every = upstream.leaseRenewInterval();
        return Flux.interval(every, every)
                .onBackpressureDrop()
                .concatMap(t -> Mono.defer(() -> upstream.renewLease(metrics.usage())).onErrorResume(e -> {
                    log.debug("lease renewal failed: {}", PlatformClient.describe(e));
                    return Mono.empty();
                }));
    }

    /** The watch, retried with back-off; replaced at once (back-off cut short) when the control plane asks ({@link ControlPlane#rewatch}). */
    private Flux<Boolean> assignments() {
        return upstream.rewatch().startWith(true).switchMap(x -> Flux.defer(upstream::watch)
                .doOnNext(changed -> {
                    if (changed) {
                        routesWanted.tryEmitNext(true);
                    }
                })
                .concatWith(Flux.error(() -> new IllegalStateException("watch stream ended")))
                .doOnError(e -> unreachable("desired-state watch interrupted:", e))
                .retryWhen(backoff()));
    }

    /** One readable line per failed attempt (no stack trace); the saved assignments start meanwhile. */
    private void unreachable(String what, Throwable e) {
        log.info("{} {} ({}); retrying with back-off up to {} s", what, upstream.describe(), PlatformClient.describe(e),
                props.retryMax().toMillis() / 1000.0);
        desired.restoreSaved();
    }

    private Flux<Void> routeTable() {
        return Flux.merge(Flux.interval(Duration.ZERO, props.routesRefreshInterval()).map(t -> true), routesWanted.asFlux())
                .onBackpressureLatest()
                .concatMap(t -> Mono.defer(upstream::routes).doOnNext(routes::update).then()
                        .onErrorResume(e -> Mono.empty()), 1);
    }

    @Override
    public void start() {
        running = register().thenMany(Flux.merge(lease(), upstream.background(), assignments().then(), routeTable())).subscribe();
    }

    @Override
    public void stop() {
        Disposable d = running;
        running = null;
        if (d != null) {
            d.dispose();
            try {
                upstream.leave().block(LEAVE_TIMEOUT);
            } catch (RuntimeException e) {
                log.info("could not tell {} that this node leaves: {}", upstream.describe(), PlatformClient.describe(e));
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
