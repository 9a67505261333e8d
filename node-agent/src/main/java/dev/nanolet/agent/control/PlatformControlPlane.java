package dev.nanolet.agent.control;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.PlatformProperties;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.ReplicaStatusBatch;
import dev.nanolet.wire.ReplicaStatusReport;
import dev.nanolet.agent.replica.DesiredState;
import dev.nanolet.wire.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The platform-api adapter: the node protocol's client ({@link PlatformClient}) and its watch
 * decoder ({@link AssignmentWatch}) behind the {@link ControlPlane} port. It also keeps the node's
 * side of the lease fence ({@link LeaseFence}, docs/node-protocol.md "Fencing"): every call that
 * renews the lease is timed from when it is sent; once the lease has expired by the node's own
 * clock its jobs are fenced, and the renewal that ends the fence replaces the watch at once with
 * one that lists afresh, whose snapshot lifts the fence.
 */
@Component
@PlatformMode
class PlatformControlPlane implements ControlPlane {

    private static final Logger log = LoggerFactory.getLogger(PlatformControlPlane.class);
    private final PlatformClient client;
    private final AssignmentWatch watch;
    private final PlatformProperties props;
    private final NodeRegistration registration;
    private final LeaseFence fence;
    private final DesiredState desired;
    private final Sinks.Many<Boolean> relist = Sinks.many().multicast().directBestEffort();
    private volatile boolean relistPending;
    private volatile boolean batchEndpoint = true;

    PlatformControlPlane(PlatformClient client, AssignmentWatch watch, PlatformProperties props, NodeProperties node,
            LeaseFence fence, @Lazy DesiredState desired) {
        this.client = client;
        this.watch = watch;
        this.props = props;
        this.fence = fence;
        this.desired = desired;
        this.registration = new NodeRegistration(node.name(), node.labels(),
                new NodeRegistration.Capacity(node.instances(), node.memoryMib()), node.address());
        warnOfRestrictedLabels(node.labels());
    }

    /**
     * Labels under {@link NodeRegistration#RESTRICTED_LABEL_PREFIX} are the admin's: platform-api refuses a
     * registration with one (403, logged at each retry). Said once at start, with what to do, so that a
     * node that never registers shows why.
     */
    private static void warnOfRestrictedLabels(Map<String, String> labels) {
        List<String> restricted = NodeRegistration.restricted(labels);
        if (!restricted.isEmpty()) {
            log.error("NANOLET_NODE_LABELS sets {}: labels under {} are set by an admin only (PUT /api/v1/nodes/{{name}}/labels),"
                    + " and platform-api refuses to register a node that sets one; remove them from NANOLET_NODE_LABELS",
                    restricted, NodeRegistration.RESTRICTED_LABEL_PREFIX);
        }
    }

    @Override
    public Mono<Void> register() {
        return renewing(() -> client.register(registration));
    }

    /**
     * A 404 means the platform has forgotten this node, a 401 that its credential was revoked: it
     * registers again (with the bootstrap token when it holds no valid credential).
     */
    @Override
    public Mono<Void> renewLease(NodeUsage usage) {
        return renewing(() -> client.renewLease(usage)).onErrorResume(
                e -> e instanceof WebClientResponseException w && (w.getStatusCode().value() == 404 || w.getStatusCode().value() == 401),
                e -> register());
    }

    /** A call that renews the lease when it succeeds (a renewal or a registration), timed from when it is sent. */
    private Mono<Void> renewing(Supplier<Mono<Void>> call) {
        return Mono.defer(() -> {
            Instant sent = fence.now();
            return call.get().doOnSuccess(v -> {
                if (fence.renewed(sent)) {
                    log.info("lease renewed after it had expired: listing assignments again");
                    relistPending = true;
                    relist.tryEmitNext(true);
                }
            });
        });
    }

    /** Stops the node's jobs once its lease has expired by its own clock. */
    @Override
    public Flux<Void> background() {
        return Flux.interval(fence.checkInterval()).onBackpressureDrop()
                .filter(t -> fence.expire())
                .doOnNext(t -> desired.fence())
                .then().flux();
    }

    @Override
    public Duration leaseRenewInterval() {
        return props.leaseRenewInterval();
    }

    /**
     * The SSE watch, resumed with {@code Last-Event-ID}; a silent stream is reconnected. After a
     * renewal that ended a fence it lists afresh (its snapshot lifts the fence); a 410 Gone forgets
     * the resource version, so the next watch lists everything again.
     */
    @Override
    public Flux<Boolean> watch() {
        return Flux.defer(() -> {
            if (relistPending) {
                relistPending = false;
                watch.relistLiftingFence();
            }
            return client.watch(watch.lastEventId());
        }).timeout(props.watchIdleTimeout()).map(watch::accept).doOnError(e -> {
            if (e instanceof WebClientResponseException w && w.getStatusCode().value() == 410) {
                log.info("platform-api no longer knows resource version {} (410 Gone); listing all assignments again",
                        watch.lastEventId());
                watch.relist();
            }
        });
    }

    /** A renewal that ended a fence: the watch is replaced at once, also while the loop waits to watch again. */
    @Override
    public Flux<Boolean> rewatch() {
        return relist.asFlux();
    }

    @Override
    public Mono<Void> status(UUID replica, ReplicaStatusReport report) {
        return client.status(replica, report);
    }

    /**
     * One {@code POST …/status-reports}; a platform-api without that endpoint (404/405: older than
     * this node) gets these reports one by one ({@link ReportOutbox#IN_FLIGHT} at once: a batch holds
     * at most one report per replica) and no batch again.
     */
    @Override
    public Mono<List<Boolean>> statuses(List<ReplicaStatusBatch.Item> reports) {
        return client.statuses(reports)
                .map(r -> r.results().stream().map(result -> result.status() < 300).toList())
                .onErrorResume(e -> e instanceof WebClientResponseException w
                        && (w.getStatusCode().value() == 404 || w.getStatusCode().value() == 405), e -> {
                    batchEndpoint = false;
                    return Flux.fromIterable(reports).flatMapSequential(i -> client.status(i.replicaId(), i.report())
                            .thenReturn(true).onErrorResume(this::refused, x -> Mono.just(false)), ReportOutbox.IN_FLIGHT)
                            .collectList();
                });
    }

    @Override
    public boolean batchesStatus() {
        return batchEndpoint;
    }

    @Override
    public Mono<Void> event(UUID replica, EventReport event) {
        return client.event(replica, event);
    }

    /** A 4xx answer: 404 for a replica the platform deleted, 409 for a transition it refuses. */
    @Override
    public boolean refused(Throwable error) {
        return error instanceof WebClientResponseException w && w.getStatusCode().is4xxClientError();
    }

    /** The platform sees the lease expire; nothing to say. */
    @Override
    public Mono<Void> leave() {
        return Mono.empty();
    }

    @Override
    public String describe() {
        return "platform-api at " + props.url();
    }

    /** Any module this node is assigned, by its digest: platform-api checks the node's credential, not the replica. */
    @Override
    public byte[] fetch(UUID replica, String digest) {
        return client.fetch(digest);
    }

    @Override
    public Mono<List<Route>> routes() {
        return client.routes();
    }
}
