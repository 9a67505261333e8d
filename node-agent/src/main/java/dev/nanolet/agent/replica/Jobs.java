package dev.nanolet.agent.replica;

import dev.nanolet.agent.bindings.BindingPools;
import dev.nanolet.agent.bindings.Transaction;
import dev.nanolet.agent.config.RestartProperties;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Runs job replicas: {@code _start} to completion on a guest thread, reported Running once the guest is about to run;
 * exit 0 → Succeeded, else Failed, or with restartPolicy OnFailure CrashLoopBackOff and a restart after an exponential
 * back-off. A run that cannot start for a full guest pool or for the node's memory for guests waits and tries again.
 */
@Component
class Jobs {

    private static final Logger log = LoggerFactory.getLogger(Jobs.class);

    /** How long a job waits before trying again when the guest pool is full or the node's memory for guests has no room. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    private final GuestPool guests;
    private final ScheduledExecutorService timer;
    private final RestartProperties backoff;
    private final Transitions transitions;
    private final BindingPools bindings;

    Jobs(GuestPool guests, @Qualifier("agentTimer") ScheduledExecutorService timer, RestartProperties backoff, Transitions transitions,
            BindingPools bindings) {
        this.bindings = bindings;
        this.guests = guests;
        this.timer = timer;
        this.backoff = backoff;
        this.transitions = transitions;
    }

    void run(LocalReplica r) {
        if (!r.phase().canMoveTo(ReplicaPhase.Running)) {
            return; // stopped, or failed by the node, while it waited to try again
        }
        try {
            r.work(guests.submit(r.deploymentKey(), r.timeout(), () -> runOnce(r)));
        } catch (GuestPool.GuestPoolFullException e) {
            retry(r);
        }
    }

    private void retry(LocalReplica r) {
        r.work(timer.schedule(() -> run(r), RETRY.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void runOnce(LocalReplica r) {
        if (!r.phase().canMoveTo(ReplicaPhase.Running)) {
            return; // stopped, or failed by the node, while it waited for a guest thread
        }
        var started = new AtomicBoolean();
        RunResult result;
        Duration timeout = r.timeout();
        try (Transaction tx = bindings.open(r.assignment(), timeout)) {
            result = r.invoke(Map.of(), new byte[0], null, tx, () -> {
                started.set(true);
                started(r);
            });
            tx.end(result.succeeded());
            if (result.succeeded() && tx.unavailable(true).isPresent()) {
                result = new RunResult(RunResult.Outcome.TRAP, -1, tx.unavailable(true).get());
            }
        } catch (IOException | RuntimeException | Error e) {
            // an Error too (a class the node could not load, say): the pool's FutureTask would swallow it, the job Running
            log.warn("job replica {} failed outside its guest", r.assignment().replicaId(), e);
            result = new RunResult(RunResult.Outcome.TRAP, -1, "the node failed to run the job");
        }
        if (!started.get() && result.outcome() == RunResult.Outcome.NODE_MEMORY) {
            waitForMemory(r, result.message());
        } else {
            finished(r, result);
        }
    }

    /**
     * The guest is about to run: Running and the Started event. A replica stopped (or failed by the node) meanwhile
     * stays so, and its guest stops at its first check.
     */
    private void started(LocalReplica r) {
        if (r.phase().canMoveTo(ReplicaPhase.Running) && transitions.move(r, ReplicaPhase.Running, null, null)) {
            transitions.normal(r, Reasons.STARTED, r.restarts() == 0 ? "started job" : "started job (restart " + r.restarts() + ")");
        } else {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The run could not start because other runs hold the node's memory for guests. The job has not run, so, as with a
     * full guest pool, it waits (Starting, reason NodeMemory, a throttled warning) and tries again, without a restart
     * counted, whatever its restartPolicy: a neighbour holding memory for a while must not fail a job for good. A run
     * refused <em>while</em> it ran has run, and follows its restartPolicy.
     */
    private void waitForMemory(LocalReplica r, String why) {
        if (!r.phase().canMoveTo(ReplicaPhase.Starting)) {
            return; // stopped, or failed by the node, meanwhile: no news
        }
        transitions.warning(r, Reasons.NODE_MEMORY, why);
        if (Reasons.NODE_MEMORY.equals(r.status().reason())
                || transitions.move(r, ReplicaPhase.Starting, Reasons.NODE_MEMORY, "waiting for the node's memory for guests: " + why)) {
            retry(r);
        }
    }

    private void finished(LocalReplica r, RunResult result) {
        if (result.succeeded()) {
            if (transitions.move(r, ReplicaPhase.Succeeded, Reasons.COMPLETED, "exit code 0")) {
                transitions.normal(r, Reasons.COMPLETED, "exit code 0");
            }
            return;
        }
        if (r.phase() == ReplicaPhase.Terminating || r.phase() == ReplicaPhase.Failed) {
            return; // stopped on purpose (Killing was reported) or failed by the node (evicted): this run's end is no news
        }
        String why = Reasons.describe(result);
        transitions.warning(r, Reasons.of(result), why);
        if (r.assignment().spec().job().restartPolicy() != DeploymentSpec.RestartPolicy.OnFailure) {
            transitions.move(r, ReplicaPhase.Failed, Reasons.of(result), why);
            return;
        }
        Duration delay = backoff.delay(r.restarts());
        transitions.warning(r, Reasons.BACK_OFF, "restarting failed job in " + human(delay));
        if (transitions.move(r, ReplicaPhase.CrashLoopBackOff, Reasons.BACK_OFF,
                "back-off " + human(delay) + " restarting failed job (" + why + ")")) {
            r.work(timer.schedule(() -> restart(r), delay.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private void restart(LocalReplica r) {
        r.countRestart();
        if (transitions.move(r, ReplicaPhase.Starting, Reasons.STARTING, "restart " + r.restarts())) {
            run(r);
        }
    }

    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
