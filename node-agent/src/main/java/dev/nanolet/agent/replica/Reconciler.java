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
 * local replicas on one thread, in order. Callers (the watch) only enqueue.
 */
@Component
public class Reconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private final Map<UUID, Assignment> desired = new ConcurrentHashMap<>();
    private final ExecutorService loop = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("nanolet-reconcile").daemon().factory());
    private final Replicas replicas;

    Reconciler(Replicas replicas) {
        this.replicas = replicas;
    }

    /** A fresh snapshot: it replaces the desired set, and every kept replica is reported again. */
    public void replaceAll(Collection<Assignment> snapshot) {
        loop.execute(() -> {
            desired.clear();
            snapshot.forEach(a -> desired.put(a.replicaId(), a));
            reconcile(true);
        });
    }

    /** An added or modified assignment. */
    public void put(Assignment a) {
        loop.execute(() -> {
            desired.put(a.replicaId(), a);
            reconcile(false);
        });
    }

    /** A deleted assignment. */
    public void remove(UUID replicaId) {
        loop.execute(() -> {
            desired.remove(replicaId);
            reconcile(false);
        });
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
