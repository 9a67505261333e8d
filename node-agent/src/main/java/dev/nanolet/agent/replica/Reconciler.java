package dev.nanolet.agent.replica;

import dev.nanolet.wire.Assignment;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
    private final ExecutorService loop = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("nanolet-reconcile").daemon().factory());
    private final Replicas replicas;
    private final SavedAssignments saved;
    /** Touched on the loop thread only: the platform has spoken, or the saved set was restored. */
    private boolean settled;

    Reconciler(Replicas replicas, SavedAssignments saved) {
        this.replicas = replicas;
        this.saved = saved;
    }

    /**
     * The control plane cannot be reached yet: start the http replicas of the set saved before the last
     * stop, unless the platform has already sent assignments (or this ran before). Jobs wait for
     * the platform: only it knows whether one already ran to completion. The first snapshot then
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
            if (!serving.isEmpty()) {
                log.info("platform-api unreachable: serving the {} http replica(s) saved before the last stop", serving.size());
                serving.forEach(a -> desired.put(a.replicaId(), a));
                reconcile(false);
            }
        });
    }

    /** A fresh snapshot: it replaces the desired set, and every kept replica is reported again. */
    @Override
    public void replaceAll(Collection<Assignment> snapshot) {
        loop.execute(() -> {
            desired.clear();
            snapshot.forEach(a -> desired.put(a.replicaId(), a));
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
            changed(false);
        });
    }

    private void changed(boolean resync) {
        settled = true;
        saved.save(desired.values());
        reconcile(resync);
    }

    private void reconcile(boolean resync) {
        List<ReplicaAction> actions = Reconcile.diff(List.copyOf(desired.values()), replicas.actual(), resync);
        for (ReplicaAction action : actions) {
            try {
                replicas.apply(action);
            } catch (RuntimeException e) {
                log.warn("cannot apply {}", action, e);
            }
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
