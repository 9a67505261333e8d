package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.RestartProperties;
import dev.nanolet.agent.control.ControlPlane;
import dev.nanolet.agent.replica.DesiredState;
import dev.nanolet.oci.OciModules;
import dev.nanolet.oci.PullPolicy;
import dev.nanolet.oci.PulledModule;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.ReplicaStatusReport;
import dev.nanolet.wire.Route;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Kubernetes adapter: this node agent as a virtual kubelet. Registers a {@code Node} ({@link NodeObject}),
 * holds its {@code Lease} in {@code kube-node-lease} and refreshes the node's conditions on every renewal
 * ({@link NodeHeartbeat}), watches the pods bound to it ({@link PodInformer}, {@link PodChanges}) and the cluster's
 * Services ({@link ServiceCache}, for the pods' Service variables), runs them
 * ({@link PodEvaluation}, {@link PodTranslation}, pods waiting for a route: {@link RouteWaits}), reports their status
 * ({@link PodReports}, {@link PodStatusWriter}) and {@link PodEvents}, pulls each pod's module from its OCI
 * registry with that pod's own {@code imagePullSecrets} ({@link PodPulls}), and deletes a pod with grace 0 once it stopped after
 * its deletion was asked ({@link PodDeletion}). Informer callbacks only enqueue; a single worker thread
 * does the rest, but for the pods' status writes and deletes, which it puts on {@link PodWrites}, and their events,
 * which it puts on {@link EventRecorder}'s queue.
 * When the API server is unreachable the informer keeps its cache and the node keeps what it runs; the
 * first lease renewal that succeeds after an outage (a renewal failed, or the informer was not watching
 * when one began) replaces the watch ({@link #rewatch}), so a new informer lists every pod again: pods
 * deleted during the outage go, whether or not the API server still had their events for a resumed watch.
 */
final class KubernetesControlPlane implements ControlPlane, AutoCloseable {

    /** How long the pods' watch waits for the Services' first list. */
    static final Duration SERVICES_FIRST_LIST = Duration.ofSeconds(5);
    private final KubernetesClient client;
    private final KubernetesProperties props;
    private final PodPulls pulls;
    private final ClusterConfig config;
    private final ServiceCache services;
    /** Completes once the Services were first listed, or failed to be. */
    private final CompletableFuture<Void> servicesListed;
    private final ExecutorService work = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("nanolet-pods").factory());
    /** The pods' status writes and deletes ({@link PodWrites}): off the worker, each on its own virtual thread. */
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("nanolet-pod-writes").factory());
    private final PodWrites writes;
    private final TrackedPods pods = new TrackedPods();
    private final EventRecorder events;
    private final PodInformer informer;
    private final NodeHeartbeat heartbeat;
    private final PodReports reports;

    /**
     * @param idle whether a replica has no request in flight (graceful deletion waits for it, within the grace period)
     * @param timer pull retries, deletion drains and the retries of failed writes
     */
    KubernetesControlPlane(KubernetesClient client, NodeProperties node, KubernetesProperties props, DesiredState desired,
            OciModules oci, Clock clock, RestartProperties backoff, Predicate<UUID> idle, ScheduledExecutorService timer) {
        this.client = client;
        this.props = props;
        this.pulls = new PodPulls(oci);
        KubernetesClient brief = BriefRetries.of(client);
        this.services = new ServiceCache(client);
        this.servicesListed = services.start();
        this.config = new ClusterConfig(brief, services);
        this.events = new EventRecorder(brief, node.name(), clock);
        this.writes = new PodWrites(calls, timer);
        PodDeletion deletion = new PodDeletion(brief, clock, idle, timer, work, writes);
        PodStatusWriter statuses = new PodStatusWriter(brief, props.nodeIp(), clock);
        HeldRoutes routes = new HeldRoutes();
        PodEvaluation evaluation = new PodEvaluation(pods, routes, deletion, statuses, events, config, props.nodeIp(), node.instances(),
                new ReadRetries(timer, work, desired), writes, new PendingReads(calls));
        RouteWaits waits = new RouteWaits(pods, routes, evaluation, desired);
        this.informer = new PodInformer(client, node.name(), props.resync(), work, new PodChanges(node.name(), pods, routes, desired, evaluation, waits));
        this.heartbeat = new NodeHeartbeat(new NodeLease(brief, node, props, clock), node.name(), props.leaseRenewInterval(), informer::lostWatch);
        this.reports = new PodReports(pods, statuses, deletion, events, evaluation, desired, backoff, timer, work, clock);
    }

    @Override
    public Mono<Void> register() {
        return heartbeat.register();
    }

    @Override
    public Mono<Void> renewLease(NodeUsage usage) {
        return heartbeat.renewLease();
    }

    /** After an outage: a new informer, whose first list is the whole truth (the loop switches to it at once). */
    @Override
    public Flux<Boolean> rewatch() {
        return heartbeat.rewatch();
    }

    @Override
    public Duration leaseRenewInterval() {
        return props.leaseRenewInterval();
    }

    /**
     * A new pod informer, started once the Services were first listed ({@link ServiceCache}), or failed to be, or after
     * {@link #SERVICES_FIRST_LIST} at most: a pod listed before would wait for its Service variables, and be told so.
     */
    @Override
    public Flux<Boolean> watch() {
        return Mono.fromFuture(servicesListed, true).timeout(SERVICES_FIRST_LIST).onErrorComplete().thenMany(informer.watch());
    }

    @Override
    public Mono<Void> status(UUID replica, ReplicaStatusReport report) {
        TrackedPod t = pods.get(replica);
        return t == null ? Mono.empty() : Blocking.run(() -> reports.status(t, replica, new ReplicaStatusReport(report.phase(),
                report.reason(), t.quoted(report.message()), report.restarts())));
    }

    /**
     * The data plane names a pod's module by its image ("cannot fetch", "fetched module"), whole: in the pod's status
     * and events it is quoted as any text of the pod ({@link Excerpt}), here and in {@link #status}, whether it is the
     * pod's image now or one it named before an edit ({@link TrackedPod#quoted}).
     */
    @Override
    public Mono<Void> event(UUID replica, EventReport event) {
        TrackedPod t = pods.get(replica);
        return t == null ? Mono.empty() : Blocking.run(() -> events.record(t, new EventReport(event.type(), event.reason(),
                t.quoted(event.message()))));
    }

    /** A pod that is gone (404), or a status the API server rejects as invalid. */
    @Override
    public boolean refused(Throwable error) {
        return error instanceof KubernetesClientException k && (k.getCode() == 400 || k.getCode() == 404 || k.getCode() == 422);
    }

    @Override
    public Mono<Void> leave() {
        return heartbeat.leave();
    }

    @Override
    public String describe() {
        return "Kubernetes API server at " + client.getMasterUrl();
    }

    /** Services route to pods (pod IP = this node); there is no one-hop forwarding between virtual nodes. */
    @Override
    public Mono<List<Route>> routes() {
        return Mono.just(List.of());
    }

    /**
     * Pulls {@code reference} for pod {@code replica} with its own credentials and pull policy ({@link PodPulls}: a
     * module on this node that other pods pulled is its only if the registry let its credentials have it too), and
     * remembers the digest it resolved to for its {@code imageID}.
     */
    @Override
    public byte[] fetch(UUID replica, String reference) {
        TrackedPod t = pods.get(replica);
        if (t != null) {
            t.named(reference); // the failure the data plane reports names it, whole: quoted by status and event
        }
        if (t == null || !reference.equals(Pods.image(t.pod))) {
            throw new IllegalStateException("no pod on this node with uid " + replica + " runs " + Excerpt.of(reference));
        }
        Pod pod = t.pod;
        // a failure's message names the image whole: it reaches no log line of the node, only the replica's status and
        // Warning event, which quote it by its Excerpt (#status, #event)
        PulledModule m = pulls.pull(reference, config.credentials(pod, OciModules.registryOf(reference)),
                PullPolicy.of(pod.getSpec().getContainers().getFirst().getImagePullPolicy(), reference));
        t.history(h -> h.withImageId(m.imageId()));
        return m.bytes();
    }

    /** The uid of a pod this node has, by namespace and name (the kubelet API's logs). */
    Optional<UUID> uid(String namespace, String name) {
        return pods.named(namespace, name);
    }

    /** The pods' events, for their metrics. */
    EventRecorder events() {
        return events;
    }

    /** The pods' own writes, for their metrics. */
    PodWrites writes() {
        return writes;
    }

    @Override
    public void close() {
        work.shutdownNow();
        services.close();
        events.close();
        calls.shutdownNow();
    }
}
