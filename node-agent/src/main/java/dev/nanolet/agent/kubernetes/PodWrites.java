package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The node's own writes of a pod (its status, its ephemeral containers' status, its delete), made off the adapter's
 * worker and tried again by their own back-off, as a kubelet's status manager keeps the latest status of each pod for a
 * loop of its own to write, and as a virtual kubelet requeues a failed pod status update on client-go's rate-limited
 * workqueue. Per pod and {@link Kind}: one write runs at a time, and at most one waits; a write put while another waits
 * takes its place (the latest wins: an older one is never written after it). A write that fails is tried again after
 * {@link #FIRST}, doubled after each failure in a row up to {@link #MAX}; a write that succeeds resets that. The worker
 * only puts writes here, so an API server that fails or does not answer one pod's writes holds no other pod's change.
 * A run of failures of one write is logged twice, here alone (a write throws its failure), as the node's lease logs an
 * outage: its first failure at WARN when the API server refused it ({@link #refused}), at INFO when it failed or did
 * not answer, its retries at DEBUG; and the attempt that ends the run at INFO, with the tries it took.
 */
final class PodWrites {

    static final Duration FIRST = Duration.ofMillis(500);
    static final Duration MAX = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(PodWrites.class);

    /** Which of a pod's writes: each kind has its own place, so that one never takes the place of another. */
    enum Kind {
        STATUS, EPHEMERAL, DELETE
    }

    /** What one attempt of a write came to. */
    enum Result {
        /** Written, or nothing is left to write (the pod went, or no longer wants it). */
        DONE,
        /** Failed: to be tried again after the back-off. */
        AGAIN,
        /** Refused for good: not tried again. */
        GIVEN_UP
    }

    /** One attempt of a write; blocking. A {@link RuntimeException} counts as {@link Result#AGAIN}. */
    @FunctionalInterface
    interface Write {
        Result attempt();
    }

    private record Key(UUID pod, Kind kind) {}

    /** A key's state: the write that waits to run, whether one runs or a retry is scheduled, the failures in a row. */
    private static final class Slot {
        Write waiting;
        boolean busy;
        int failures;
    }

    /** Guarded by this. */
    private final Map<Key, Slot> slots = new HashMap<>();
    private final Executor calls;
    private final ScheduledExecutorService timer;
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong givenUp = new AtomicLong();

    /**
     * @param calls where the writes run (virtual threads: a write the API server does not answer holds only its own)
     * @param timer schedules the retries
     */
    PodWrites(Executor calls, ScheduledExecutorService timer) {
        this.calls = calls;
        this.timer = timer;
    }

    /** The back-off before the retry after {@code failures} failed attempts in a row (1 for the first). */
    static Duration delay(int failures) {
        Duration d = FIRST.multipliedBy(1L << Math.clamp(failures - 1, 0, 6));
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    /** {@code write} of {@code pod}: run now unless one of its {@code kind} runs or waits for its back-off, else in its place. */
    void put(UUID pod, Kind kind, Write write) {
        Key key = new Key(pod, kind);
        synchronized (this) {
            Slot slot = slots.computeIfAbsent(key, k -> new Slot());
            boolean idle = !slot.busy && slot.waiting == null;
            slot.waiting = write;
            if (!idle) {
                return;
            }
            slot.busy = true;
        }
        run(key);
    }

    /** Attempts that failed and were scheduled again. */
    long retried() {
        return retried.get();
    }

    /** Writes refused for good, not tried again. */
    long givenUp() {
        return givenUp.get();
    }

    private void run(Key key) {
        try {
            calls.execute(() -> drain(key));
        } catch (RejectedExecutionException stopping) {
            // the agent is stopping
        }
    }

    /** Runs the key's waiting writes, one after the other, until none waits or one fails. */
    private void drain(Key key) {
        while (true) {
            Write write;
            int failures;
            synchronized (this) {
                Slot slot = slots.get(key);
                write = slot.waiting;
                slot.waiting = null;
                if (write == null) {
                    slots.remove(key);
                    return;
                }
                failures = slot.failures;
            }
            Result result = attempt(key, write, failures);
            synchronized (this) {
                Slot slot = slots.get(key);
                if (result == Result.AGAIN) {
                    if (slot.waiting == null) {
                        slot.waiting = write;
                    }
                    slot.busy = false;
                    slot.failures++;
                    retried.incrementAndGet();
                    schedule(key, delay(slot.failures));
                    return;
                }
                if (result == Result.GIVEN_UP) {
                    givenUp.incrementAndGet();
                }
                if (slot.failures > 0) {
                    log.info("the {} write of pod {} is done after {} tries", key.kind(), key.pod(), slot.failures + 1);
                }
                slot.failures = 0;
            }
        }
    }

    /** One attempt of {@code write}, after {@code failures} failed ones in a row (logged as the class says). */
    private Result attempt(Key key, Write write, int failures) {
        try {
            return write.attempt();
        } catch (RuntimeException e) {
            Level level = failures > 0 ? Level.DEBUG : refused(e) ? Level.WARN : Level.INFO;
            log.atLevel(level).log("cannot make the {} write of pod {} yet: {}; trying again after a back-off (at most every {} s),"
                    + " logged again once it is done", key.kind(), key.pod(), e.toString(), MAX.toSeconds());
            return Result.AGAIN;
        }
    }

    /**
     * Whether the API server answered {@code e} with a refusal (4xx) that an operator acts on, not a failure of its own,
     * no answer, its throttling (429, 408) or a race with the pod's change or delete (409, 404).
     */
    private static boolean refused(RuntimeException e) {
        return e instanceof KubernetesClientException k && k.getCode() >= 400 && k.getCode() < 500
                && k.getCode() != 404 && k.getCode() != 408 && k.getCode() != 409 && k.getCode() != 429;
    }

    private void schedule(Key key, Duration delay) {
        try {
            timer.schedule(() -> {
                synchronized (this) {
                    Slot slot = slots.get(key);
                    if (slot == null || slot.busy) {
                        return;
                    }
                    slot.busy = true;
                }
                run(key);
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the agent is stopping
        }
    }
}
