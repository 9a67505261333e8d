package dev.nanolet.agent.replica;

import dev.nanolet.agent.logs.LogBuffer;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * One replica as this node runs it. Phase changes are guarded by {@link ReplicaPhase#canMoveTo};
 * an illegal one throws.
 */
public final class LocalReplica {

    private final Assignment assignment;
    private final LogBuffer logs;
    private final Semaphore slots;
    private ReplicaPhase phase;
    private String reason;
    private String message;
    private int restarts;
    private volatile CompiledModule module;
    private volatile List<Invocation.Directory> directories = List.of();
    private Future<?> work;

    /** @param slots shared by the replicas of one deployment on this node */
    LocalReplica(Assignment assignment, LogBuffer logs, ReplicaPhase initial, Semaphore slots) {
        this.assignment = assignment;
        this.phase = initial;
        this.logs = logs;
        this.slots = slots;
    }

    public UUID id() {
        return assignment.replicaId();
    }

    public Assignment assignment() {
        return assignment;
    }

    public LogBuffer logs() {
        return logs;
    }

    /** Instances of this replica's deployment that may still start on this node now ({@code limits.maxConcurrency}). */
    public Semaphore slots() {
        return slots;
    }

    public CompiledModule module() {
        return module;
    }

    void module(CompiledModule m) {
        this.module = m;
    }

    /** The replica's volumes ({@code spec.volumes}) as directories to preopen in every run. */
    public List<Invocation.Directory> directories() {
        return directories;
    }

    void directories(List<Invocation.Directory> d) {
        this.directories = List.copyOf(d);
    }

    public synchronized ReplicaPhase phase() {
        return phase;
    }

    synchronized int restarts() {
        return restarts;
    }

    synchronized void countRestart() {
        restarts++;
    }

    /** Moves to {@code next}; false (and no change) if the replica is already Terminating. */
    synchronized boolean moveTo(ReplicaPhase next, String reason, String message) {
        if (phase == ReplicaPhase.Terminating && next != ReplicaPhase.Terminating) {
            return false;
        }
        if (!phase.canMoveTo(next)) {
            throw new IllegalStateException("replica " + id() + ": " + phase + " → " + next);
        }
        this.phase = next;
        this.reason = reason;
        this.message = message;
        return true;
    }

    synchronized ReplicaStatusReport status() {
        return new ReplicaStatusReport(phase, reason, message, restarts);
    }

    /** Remembers the job run or scheduled restart that {@link #cancelWork} interrupts. */
    synchronized void work(Future<?> f) {
        this.work = f;
    }

    synchronized void cancelWork() {
        if (work != null) {
            work.cancel(true);
        }
    }

    /** Whether this replica answers HTTP requests now. */
    public boolean serving() {
        return assignment.spec().servesHttp() && phase() == ReplicaPhase.Running;
    }
}
