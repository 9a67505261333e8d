package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.replica.DesiredState;
import dev.nanolet.wire.Assignment;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A pod whose config maps, secrets or Services the API server failed to give ({@link PodTranslation.Unread}) is
 * weighed again after a back-off, as a kubelet retries a pod's sync: 1 s, doubled after each failure in a row up to
 * {@link #MAX}, rather than at its next event or resync. At most one retry waits per pod.
 */
final class ReadRetries {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);
    private final ScheduledExecutorService timer;
    private final Executor work;
    private final DesiredState desired;

    /** @param work where the pod is weighed again (the adapter's worker thread) */
    ReadRetries(ScheduledExecutorService timer, Executor work, DesiredState desired) {
        this.timer = timer;
        this.work = work;
        this.desired = desired;
    }

    /** The back-off before the retry after {@code failures} failed reads in a row (1 for the first). */
    static Duration delay(int failures) {
        Duration d = FIRST.multipliedBy(1L << Math.clamp(failures - 1, 0, 5));
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    /** Weighs {@code t} again now ({@code weigh}, on the worker thread): a read it waited for ended ({@link PendingReads}). */
    void now(Supplier<Optional<Assignment>> weigh) {
        try {
            work.execute(() -> weigh.get().ifPresent(desired::put));
        } catch (RejectedExecutionException stopping) {
            // the agent is stopping
        }
    }

    /** Weighs {@code t} again after its back-off ({@code weigh}, on the worker thread), unless a retry waits already. */
    void after(TrackedPod t, Supplier<Optional<Assignment>> weigh) {
        if (t.readRetry) {
            return;
        }
        t.readRetry = true;
        t.readFailures++;
        timer.schedule(() -> work.execute(() -> {
            t.readRetry = false;
            weigh.get().ifPresent(desired::put);
        }), delay(t.readFailures).toMillis(), TimeUnit.MILLISECONDS);
    }
}
