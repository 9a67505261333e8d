package dev.nanolet.agent.control;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.PlatformProperties;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.ReplicaStatusReport;
import dev.nanolet.wire.Route;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The platform-api adapter: the node protocol's client ({@link PlatformClient}) and its watch
 * decoder ({@link AssignmentWatch}) behind the {@link ControlPlane} port, unchanged inside.
 */
@Component
@PlatformMode
class PlatformControlPlane implements ControlPlane {

    private final PlatformClient client;
    private final AssignmentWatch watch;
    private final PlatformProperties props;
    private final NodeRegistration registration;

    PlatformControlPlane(PlatformClient client, AssignmentWatch watch, PlatformProperties props, NodeProperties node) {
        this.client = client;
        this.watch = watch;
        this.props = props;
        this.registration = new NodeRegistration(node.name(), node.labels(),
                new NodeRegistration.Capacity(node.instances(), node.memoryMib()), node.address());
    }

    @Override
    public Mono<Void> register() {
        return client.register(registration);
    }

    /** A 404 means the platform has forgotten this node: it registers again. */
    @Override
    public Mono<Void> renewLease(NodeUsage usage) {
        return client.renewLease(usage).onErrorResume(
                e -> e instanceof WebClientResponseException w && w.getStatusCode().value() == 404, e -> register());
    }

    @Override
    public Duration leaseRenewInterval() {
        return props.leaseRenewInterval();
    }

    /** The SSE watch, resumed with {@code Last-Event-ID}; a silent stream is reconnected. */
    @Override
    public Flux<Boolean> watch() {
        return Flux.defer(() -> client.watch(watch.lastEventId())).timeout(props.watchIdleTimeout()).map(watch::accept);
    }

    @Override
    public Mono<Void> status(UUID replica, ReplicaStatusReport report) {
        return client.status(replica, report);
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

    @Override
    public byte[] fetch(String digest) {
        return client.fetch(digest);
    }

    @Override
    public Mono<List<Route>> routes() {
        return client.routes();
    }
}
