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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod that waits for a config map, secret or key that is missing ({@link PodTranslation.Retry#MISSING}), or for
 * config maps, secrets or Services the API server failed to give ({@link PodTranslation.Unread}), is weighed again
 * after a back-off, as a kubelet's pod worker retries a failed sync, rather than only at its next event or resync: 1 s,
 * doubled after each failure in a row up to {@link #MISSING_MAX} or {@link #UNREAD_MAX}. At most one retry waits per
 * pod; none is scheduled for a pod that runs or is being deleted, and one that finds its pod gone or refused does nothing.
 */
final class ReadRetries {

    private static final Logger log = LoggerFactory.getLogger(ReadRetries.class);
    static final Duration FIRST = Duration.ofSeconds(1);
    /**
     * The longest back-off of a pod whose config map, secret or key is missing: a kubelet's pod worker's after a failed
     * sync ({@code workerBackOffPeriod}), so that it starts within seconds of the object being created.
     */
    static final Duration MISSING_MAX = Duration.ofSeconds(10);
    /** The longest back-off of a pod whose reads the API server failed: longer, not to load one that is failing. */
    static final Duration UNREAD_MAX = Duration.ofSeconds(30);
    private final ScheduledExecutorService timer;
    private final Executor work;
    private final DesiredState desired;

    /** @param work where the pod is weighed again (the adapter's worker thread) */
    ReadRetries(ScheduledExecutorService timer, Executor work, DesiredState desired) {
        this.timer = timer;
        this.work = work;
        this.desired = desired;
    }

    /** The back-off before the retry after {@code failures} failed weighings in a row (1 for the first) that wait as {@code retry} says. */
    static Duration delay(int failures, PodTranslation.Retry retry) {
        Duration max = switch (retry) {
            case MISSING -> MISSING_MAX;
            case UNREAD -> UNREAD_MAX;
            case ON_EVENT -> throw new IllegalArgumentException("a pod that waits for its next event is not retried");
        };
        Duration d = FIRST.multipliedBy(1L << Math.clamp(failures - 1, 0, 5));
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Weighs {@code t} again now ({@code weigh}, on the worker thread): a read it waited for ended ({@link PendingReads}). */
    void now(Supplier<Optional<Assignment>> weigh) {
        try {
            work.execute(() -> weighed(weigh));
        } catch (RejectedExecutionException stopping) {
            // the agent is stopping
        }
    }

    /** Weighs {@code t} again after its back-off for {@code retry} ({@code weigh}, on the worker thread), unless a retry waits already. */
    void after(TrackedPod t, PodTranslation.Retry retry, Supplier<Optional<Assignment>> weigh) {
        if (t.readRetry) {
            return;
        }
        t.readRetry = true;
        t.readFailures++;
        timer.schedule(() -> work.execute(() -> {
            t.readRetry = false;
            weighed(weigh);
        }), delay(t.readFailures, retry).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A weighing that throws is logged, as a pod change that does ({@link PodInformer}): the pod waits for its next event or resync. */
    private void weighed(Supplier<Optional<Assignment>> weigh) {
        try {
            weigh.get().ifPresent(desired::put);
        } catch (RuntimeException e) {
            log.warn("cannot weigh a pod again after its read: {}", e.toString());
        }
    }
}
