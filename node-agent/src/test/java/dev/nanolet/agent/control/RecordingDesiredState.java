package dev.nanolet.agent.control;

import dev.nanolet.agent.replica.DesiredState;
import dev.nanolet.wire.Assignment;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The desired set as an adapter delivered it, for assertions. */
public final class RecordingDesiredState implements DesiredState {

    public final Map<UUID, Assignment> desired = new ConcurrentHashMap<>();
    public final AtomicInteger snapshots = new AtomicInteger();
    public final AtomicInteger restores = new AtomicInteger();

    @Override
    public void replaceAll(Collection<Assignment> snapshot) {
        desired.clear();
        snapshot.forEach(a -> desired.put(a.replicaId(), a));
        snapshots.incrementAndGet();
    }

    public final AtomicInteger fences = new AtomicInteger();

    @Override
    public void replaceAllLiftingFence(Collection<Assignment> snapshot) {
        replaceAll(snapshot);
    }

    @Override
    public void fence() {
        fences.incrementAndGet();
    }

    @Override
    public void put(Assignment a) {
        desired.put(a.replicaId(), a);
    }

    /** Every replica removed, in order. */
    public final java.util.List<UUID> removed = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void remove(UUID replicaId) {
        desired.remove(replicaId);
        removed.add(replicaId);
    }

    /** What {@link #saved()} answers: as if saved before the last stop. */
    public final java.util.List<Assignment> saved = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public java.util.List<Assignment> saved() {
        return java.util.List.copyOf(saved);
    }

    @Override
    public void restoreSaved() {
        restores.incrementAndGet();
    }
}
