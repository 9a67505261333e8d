package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.config.RestartProperties;
import dev.nanolet.agent.replica.DesiredState;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A replica's status report on its pod: the pod's status ({@link PodStatusWriter}), its {@code Pulling} and
 * {@code BackOff} events, the pull tried again after a back-off, and the deletion that waited for its drain.
 */
final class PodReports {

    private final TrackedPods pods;
    private final PodStatusWriter statuses;
    private final PodDeletion deletion;
    private final EventRecorder events;
    private final PodEvaluation evaluation;
    private final DesiredState desired;
    private final RestartProperties backoff;
    private final ScheduledExecutorService timer;
    private final ExecutorService work;
    private final Clock clock;

    PodReports(TrackedPods pods, PodStatusWriter statuses, PodDeletion deletion, EventRecorder events, PodEvaluation evaluation,
            DesiredState desired, RestartProperties backoff, ScheduledExecutorService timer, ExecutorService work, Clock clock) {
        this.pods = pods;
        this.statuses = statuses;
        this.deletion = deletion;
        this.events = events;
        this.evaluation = evaluation;
        this.desired = desired;
        this.backoff = backoff;
        this.timer = timer;
        this.work = work;
        this.clock = clock;
    }

    /** Blocks; a failure to write the status is the caller's (the outbox tries again). */
    void status(TrackedPod t, UUID replica, ReplicaStatusReport report) {
        if (t.refused) {
            return;
        }
        if (report.phase() == ReplicaPhase.Terminating) {
            if (Pods.deleting(t.pod)) {
                deletion.afterDrain(t, replica);
            }
            return;
        }
        Instant now = clock.instant();
        ContainerHistory h = t.history(was -> was.after(report, now));
        t.reported = true;
        if (report.phase() == ReplicaPhase.Pulling) {
            events.record(t, new EventReport("Normal", "Pulling", "Pulling image \"" + Excerpt.of(Pods.image(t.pod)) + "\""));
        }
        statuses.report(t, report, h, now);
        if (ContainerHistory.isPullFailure(report)) {
            retryPull(t, replica, h.pullFailures());
        }
    }

    /** ImagePullBackOff: the pod's assignment comes again with the next revision after a back-off, so the node pulls again. */
    private void retryPull(TrackedPod t, UUID replica, int failures) {
        Duration delay = backoff.delay(Math.max(0, failures - 1));
        events.record(t, new EventReport("Normal", "BackOff", "Back-off pulling image \"" + Excerpt.of(Pods.image(t.pod)) + "\" for " + delay.toSeconds() + "s"));
        timer.schedule(() -> work.execute(() -> {
            if (pods.get(replica) == t && !t.refused) {
                t.revision++;
                evaluation.of(t.pod).ifPresent(desired::put);
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
