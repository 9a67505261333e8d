package dev.nanolet.agent.control;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.PlatformProperties;
import dev.nanolet.agent.http.RouteTable;
import dev.nanolet.agent.metrics.RequestMetrics;
import dev.nanolet.agent.replica.Reconciler;
import dev.nanolet.wire.NodeRegistration;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * The node's side of the node protocol: register (retried until it works), renew the lease
 * with usage figures, watch assignments (reconnecting with back-off), refresh the route table.
 * Failures never stop what runs: the node keeps serving what it was last told, and if the
 * platform cannot be reached at start it serves the assignments saved before its last stop.
 */
@Component
class ControlLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);
    private final PlatformClient client;
    private final AssignmentWatch watch;
    private final RouteTable routes;
    private final RequestMetrics metrics;
    private final Reconciler reconciler;
    private final PlatformProperties props;
    private final NodeRegistration registration;
    private final LeaseFence fence;
    private final Sinks.Many<Boolean> routesWanted = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<Boolean> relist = Sinks.many().multicast().directBestEffort();
    private volatile Disposable running;

    ControlLoop(PlatformClient client, AssignmentWatch watch, RouteTable routes, RequestMetrics metrics,
            Reconciler reconciler, PlatformProperties props, NodeProperties node, LeaseFence fence) {
        this.client = client;
        this.fence = fence;
        this.reconciler = reconciler;
        this.watch = watch;
        this.routes = routes;
        this.metrics = metrics;
        this.props = props;
        this.registration = new NodeRegistration(node.name(), node.labels(),
                new NodeRegistration.Capacity(node.instances(), node.memoryMib()), node.address());
    }

    private Retry backoff() {
        return Retry.backoff(Long.MAX_VALUE, props.retryMin()).maxBackoff(props.retryMax()).transientErrors(true);
    }

    private Mono<Void> register() {
        return renewing(() -> client.register(registration))
                .doOnError(e -> unreachable("cannot register with", e))
                .retryWhen(backoff())
                .doOnSuccess(v -> log.info("registered as {}", registration.name()));
    }

    private Flux<Void> lease() {
        return Flux.interval(props.leaseRenewInterval(), props.leaseRenewInterval())
                .onBackpressureDrop()
                .concatMap(t -> renewing(() -> client.renewLease(metrics.usage())).onErrorResume(this::leaseFailed));
    }

    /** A call that renews the lease when it succeeds (a renewal or a registration), timed from when it is sent. */
    private Mono<Void> renewing(Supplier<Mono<Void>> call) {
        return Mono.defer(() -> {
            Instant sent = fence.now();
            return call.get().doOnSuccess(v -> {
                if (fence.renewed(sent)) {
                    log.info("lease renewed after it had expired: listing assignments again");
                    relist.tryEmitNext(true);
                }
            });
        });
    }

    /** Stops the node's jobs once its lease has expired by its own clock ({@link LeaseFence}). */
    private Flux<Void> fencing() {
        return Flux.interval(fence.checkInterval()).onBackpressureDrop()
                .filter(t -> fence.expire())
                .doOnNext(t -> reconciler.fence())
                .then().flux();
    }

    private Mono<Void> leaseFailed(Throwable e) {
        if (e instanceof WebClientResponseException w && (w.getStatusCode().value() == 404 || w.getStatusCode().value() == 401)) {
            return renewing(() -> client.register(registration)).onErrorResume(x -> Mono.empty());
        }
        log.debug("lease renewal failed: {}", PlatformClient.describe(e));
        return Mono.empty();
    }

    /** The watch; a lease renewal that lifts the fence replaces it at once with one that lists afresh. */
    private Flux<Boolean> assignments() {
        return relist.asFlux().startWith(false).switchMap(fresh -> Flux.defer(() -> {
            if (fresh) {
                watch.relistLiftingFence();
            }
            return watchStream();
        }));
    }

    private Flux<Boolean> watchStream() {
        return Flux.defer(() -> client.watch(watch.lastEventId()))
                .timeout(props.watchIdleTimeout())
                .map(watch::accept)
                .doOnNext(changed -> {
                    if (changed) {
                        routesWanted.tryEmitNext(true);
                    }
                })
                .concatWith(Flux.error(() -> new IllegalStateException("watch stream ended")))
                .doOnError(e -> {
                    if (e instanceof WebClientResponseException w && w.getStatusCode().value() == 410) {
                        log.info("platform-api no longer knows resource version {} (410 Gone); listing all assignments again",
                                watch.lastEventId());
                        watch.relist();
                    } else {
                        unreachable("assignment watch interrupted:", e);
                    }
                })
                .retryWhen(backoff());
    }

    /** One readable line per failed attempt (no stack trace); the saved assignments start meanwhile. */
    private void unreachable(String what, Throwable e) {
        log.info("{} platform-api at {} ({}); retrying with back-off up to {} s", what, props.url(), PlatformClient.describe(e),
                props.retryMax().toMillis() / 1000.0);
        reconciler.restoreSaved();
    }

    private Flux<Void> routeTable() {
        return Flux.merge(Flux.interval(Duration.ZERO, props.routesRefreshInterval()).map(t -> true), routesWanted.asFlux())
                .onBackpressureLatest()
                .concatMap(t -> client.routes().doOnNext(routes::update).then()
                        .onErrorResume(e -> Mono.empty()), 1);
    }

    @Override
    public void start() {
        running = register().thenMany(Flux.merge(lease(), fencing(), assignments().then(), routeTable())).subscribe();
    }

    @Override
    public void stop() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
