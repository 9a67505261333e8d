package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The node's registration and its {@link NodeLease} renewals, which refresh the node's conditions too. The first
 * renewal that succeeds after an outage (a renewal failed, or the informer was not watching when one began) asks
 * for a new watch ({@link #rewatch}), whose first list is the whole truth. An outage of the renewals is logged twice:
 * its first failed renewal at WARN, with the reason, and the renewal that ends it at INFO; nothing per renewal between.
 */
final class NodeHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);
    private final NodeLease lease;
    private final String nodeName;
    private final Duration renewInterval;
    private final BooleanSupplier lostWatch;
    private final Sinks.Many<Boolean> relist = Sinks.many().multicast().directBestEffort();
    private final AtomicBoolean unreachable = new AtomicBoolean();
    /** Renewals failed in a row. */
    private final AtomicInteger failures = new AtomicInteger();

    NodeHeartbeat(NodeLease lease, String nodeName, Duration renewInterval, BooleanSupplier lostWatch) {
        this.lease = lease;
        this.nodeName = nodeName;
        this.renewInterval = renewInterval;
        this.lostWatch = lostWatch;
    }

    Mono<Void> register() {
        return Blocking.run(() -> {
            lease.registerNode();
            lease.nodeStatus(true, null);
            lease.renew();
        });
    }

    Mono<Void> renewLease() {
        if (lostWatch.getAsBoolean()) {
            unreachable.set(true);
        }
        long started = System.nanoTime();
        return renew().doOnError(this::failed).doOnSuccess(v -> {
            int failed = failures.getAndSet(0);
            if (failed > 0) {
                log.info("the lease of node {} is renewed again, after {} failed renewals", nodeName, failed);
            }
            // a renewal that outlasted its interval came through an outage too (its attempts' timeouts, the
            // client's brief retries), during which the informer may have resumed its watch
            boolean late = System.nanoTime() - started > renewInterval.toNanos();
            if (unreachable.getAndSet(false) || late) {
                log.info("the API server answers again: listing the pods bound to {} again", nodeName);
                relist.tryEmitNext(true);
            }
        });
    }

    private void failed(Throwable e) {
        unreachable.set(true);
        if (failures.getAndIncrement() == 0) {
            log.warn("cannot renew the lease of node {}: {}; trying again at each renewal (every {} s), logged again once it is renewed",
                    nodeName, e.toString(), renewInterval.toMillis() / 1000.0);
        }
    }

    /** After an outage: a new informer, whose first list is the whole truth (the loop switches to it at once). */
    Flux<Boolean> rewatch() {
        return relist.asFlux();
    }

    Mono<Void> leave() {
        return Blocking.run(() -> lease.nodeStatus(false, "nanolet node agent is shutting down"));
    }

    private Mono<Void> renew() {
        return Blocking.run(() -> {
            try {
                lease.renew();
                lease.nodeStatus(true, null);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                log.info("node {} or its lease was deleted; registering again", nodeName);
                lease.registerNode();
                lease.nodeStatus(true, null);
                lease.renew();
            }
        });
    }
}
