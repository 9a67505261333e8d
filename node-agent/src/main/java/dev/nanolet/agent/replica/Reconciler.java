package dev.nanolet.agent.replica;

import dev.nanolet.wire.Assignment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Holds the desired assignments (what the platform last said) and applies the diff against the
 * local replicas on one thread, in order. Callers (the watch) only enqueue. Every change is saved
 * ({@link SavedAssignments}) so that a restart without the platform can {@link #restoreSaved()}.
 */
@Component
public class Reconciler implements DesiredState, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private final Map<UUID, Assignment> desired = new ConcurrentHashMap<>();
    private volatile ExecutorService loop = newLoop();
    private final Replicas replicas;
    private final SavedAssignments saved;
    /** Touched on the loop thread only: the platform has spoken, or the saved set was restored. */
    private boolean settled;
    /** Touched on the loop thread only: the lease has expired, jobs are stopped ({@link ReplicaDiff#fenced}). */
    private boolean fenced;
    /** Loop thread only: a {@link #flush} is queued; the changes queued before it need no other. */
    private boolean flushPending;
    /** Loop thread only: one of the changes the queued flush covers was a fresh snapshot. */
    private boolean resyncPending;
    /** Loop thread only: replicas the platform deleted, whose volumes go once the flush has forgotten them. */
    private final List<UUID> goneVolumes = new ArrayList<>();
    /** Loop thread only: a snapshot came; after the flush, only the volumes of replicas it lists stay. */
    private boolean retainVolumes;

    Reconciler(Replicas replicas, SavedAssignments saved) {
        this.replicas = replicas;
        this.saved = saved;
    }

    /**
     * The control plane cannot be reached yet: start the http replicas of the set saved before the last
     * stop, unless the platform has already sent assignments (or this ran before). Jobs wait for
     * the platform: only it knows whether one already ran to completion; so do replicas that need secret values,
     * which are never saved to disk (only the platform sends them). The first snapshot then
     * reconciles as usual, keeping the replicas that are still wanted.
     */
    @Override
    public void restoreSaved() {
        loop.execute(() -> {
            if (settled) {
                return;
            }
            settled = true;
            List<Assignment> serving = saved.load().orElse(List.of()).stream()
                    .filter(a -> a.spec().servesHttp() && !a.terminating()).toList();
            long needSecrets = serving.stream().filter(Assignment::needsSecrets).count();
            if (needSecrets > 0) {
                log.info("platform-api unreachable: {} saved http replica(s) need secret values, which are kept in memory "
                        + "only; they wait for the platform", needSecrets);
                serving = serving.stream().filter(a -> !a.needsSecrets()).toList();
            }
            if (!serving.isEmpty()) {
                log.info("platform-api unreachable: serving the {} http replica(s) saved before the last stop", serving.size());
                serving.forEach(a -> desired.put(a.replicaId(), a));
                reconcile(false);
            }
        });
    }

    @Override
    public List<Assignment> saved() {
        return saved.load().orElse(List.of());
    }

    /** A fresh snapshot from a control plane that does not fence (Kubernetes mode): the fence stays as it is. */
    @Override
    public void replaceAll(Collection<Assignment> snapshot) {
        replaceAll(snapshot, false);
    }

    @Override
    public void replaceAllLiftingFence(Collection<Assignment> snapshot) {
        replaceAll(snapshot, true);
    }

    @Override
    public void fence() {
        loop.execute(() -> {
            if (!fenced) {
                fenced = true;
                log.warn("lease not renewed for a lease duration: stopping jobs until the platform is reached again");
                reconcile(false);
            }
        });
    }

    /**
     * A fresh snapshot: it replaces the desired set, and every kept replica is reported again.
     * When {@code unfence}, it was asked for after a successful lease renewal, so it says which
     * jobs this node still holds, and the fence is lifted.
     */
    public void replaceAll(Collection<Assignment> snapshot, boolean unfence) {
        loop.execute(() -> {
            if (unfence && fenced) {
                fenced = false;
                log.info("lease renewed and assignments listed again: jobs may run");
            }
            desired.clear();
            snapshot.forEach(a -> desired.put(a.replicaId(), a));
            retainVolumes = true;
            changed(true);
        });
    }

    /** An added or modified assignment. */
    @Override
    public void put(Assignment a) {
        loop.execute(() -> {
            desired.put(a.replicaId(), a);
            changed(false);
        });
    }

    /** A deleted assignment. */
    @Override
    public void remove(UUID replicaId) {
        loop.execute(() -> {
            desired.remove(replicaId);
            goneVolumes.add(replicaId);
            changed(false);
        });
    }

    /**
     * Marks the desired set changed; the save and the diff run once for every change queued on the loop
     * before them ({@link #flush}), not once per change: a watch that delivers 5,000 {@code added} events
     * in a burst would otherwise write the whole set to disk and diff it against every replica 5,000
     * times (quadratic in the node's replicas).
     */
    private void changed(boolean resync) {
        settled = true;
        resyncPending |= resync;
        if (!flushPending) {
            flushPending = true;
            loop.execute(this::flush);
        }
    }

    /**
     * Applies the diff, then saves the desired set, then the volume changes that wait for it (loop thread).
     * Starts come before the save: the file (a temporary file and a rename) was the only I/O between a watch
     * event and the replica's start, 40–170 ms on a loaded node. A crash in between loses the same change
     * either way (the next snapshot brings it back).
     */
    private void flush() {
        boolean resync = resyncPending;
        flushPending = false;
        resyncPending = false;
        reconcile(resync);
        saved.save(desired.values());
        goneVolumes.stream().filter(id -> !desired.containsKey(id)).forEach(replicas::removeVolumes);
        goneVolumes.clear();
        if (retainVolumes) {
            retainVolumes = false;
            replicas.retainVolumes(Set.copyOf(desired.keySet()));
        }
    }

    private void reconcile(boolean resync) {
        Map<UUID, ReplicaDiff.Actual> actual = replicas.actual();
        List<Assignment> wanted = fenced ? ReplicaDiff.fenced(desired.values(), actual) : List.copyOf(desired.values());
        List<ReplicaAction> actions = ReplicaDiff.diff(wanted, actual, resync);
        boolean replaced = false;
        for (ReplicaAction action : actions) {
            try {
                replaced |= replicas.step(action);
            } catch (RuntimeException e) {
                log.warn("cannot apply {}", action, e);
                replaced = true; // it may have forgotten a replica before it failed
            }
        }
        if (replaced) {
            replicas.retainPerDeployment(); // once per diff: it reads every replica
        }
    }

    /**
     * Takes work again after {@link #close()}, in the state of a fresh start: nothing desired, not
     * settled (so an unreachable platform gets the saved http replicas served again), not fenced. For
     * an application context stopped and started again in one JVM (Spring's test context cache pauses
     * a context another test class does not use, and starts it when a class needs it again).
     */
    void reopen() {
        if (loop.isShutdown()) {
            loop = newLoop();
            loop.execute(() -> {
                desired.clear();
                settled = false;
                fenced = false;
                goneVolumes.clear();
                retainVolumes = false;
                flushPending = false; // a flush queued on the old loop was dropped with it
                resyncPending = false;
            });
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }

    private static ExecutorService newLoop() {
        return Executors.newSingleThreadExecutor(Thread.ofPlatform().name("nanolet-reconcile").daemon().factory());
    }
}
