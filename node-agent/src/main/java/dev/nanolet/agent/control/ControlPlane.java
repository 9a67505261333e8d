package dev.nanolet.agent.control;

import dev.nanolet.agent.http.RouteSource;
import dev.nanolet.agent.replica.DesiredState;
import dev.nanolet.agent.replica.ModuleSource;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.ReplicaStatusBatch;
import dev.nanolet.wire.ReplicaStatusReport;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Who tells this node what to run, and hears back: platform-api ({@code nanolet.control-plane=platform})
 * or a Kubernetes API server ({@code kubernetes}). The {@link ControlPlaneDriver} drives an adapter the same
 * way in both modes (register, renew, watch with back-off, serve what was saved while it cannot be
 * reached); the {@link ReportOutbox} queues and retries its status and event calls. Every adapter
 * passes {@code ControlPlaneContract}.
 *
 * <p>Adapters never block the caller of a {@link Mono} or {@link Flux} method; {@link #fetch} blocks
 * (it runs on the lifecycle executor).
 */
public interface ControlPlane extends ModuleSource, RouteSource {

    /** Registers (or re-registers) this node with its labels and capacity. */
    Mono<Void> register();

    /** Keeps this node's lease, with its usage figures; an adapter re-registers if the control plane forgot the node. */
    Mono<Void> renewLease(NodeUsage usage);

    /** How often {@link #renewLease} is due. */
    Duration leaseRenewInterval();

    /**
     * Watches the desired state and delivers it to the {@link DesiredState} the adapter was made with:
     * first a full snapshot, then changes. Emits, for each delivered event, whether the route table should
     * be fetched again at once (a fresh snapshot; a change of the table announced). Ends or fails when the
     * watch is interrupted; the loop then watches again after a back-off (an adapter resumes where it can).
     */
    Flux<Boolean> watch();

    /** Reports a replica's status. */
    Mono<Void> status(UUID replica, ReplicaStatusReport report);

    /**
     * Reports several replicas' status in one call, when {@link #batchesStatus} says the adapter can:
     * emits, per report in order, whether it was applied (false: refused, dropped like a refused
     * {@link #status}); fails as a whole when it should be retried.
     */
    default Mono<List<Boolean>> statuses(List<ReplicaStatusBatch.Item> reports) {
        return Mono.error(new UnsupportedOperationException(describe() + " takes status reports one by one"));
    }

    /** Whether {@link #statuses} works (platform-api has the batch endpoint; the Kubernetes API has none). */
    default boolean batchesStatus() {
        return false;
    }

    /** Reports an event about a replica. */
    Mono<Void> event(UUID replica, EventReport event);

    /** Whether a failed {@link #status} or {@link #event} call will fail the same way when retried (drop it). */
    boolean refused(Throwable error);

    /** The node is going away: marks it not ready where the control plane has such a notion. */
    Mono<Void> leave();

    /** Emits when the current watch must be replaced at once by a new one (cutting a back-off short). */
    default Flux<Boolean> rewatch() {
        return Flux.never();
    }

    /** Work the adapter needs while the loop runs, beside the lease and the watch (platform mode: the lease fence). */
    default Flux<Void> background() {
        return Flux.empty();
    }

    /** Where this adapter talks to, for log lines. */
    String describe();
}
