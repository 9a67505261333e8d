package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.RestartProperties;
import dev.nanolet.agent.control.ControlPlane;
import dev.nanolet.agent.replica.DesiredState;
import dev.nanolet.oci.OciModules;
import dev.nanolet.oci.PullPolicy;
import dev.nanolet.oci.PulledModule;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import dev.nanolet.wire.Route;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The Kubernetes adapter: this node agent as a virtual kubelet. Registers a {@code Node} ({@link NodeObject}),
 * holds its {@code Lease} in {@code kube-node-lease} and refreshes the node's conditions on every renewal,
 * watches the pods bound to it (an informer over all pods, filtered by {@code spec.nodeName} here, so it
 * works the same on an API server and on fabric8's CRUD mock), runs them ({@link PodTranslation}),
 * reports their status ({@link PodStatusWriter}) and {@link PodEvents}, pulls each pod's module from its OCI
 * registry with that pod's own {@code imagePullSecrets} ({@link PodPulls}), and deletes a pod with grace 0 once it stopped after
 * its deletion was asked ({@link PodDeletion}). Informer callbacks only enqueue; a single worker thread
 * does the rest.
 * When the API server is unreachable the informer keeps its cache and the node keeps what it runs; the
 * first lease renewal that succeeds after an outage (a renewal failed, or the informer was not watching
 * when one began) replaces the watch ({@link #rewatch}), so a new informer lists every pod again: pods
 * deleted during the outage go, whether or not the API server still had their events for a resumed watch.
 */
final class KubernetesControlPlane implements ControlPlane, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesControlPlane.class);
    /** The order new and moved routes are weighed in: oldest pod first, then by namespace/name. */
    private static final Comparator<Pod> OLDEST_FIRST = Comparator.comparing((Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
            .thenComparing(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
    private final KubernetesClient client;
    private final NodeProperties node;
    private final KubernetesProperties props;
    private final DesiredState desired;
    private final PodPulls pulls;
    private final ClusterConfig config;
    private final NodeLease lease;
    private final Clock clock;
    private final RestartProperties backoff;
    private final ScheduledExecutorService timer;
    private final ExecutorService work = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("nanolet-pods").factory());
    private final ConcurrentMap<UUID, TrackedPod> pods = new ConcurrentHashMap<>();
    private final PodDeletion deletion;
    private final PodStatusWriter statuses;
    private final HeldRoutes routes = new HeldRoutes();
    private final Sinks.Many<Boolean> relist = Sinks.many().multicast().directBestEffort();
    private final AtomicBoolean unreachable = new AtomicBoolean();
    private volatile SharedIndexInformer<Pod> watching;

    /**
     * @param idle whether a replica has no request in flight (graceful deletion waits for it, within the grace period)
     * @param timer pull retries and deletion drains
     */
    KubernetesControlPlane(KubernetesClient client, NodeProperties node, KubernetesProperties props, DesiredState desired,
            OciModules oci, Clock clock, RestartProperties backoff, Predicate<UUID> idle, ScheduledExecutorService timer) {
        this.client = client;
        this.node = node;
        this.props = props;
        this.desired = desired;
        this.pulls = new PodPulls(oci);
        this.clock = clock;
        this.backoff = backoff;
        this.timer = timer;
        this.config = new ClusterConfig(client);
        this.lease = new NodeLease(client, node, props, clock);
        this.deletion = new PodDeletion(client, clock, idle, timer, work);
        this.statuses = new PodStatusWriter(client, props.nodeIp(), clock);
    }

    private static Mono<Void> blocking(Runnable r) {
        return Mono.fromRunnable(r).subscribeOn(Schedulers.boundedElastic()).then();
    }


    @Override
    public Mono<Void> register() {
        return blocking(() -> {
            lease.registerNode();
            lease.nodeStatus(true, null);
            lease.renew();
        });
    }

    @Override
    public Mono<Void> renewLease(NodeUsage usage) {
        SharedIndexInformer<Pod> informer = watching;
        if (informer != null && informer.hasSynced() && !informer.isWatching()) {
            unreachable.set(true);
        }
        long started = System.nanoTime();
        return renew().doOnError(e -> unreachable.set(true)).doOnSuccess(v -> {
            // fabric8 retries a refused connection by itself: a renewal that outlasted its interval
            // came through an outage too, during which the informer may have resumed its watch
            boolean late = System.nanoTime() - started > props.leaseRenewInterval().toNanos();
            if (unreachable.getAndSet(false) || late) {
                log.info("the API server answers again: listing the pods bound to {} again", node.name());
                relist.tryEmitNext(true);
            }
        });
    }

    /** After an outage: a new informer, whose first list is the whole truth (the loop switches to it at once). */
    @Override
    public Flux<Boolean> rewatch() {
        return relist.asFlux();
    }

    private Mono<Void> renew() {
        return blocking(() -> {
            try {
                lease.renew();
                lease.nodeStatus(true, null);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                log.info("node {} or its lease was deleted; registering again", node.name());
                lease.registerNode();
                lease.nodeStatus(true, null);
                lease.renew();
            }
        });
    }

    @Override
    public Duration leaseRenewInterval() {
        return props.leaseRenewInterval();
    }

    @Override
    public Flux<Boolean> watch() {
        return Flux.create(sink -> {
            SharedIndexInformer<Pod> informer = client.pods().inAnyNamespace().runnableInformer(props.resync().toMillis());
            watching = informer;
            // the events of the informer's first list come before its snapshot, one pod at a time in the
            // list's order; the snapshot takes them in together (it reads the same store), so that which pod
            // keeps a contested route does not depend on that order (only the worker thread reads it)
            AtomicBoolean listed = new AtomicBoolean();
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Pod pod) {
                    enqueue(sink, () -> ifListed(listed, () -> changed(pod)));
                }

                @Override
                public void onUpdate(Pod old, Pod pod) {
                    enqueue(sink, () -> ifListed(listed, () -> changed(pod)));
                }

                @Override
                public void onDelete(Pod pod, boolean finalStateUnknown) {
                    enqueue(sink, () -> ifListed(listed, () -> gone(pod)));
                }
            });
            informer.stopped().whenComplete((v, e) -> {
                if (e != null) {
                    sink.error(e);
                } else {
                    sink.complete();
                }
            });
            sink.onDispose(informer::close);
            informer.start().whenComplete((v, e) -> {
                if (e != null) {
                    sink.error(e);
                } else {
                    enqueue(sink, () -> {
                        try {
                            snapshot(informer.getStore().list());
                        } finally {
                            listed.set(true);
                        }
                    });
                }
            });
        }, FluxSink.OverflowStrategy.LATEST);
    }

    private static void ifListed(AtomicBoolean listed, Runnable step) {
        if (listed.get()) {
            step.run();
        }
    }

    private void enqueue(FluxSink<Boolean> sink, Runnable step) {
        try {
            work.execute(() -> {
                try {
                    step.run();
                    sink.next(true);
                } catch (RuntimeException e) {
                    log.warn("cannot handle a pod change: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the agent is stopping
        }
    }

    private boolean mine(Pod pod) {
        return pod.getSpec() != null && node.name().equals(pod.getSpec().getNodeName());
    }

    private static UUID uid(Pod pod) {
        return UUID.fromString(pod.getMetadata().getUid());
    }

    private void changed(Pod pod) {
        if (!mine(pod)) {
            routes.release(uid(pod));
            if (pods.remove(uid(pod)) != null) {
                desired.remove(uid(pod));
            }
            reconsider();
            return;
        }
        evaluate(pod).ifPresentOrElse(desired::put, () -> {
            TrackedPod t = pods.get(uid(pod));
            // a running pod that waits for a config keeps what it runs; a waiting one keeps its claim to a route
            if (t == null || !t.reported || t.refused) {
                desired.remove(uid(pod));
            }
        });
        reconsider();
    }

    private void gone(Pod pod) {
        pods.remove(uid(pod));
        routes.release(uid(pod));
        desired.remove(uid(pod));
        reconsider();
    }

    /**
     * The pods waiting for a route ({@code RouteTaken}, Pending) whose route is free now (its holder deleted, stopping,
     * moved or refused) run, oldest first as a list weighs them: a relist of the informer delivers the pods added during
     * a gap in its watch before the deletions, so a pod may wait for the route of a pod deleted meanwhile. One whose
     * route another pod holds now waits on, told who holds it. Only the route is weighed before the pod is (no config
     * read for a pod whose route is still taken by the same pod).
     */
    private void reconsider() {
        pods.values().stream()
                .filter(t -> t.routeWait != null && !t.refused && t.pod.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing((TrackedPod t) -> t.pod, OLDEST_FIRST))
                .toList()
                .forEach(t -> {
                    if (routes.claim(new PodTranslation.Run(t.routeWait)) instanceof PodTranslation.Wait w && w.message().equals(t.waiting)) {
                        return; // still taken by the same pod (maybe an older one weighed just before): nothing new to tell
                    }
                    log.info("pod {}/{} is weighed again: a route was freed", t.pod.getMetadata().getNamespace(), t.pod.getMetadata().getName());
                    try {
                        evaluate(t.pod).ifPresent(desired::put);
                    } catch (RuntimeException e) {
                        log.warn("cannot handle pod {}/{} now: {}", t.pod.getMetadata().getNamespace(), t.pod.getMetadata().getName(), e.toString());
                    }
                });
    }

    /**
     * A full list: every pod is weighed anew. The routes held before are what this node runs (a relist after an
     * outage) or, after an agent restart, what it ran before it stopped (the saved desired set: not what a pod's
     * annotation says now, which its namespace may have edited meanwhile); a pod keeps a route it held as long as
     * the route does not move, and new or moved routes are weighed oldest pod first. A pod that waits for a config,
     * or cannot be weighed now (the API server failing a read), keeps its claim, and what it ran if it had reported.
     */
    private void snapshot(List<Pod> all) {
        Set<UUID> seen = new HashSet<>();
        all.stream().filter(this::mine).forEach(p -> seen.add(uid(p)));
        pods.keySet().retainAll(seen); // pods deleted meanwhile hold no route
        routes.retain(seen);
        List<Assignment> run = new ArrayList<>();
        try {
            desired.saved().stream().filter(a -> seen.contains(a.replicaId()) && !pods.containsKey(a.replicaId()) && !a.terminating())
                    .forEach(routes::heldBefore);
            List<Pod> mine = all.stream().filter(this::mine).sorted(OLDEST_FIRST).toList();
            for (Pod pod : mine) {
                UUID id = uid(pod);
                try {
                    evaluate(pod).ifPresentOrElse(run::add, () -> keepClaim(id, run));
                } catch (RuntimeException e) {
                    log.warn("cannot handle pod {}/{} now: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.toString());
                    keepClaim(id, run);
                } finally {
                    routes.weighed(id);
                }
            }
        } finally {
            routes.listed();
        }
        desired.replaceAll(run);
        reconsider();
    }

    /** A pod of a list that runs nothing new: unless refused, it keeps its claim ({@link HeldRoutes#keep}). */
    private void keepClaim(UUID id, List<Assignment> run) {
        TrackedPod t = pods.get(id);
        if (t != null && !t.refused) {
            routes.keep(id, t.reported).ifPresent(run::add);
        }
    }

    /** What the node should run for {@code pod}, if anything; refuses or holds it otherwise (side effects on the pod). */
    private Optional<Assignment> evaluate(Pod pod) {
        UUID id = uid(pod);
        boolean known = pods.containsKey(id);
        TrackedPod t = pods.computeIfAbsent(id, x -> new TrackedPod(pod));
        t.pod = pod;
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        if (!known && !deleting && pod.getStatus() != null && ("Succeeded".equals(pod.getStatus().getPhase())
                || "Failed".equals(pod.getStatus().getPhase()))) {
            t.refused = true; // finished before this agent started: never run again
        }
        if (t.refused) {
            if (deleting) {
                deletion.now(t.pod);
            } else if (t.unwritten != null && statuses.refused(t.pod, t.unwritten)) {
                t.unwritten = null;
            }
            return Optional.empty();
        }
        deletion.retry(t);
        routes.ranBefore(id).ifPresent(t.env::started); // after a restart: it started with the env the node ran it with
        PodTranslation.Result translated = PodTranslation.translate(pod, t.revision, props.nodeIp(), config, t.env.of(pod));
        PodTranslation.Result result = routes.claim(translated);
        return switch (result) {
            case PodTranslation.Run run -> {
                t.routeWait = null;
                t.waiting = null; // a wait that comes again is told again
                warnShadowedEnv(t, run.assignment());
                yield Optional.of(t.env.started(routes.accept(run.assignment())));
            }
            case PodTranslation.Refuse refuse -> {
                t.refused = true; // Failed, and stopped if it ran: a refused pod never runs here again (Failed is final)
                t.routeWait = null;
                routes.release(id);
                if (deleting) {
                    deletion.now(t.pod);
                } else {
                    log.info("pod {}/{} cannot run here: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), refuse.message());
                    // written again on the pod's next event (at the latest its resync) until it is
                    t.unwritten = statuses.refused(t.pod, refuse) ? null : refuse;
                    createEvent(t, new EventReport("Warning", refuse.reason(), refuse.message()));
                }
                yield Optional.empty();
            }
            case PodTranslation.Wait wait -> {
                boolean forRoute = HeldRoutes.ROUTE_TAKEN.equals(wait.reason());
                t.routeWait = forRoute && translated instanceof PodTranslation.Run r ? r.assignment() : null;
                Optional<Assignment> stopping = deleting && t.reported ? routes.leave(id) : Optional.empty();
                if (stopping.isPresent()) { // it stops as any pod being deleted does, whatever it waits for
                    yield stopping;
                } else if (deleting) { // nothing runs
                    deletion.now(t.pod);
                } else if (!wait.message().equals(t.waiting) && statuses.waiting(t.pod, wait)) {
                    t.waiting = wait.message();
                    createEvent(t, forRoute ? new EventReport("Warning", wait.reason(), wait.message())
                            : new EventReport("Warning", "Failed", "Error: " + wait.message()));
                }
                yield Optional.empty();
            }
        };
    }

    /** A Warning event naming the env {@link ShadowedEnv} the pod sets, once for those names (not on every resync). */
    private void warnShadowedEnv(TrackedPod t, Assignment a) {
        Set<String> names = a.terminating() ? Set.of() : ShadowedEnv.of(a);
        if (!names.isEmpty() && !names.equals(t.shadowedEnv)) {
            t.shadowedEnv = names;
            createEvent(t, new EventReport("Warning", ShadowedEnv.REASON, ShadowedEnv.message(names)));
        }
    }

    @Override
    public Mono<Void> status(UUID replica, ReplicaStatusReport report) {
        TrackedPod t = pods.get(replica);
        if (t == null) {
            return Mono.empty();
        }
        return blocking(() -> {
            if (t.refused) {
                return;
            }
            if (report.phase() == ReplicaPhase.Terminating) {
                if (t.pod.getMetadata().getDeletionTimestamp() != null) {
                    deletion.afterDrain(t, replica);
                }
                return;
            }
            Instant now = clock.instant();
            ContainerHistory h = t.history(was -> was.after(report, now));
            t.reported = true;
            if (report.phase() == ReplicaPhase.Pulling) {
                createEvent(t, new EventReport("Normal", "Pulling", "Pulling image \"" + image(t.pod) + "\""));
            }
            statuses.report(t, report, h, now);
            if (ContainerHistory.isPullFailure(report)) {
                retryPull(t, replica, h.pullFailures());
            }
        });
    }

    /** ImagePullBackOff: the pod's assignment comes again with the next revision after a back-off, so the node pulls again. */
    private void retryPull(TrackedPod t, UUID replica, int failures) {
        Duration delay = backoff.delay(Math.max(0, failures - 1));
        createEvent(t, new EventReport("Normal", "BackOff", "Back-off pulling image \"" + image(t.pod) + "\" for " + delay.toSeconds() + "s"));
        timer.schedule(() -> work.execute(() -> {
            if (pods.get(replica) == t && !t.refused) {
                t.revision++;
                evaluate(t.pod).ifPresent(desired::put);
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void createEvent(TrackedPod t, EventReport report) {
        try {
            client.v1().events().inNamespace(t.pod.getMetadata().getNamespace())
                    .resource(PodEvents.of(t.pod, report, node.name(), clock.instant())).create();
        } catch (KubernetesClientException e) {
            log.debug("cannot record event {} of pod {}: {}", report.reason(), t.pod.getMetadata().getName(), e.getMessage());
        }
    }

    @Override
    public Mono<Void> event(UUID replica, EventReport event) {
        TrackedPod t = pods.get(replica);
        return t == null ? Mono.empty() : blocking(() -> createEvent(t, event));
    }

    /** A pod that is gone (404), or a status the API server rejects as invalid. */
    @Override
    public boolean refused(Throwable error) {
        return error instanceof KubernetesClientException k && (k.getCode() == 400 || k.getCode() == 404 || k.getCode() == 422);
    }

    @Override
    public Mono<Void> leave() {
        return blocking(() -> lease.nodeStatus(false, "nanolet node agent is shutting down"));
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
        if (t == null || !reference.equals(image(t.pod))) {
            throw new IllegalStateException("no pod on this node with uid " + replica + " runs " + reference);
        }
        Pod pod = t.pod;
        PulledModule m = pulls.pull(reference, config.credentials(pod, OciModules.registryOf(reference)),
                PullPolicy.of(pod.getSpec().getContainers().getFirst().getImagePullPolicy(), reference));
        t.history(h -> h.withImageId(m.imageId()));
        return m.bytes();
    }

    /** The uid of a pod this node has, by namespace and name (the kubelet API's logs). */
    Optional<UUID> uid(String namespace, String name) {
        return TrackedPod.named(pods.values(), namespace, name);
    }

    private static String image(Pod pod) {
        return pod.getSpec().getContainers().isEmpty() ? "" : pod.getSpec().getContainers().getFirst().getImage();
    }

    @Override
    public void close() {
        work.shutdownNow();
    }
}
