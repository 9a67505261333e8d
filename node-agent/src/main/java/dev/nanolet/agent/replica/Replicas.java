package dev.nanolet.agent.replica;

import dev.nanolet.agent.bindings.BindingPools;
import dev.nanolet.agent.logs.LogStore;
import dev.nanolet.agent.metrics.RequestMetrics;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.InvalidModuleException;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.ReplicaPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The replicas this node has, and the lifecycle steps that {@link ReplicaAction}s stand for.
 * Fetching and compiling run on the lifecycle executor; guests on the {@link GuestPool}.
 */
@Component
public class Replicas {

    private final ConcurrentMap<UUID, LocalReplica> replicas = new ConcurrentHashMap<>();
    /** {@code limits.maxConcurrency} is per deployment: its replicas here share one semaphore. */
    private final ConcurrentMap<String, Semaphore> slots = new ConcurrentHashMap<>();
    /** Bumped after every change of the replica set or of a replica's phase: what {@link #serving()} answers may differ. */
    private final AtomicLong servingVersion = new AtomicLong();
    private final ModuleStore modules;
    private final Jobs jobs;
    private final Transitions transitions;
    private final LogStore logs;
    private final Executor lifecycle;
    private final Volumes volumes;
    private final BindingPools pools;
    private final RequestMetrics metrics;

    Replicas(ModuleStore modules, Jobs jobs, Transitions transitions, LogStore logs,
            @Qualifier("lifecycleExecutor") Executor lifecycle, Volumes volumes, BindingPools pools, RequestMetrics metrics) {
        this.volumes = volumes;
        this.pools = pools;
        this.metrics = metrics;
        this.modules = modules;
        this.jobs = jobs;
        this.transitions = transitions;
        this.logs = logs;
        this.lifecycle = lifecycle;
    }

    public Optional<LocalReplica> find(UUID id) {
        return Optional.ofNullable(replicas.get(id));
    }

    /** Replicas that answer HTTP requests now. */
    public List<LocalReplica> serving() {
        return replicas.values().stream().filter(LocalReplica::serving).toList();
    }

    /**
     * Grows whenever {@link #serving()} may have changed (a replica came, went or changed phase):
     * a view of the serving replicas built after reading a value stays right while it still reads the same.
     */
    public long servingVersion() {
        return servingVersion.get();
    }

    public Collection<LocalReplica> all() {
        return List.copyOf(replicas.values());
    }

    /** A Warning event about a replica, for example a trap while serving a request. */
    public void warn(LocalReplica r, String reason, String message) {
        transitions.warning(r, reason, message);
    }

    Map<UUID, ReplicaDiff.Actual> actual() {
        return replicas.values().stream().collect(Collectors.toMap(LocalReplica::id, r -> new ReplicaDiff.Actual(
                r.id(), r.assignment().revision(), r.assignment().moduleDigest(), r.phase())));
    }

    void apply(ReplicaAction action) {
        if (step(action)) {
            retainPerDeployment();
        }
    }

    /**
     * Applies one action without closing binding pools; true when it replaced or forgot a replica, so
     * that the caller runs {@link #retainPerDeployment()} once after a whole diff (it reads every replica).
     */
    boolean step(ReplicaAction action) {
        switch (action) {
            case ReplicaAction.Start s -> start(s.assignment(), ReplicaPhase.Scheduled);
            case ReplicaAction.Restart s -> {
                ReplicaPhase was = forget(s.assignment().replicaId());
                start(s.assignment(), was != null && was.canMoveTo(ReplicaPhase.Starting) ? was : ReplicaPhase.Scheduled);
                return true;
            }
            case ReplicaAction.Terminate t -> terminate(t.assignment(), Reasons.STOPPED, "stopped as the platform asked");
            case ReplicaAction.Forget f -> {
                forget(f.replicaId());
                transitions.discard(f.replicaId());
                logs.remove(f.replicaId());
                return true;
            }
            case ReplicaAction.Report r -> find(r.replicaId()).ifPresent(transitions::report);
        }
        return false;
    }

    /**
     * What a node keeps per deployment — binding pools, request and binding meters, the shared concurrency
     * slots — lives as long as a replica of that deployment is on this node; without this a tenant that
     * creates and deletes deployments would grow the node's heap with each name.
     */
    void retainPerDeployment() {
        List<Assignment> live = replicas.values().stream().map(LocalReplica::assignment).toList();
        pools.retain(live);
        metrics.retain(live);
        Set<String> used = live.stream().map(Replicas::slotsKey).collect(Collectors.toSet());
        slots.keySet().retainAll(used);
    }

    /** How many deployments' concurrency slots are held; for tests. */
    int slotsHeld() {
        return slots.size();
    }

    private static String slotsKey(Assignment a) {
        return a.namespace() + "/" + a.deployment() + "/" + a.spec().limits().maxConcurrency();
    }

    /** Stops every replica and reports it Terminating (node shutdown). */
    public void terminateAll(String message) {
        replicas.values().forEach(r -> terminate(r.assignment(), Reasons.NODE_SHUTDOWN, message));
    }

    private void start(Assignment a, ReplicaPhase initial) {
        LocalReplica r = create(a, initial);
        replicas.put(r.id(), r);
        servingVersion.incrementAndGet();
        lifecycle.execute(() -> prepare(r));
    }

    private LocalReplica create(Assignment a, ReplicaPhase initial) {
        int max = a.spec().limits().maxConcurrency();
        Semaphore shared = slots.computeIfAbsent(slotsKey(a), k -> new Semaphore(max));
        return new LocalReplica(a, logs.open(a.replicaId()), initial, shared, servingVersion::incrementAndGet);
    }

    /**
     * Fetches, compiles and starts the replica. A replica reports {@code Pulling} only while its module
     * is fetched (not when it is compiled or on disk here already); an http replica never reports {@code Starting} (it serves the moment its module is ready), so its
     * {@code Running} report is the first in its queue (its Pulled event follows): each report is a
     * call to the platform, and the other nodes learn the route only once the platform has
     * {@code Running}. Jobs report {@code Starting} too.
     */
    private void prepare(LocalReplica r) {
        String digest = r.assignment().moduleDigest();
        boolean http = r.assignment().spec().servesHttp();
        boolean present = modules.present(digest);
        // Pulling only when there is something to fetch: a replica whose module is compiled or on disk does not
        // report it (as a kubelet reports no pull for an image already present), so an http replica's Running is
        // the first report in its queue once its module is compiled here. After an agent restart the platform
        // still has the replica Running, which may not move back to Pulling.
        if (!present && r.phase().canMoveTo(ReplicaPhase.Pulling)
                && !move(r, ReplicaPhase.Pulling, Reasons.PULLING, "fetching " + digest)) {
            return;
        }
        CompiledModule module;
        try {
            module = modules.load(r.id(), digest);
        } catch (ModuleStore.ModuleFetchException e) {
            fail(r, Reasons.MODULE_FETCH_FAILED, e.getMessage());
            return;
        } catch (InvalidModuleException e) {
            fail(r, Reasons.INVALID_MODULE, e.getMessage());
            return;
        } catch (UncheckedIOException e) {
            fail(r, Reasons.MODULE_FETCH_FAILED, "cannot cache " + digest + ": " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            fail(r, Reasons.INVALID_MODULE, "cannot compile " + digest + ": " + e);
            return;
        }
        String unbound = BindingPools.problem(r.assignment(), module.bindingTypes());
        if (unbound != null) {
            fail(r, Reasons.INVALID_BINDING, unbound);
            return;
        }
        if (!http) {
            pulled(r, module, present);
        }
        r.module(module);
        if (!grantVolumes(r)) {
            return;
        }
        if (http) {
            if (move(r, ReplicaPhase.Running, null, null)) {
                pulled(r, module, present);
                transitions.normal(r, Reasons.STARTED, "serving http on " + r.assignment().spec().http().path());
            }
        } else if (move(r, ReplicaPhase.Starting, Reasons.STARTING, "module " + digest + " ready")) {
            jobs.run(r);
        }
    }

    /** The Pulled event and the compiler's warnings; an http replica's come after its Running report, which goes first. */
    private void pulled(LocalReplica r, CompiledModule module, boolean present) {
        String digest = r.assignment().moduleDigest();
        transitions.normal(r, Reasons.PULLED, present ? "module " + digest + " already present on node" : "fetched module " + digest);
        module.warnings().forEach(w -> transitions.warning(r, Reasons.COMPILER_WARNING, w));
    }

    /**
     * Makes the replica's volumes, unless it was forgotten meanwhile (a volume made after its removal
     * anyway, in a narrower race, goes at the next full snapshot). The tenant sees no host path.
     */
    private boolean grantVolumes(LocalReplica r) {
        if (replicas.get(r.id()) != r) {
            return false;
        }
        try {
            r.directories(volumes.create(r.assignment()));
            return true;
        } catch (IOException e) {
            fail(r, Reasons.VOLUME_FAILED, "cannot make the replica's volumes on this node (" + e.getClass().getSimpleName() + ")");
        } catch (Volumes.InvalidVolumeException e) {
            fail(r, Reasons.VOLUME_FAILED, e.getMessage());
        }
        return false;
    }

    /** The platform no longer has these replicas (deleted, or absent from a full snapshot): their volumes go. */
    void removeVolumes(UUID replicaId) {
        volumes.remove(replicaId);
    }

    void retainVolumes(Set<UUID> replicaIds) {
        volumes.retainOnly(replicaIds);
    }

    /**
     * Fails a replica the node will not keep (its volumes went over the node's limit): its run stops, an http
     * replica stops serving, and platform-api replaces an http replica (a failed job stays failed).
     */
    void evict(LocalReplica r, String reason, String message) {
        if (r.phase().canMoveTo(ReplicaPhase.Failed)) {
            fail(r, reason, message); // first: the run that ends below is then no failure of its own
        }
        r.cancelWork();
    }

    private void fail(LocalReplica r, String reason, String message) {
        transitions.warning(r, reason, message);
        move(r, ReplicaPhase.Failed, reason, message);
    }

    private void terminate(Assignment a, String reason, String message) {
        LocalReplica r = replicas.computeIfAbsent(a.replicaId(), id -> create(a, ReplicaPhase.Scheduled));
        r.cancelWork();
        if (r.phase() != ReplicaPhase.Terminating) {
            transitions.normal(r, Reasons.KILLING, "stopping replica: " + message);
            move(r, ReplicaPhase.Terminating, reason, message);
        }
    }

    private ReplicaPhase forget(UUID id) {
        LocalReplica r = replicas.remove(id);
        if (r == null) {
            return null;
        }
        servingVersion.incrementAndGet();
        ReplicaPhase was = r.phase();
        r.cancelWork();
        r.moveTo(ReplicaPhase.Terminating, Reasons.STOPPED, null);
        return was;
    }

    private boolean move(LocalReplica r, ReplicaPhase next, String reason, String message) {
        return transitions.move(r, next, reason, message);
    }
}
