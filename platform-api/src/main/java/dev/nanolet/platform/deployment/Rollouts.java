package dev.nanolet.platform.deployment;

import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.PreconditionFailedException;
import dev.nanolet.platform.precondition.Precondition;
import dev.nanolet.wire.Deployment;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Answers for waiting callers: the deployment once its rollout is complete (with the status the
 * change itself answers), else the rollout-failed problem; with {@code atomic}, a failed apply is
 * undone first — back to the previous revision, or the deployment deleted if the apply created it
 * (the undo is not waited for).
 */
@Component
class Rollouts {
    private final RolloutWaiter waiter;
    private final RolloutProblems problems;
    private final DeploymentWriter writer;

    Rollouts(RolloutWaiter waiter, RolloutProblems problems, DeploymentWriter writer) {
        this.waiter = waiter;
        this.problems = problems;
        this.writer = writer;
    }

    ResponseEntity<?> awaitApplied(DeploymentWriter.Applied applied, WaitOptions options, HttpStatus success) {
        Deployment d = applied.deployment();
        RolloutWaiter.Outcome outcome = waiter.await(d.namespace(), d.name(), d.generation(), options.timeout());
        if (outcome instanceof RolloutWaiter.Failed failed) {
            var problem = problems.failed(d.namespace(), d.name(), failed);
            return RolloutProblems.answer(problem, options.atomic() ? undo(applied) : null);
        }
        return ResponseEntity.status(success).body(outcome.deployment());
    }

    /** Waits for {@code d}'s generation (or a later one) without a change of its own: {@code GET …/rollout}, rollback. */
    ResponseEntity<?> await(Deployment d, Duration timeout) {
        RolloutWaiter.Outcome outcome = waiter.await(d.namespace(), d.name(), d.generation(), timeout);
        return outcome instanceof RolloutWaiter.Failed failed
                ? RolloutProblems.answer(problems.failed(d.namespace(), d.name(), failed), null)
                : ResponseEntity.ok(outcome.deployment());
    }

    /**
     * Undoes {@code applied}, on condition that the deployment is still at the version that write made: a write another
     * client made since (while this one waited) is never overwritten; the answer then says it was not undone.
     */
    RolloutProblems.Undo undo(DeploymentWriter.Applied applied) {
        Deployment d = applied.deployment();
        Precondition unchanged = Precondition.resourceVersion(d.resourceVersion());
        try {
            if (applied.created()) {
                writer.delete(d.namespace(), d.name(), unchanged);
                return new RolloutProblems.Undo("deleted the deployment this apply created", null);
            }
            if (applied.previousRevision() != d.revision()) {
                Deployment back = writer.rollback(d.namespace(), d.name(), applied.previousRevision(), unchanged);
                return new RolloutProblems.Undo("rolled back to revision " + applied.previousRevision()
                        + " (as revision " + back.revision() + ")", back.revision());
            }
        } catch (PreconditionFailedException | NotFoundException e) {
            return new RolloutProblems.Undo("not undone: " + (e instanceof PreconditionFailedException failed
                    ? "changed since by another write (resourceVersion " + failed.current() + ")" : "deleted since by another write"), null);
        }
        return new RolloutProblems.Undo("nothing to undo: the apply made no new revision", null);
    }
}
