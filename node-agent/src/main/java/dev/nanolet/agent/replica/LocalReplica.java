package dev.nanolet.agent.replica;

import dev.nanolet.agent.logs.LogBuffer;
import dev.nanolet.agent.runtime.Bindings;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.CgiVariables;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One replica as this node runs it. Phase changes are guarded by {@link ReplicaPhase#canMoveTo};
 * an illegal one throws. {@link #invoke} is the one place where a request or a job becomes a
 * guest call.
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
    private final Runnable moved;
    private final String deploymentKey;

    /** @param slots shared by the replicas of one deployment on this node */
    LocalReplica(Assignment assignment, LogBuffer logs, ReplicaPhase initial, Semaphore slots) {
        this(assignment, logs, initial, slots, () -> {});
    }

    /** @param moved told after every phase change (the node's routing view depends on who is Running) */
    LocalReplica(Assignment assignment, LogBuffer logs, ReplicaPhase initial, Semaphore slots, Runnable moved) {
        this.assignment = assignment;
        this.phase = initial;
        this.logs = logs;
        this.slots = slots;
        this.moved = moved;
        this.deploymentKey = assignment.namespace() + "/" + assignment.deployment();
    }

    public UUID id() {
        return assignment.replicaId();
    }

    public Assignment assignment() {
        return assignment;
    }

    /** {@code namespace/deployment}: whose CPU share this replica's runs use ({@link GuestPool#call}). */
    public String deploymentKey() {
        return deploymentKey;
    }

    /**
     * Takes one of the deployment's concurrency slots on this node ({@code limits.maxConcurrency},
     * shared by its replicas here) for one request; empty when every slot is in use.
     */
    public Optional<Slot> trySlot() {
        return slots.tryAcquire() ? Optional.of(new Slot(slots)) : Optional.empty();
    }

    /** Instances of this replica's deployment that may still start on this node now. */
    public int freeSlots() {
        return slots.availablePermits();
    }

    /** The wall-clock limit of one run: a request or a job run ({@code limits.timeoutMs}). */
    public Duration timeout() {
        return Duration.ofMillis(assignment.spec().limits().timeoutMs());
    }

    /**
     * Runs the module once, on the calling thread (a guest thread): argv is the deployment's name
     * then {@code spec.args}, the environment {@code spec.env} (secret env included) and those of
     * {@code requestEnv}, memory and time limits from {@code spec.limits}, stderr to the replica's log. An
     * {@code HTTP_*} of the deployment wins over the request's: any anonymous client chooses those (its
     * {@code Upstream:} replaced the deployment's {@code HTTP_UPSTREAM}). The meta-variables
     * ({@link CgiVariables#META}) win over the deployment's: no client chooses them, and a module that read a
     * stored {@code CONTENT_LENGTH} would misread stdin; one the request lacks stays unset. platform-api
     * refuses both in new specs; this keeps older specs and pods (never validated) safe.
     *
     * @param requestEnv variables of this call (a request's CGI variables; empty for a job run)
     * @param stdout where the guest's stdout goes; null for the replica's log (a job)
     */
    public RunResult invoke(Map<String, String> requestEnv, byte[] stdin, OutputStream stdout) throws IOException {
        return invoke(requestEnv, stdin, stdout, Bindings.NONE);
    }

    /** {@link #invoke(Map, byte[], OutputStream)} with what the {@code nanolet} host API reaches in this run (its transaction). */
    public RunResult invoke(Map<String, String> requestEnv, byte[] stdin, OutputStream stdout, Bindings bindings) throws IOException {
        return invoke(requestEnv, stdin, stdout, bindings, null);
    }

    /** {@link #invoke(Map, byte[], OutputStream, Bindings)}, calling {@code started} once the guest is about to run (see {@link Invocation#started}). */
    RunResult invoke(Map<String, String> requestEnv, byte[] stdin, OutputStream stdout, Bindings bindings, Runnable started) throws IOException {
        DeploymentSpec spec = assignment.spec();
        List<String> args = new ArrayList<>();
        args.add(assignment.deployment());
        args.addAll(spec.args());
        Map<String, String> env = new LinkedHashMap<>(assignment.environment());
        if (!requestEnv.isEmpty()) { // a request: a meta-variable it lacks (CONTENT_LENGTH without a body) is unset, not the deployment's
            env.keySet().removeIf(CgiVariables.META::contains);
        }
        requestEnv.forEach((name, value) -> {
            if (!name.startsWith(CgiVariables.HEADER_PREFIX) || !env.containsKey(name)) {
                env.put(name, value);
            }
        });
        try (OutputStream logged = stdout == null ? logs.stream("stdout") : OutputStream.nullOutputStream();
                OutputStream err = logs.stream("stderr")) {
            try {
                return module.run(new Invocation(args, env, new ByteArrayInputStream(stdin), stdout == null ? logged : stdout,
                        err, spec.limits().memoryMiB(), timeout(), directories, CpuGate.offCpu(bindings), deploymentKey, started));
            } finally {
                CpuGate.guestReturned(); // the commit and the response that follow need no CPU slot
            }
        }
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
    boolean moveTo(ReplicaPhase next, String reason, String message) {
        synchronized (this) {
            if (phase == ReplicaPhase.Terminating && next != ReplicaPhase.Terminating) {
                return false;
            }
            if (!phase.canMoveTo(next)) {
                throw new IllegalStateException("replica " + id() + ": " + phase + " → " + next);
            }
            this.phase = next;
            this.reason = reason;
            this.message = message;
        }
        moved.run();
        return true;
    }

    synchronized ReplicaStatusReport status() {
        return new ReplicaStatusReport(phase, reason, message, restarts);
    }

    /**
     * Remembers the job run or scheduled restart that {@link #cancelWork} interrupts; cancels it at once if the replica
     * is Terminating already (a stop that came between the submit and this call found the previous work).
     */
    synchronized void work(Future<?> f) {
        this.work = f;
        if (phase == ReplicaPhase.Terminating) {
            f.cancel(true);
        }
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

    /** A concurrency slot held for one request; closing it frees the slot, once however often it is closed. */
    public static final class Slot implements AutoCloseable {
        private final Semaphore slots;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(Semaphore slots) {
            this.slots = slots;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                slots.release();
            }
        }
    }
}
