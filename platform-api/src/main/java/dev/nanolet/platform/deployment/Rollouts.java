package dev.nanolet.platform.deployment;

import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.PreconditionFailedException;
import dev.nanolet.platform.precondition.Precondition;
import dev.nanolet.wire.Deployment;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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

    /**
     * As {@link #await}, for a write just made: with {@code atomic}, a failed rollout's write is undone, then
     * {@code undone} is told what the undo did (before the answer, so that it is audited as it is made).
     */
    ResponseEntity<?> awaitApplied(DeploymentWriter.Applied applied, WaitOptions options, HttpStatus success,
            BooleanSupplier credential, Consumer<Undone> undone) {
        Deployment d = applied.deployment();
        RolloutWaiter.Outcome outcome = waiter.await(d.namespace(), d.name(), d.generation(), options.timeout(), credential,
                RolloutWaiter.Asked.WRITE);
        if (outcome instanceof RolloutWaiter.Failed failed) {
            var problem = problems.failed(d.namespace(), d.name(), failed);
            if (!options.atomic()) {
                return RolloutProblems.answer(problem, null);
            }
            Undone undo = undo(applied);
            undone.accept(undo);
            return RolloutProblems.answer(problem, undo.answer());
        }
        return ResponseEntity.status(success).body(outcome.deployment());
    }

    /**
     * Waits for {@code d}'s generation (or a later one) without a change of its own: {@code GET …/rollout} ({@code asked}
     * {@code READ}), a rollback that was written before ({@code WRITE}).
     */
    ResponseEntity<?> await(Deployment d, Duration timeout, BooleanSupplier credential, RolloutWaiter.Asked asked) {
        RolloutWaiter.Outcome outcome = waiter.await(d.namespace(), d.name(), d.generation(), timeout, credential, asked);
        return outcome instanceof RolloutWaiter.Failed failed
                ? RolloutProblems.answer(problems.failed(d.namespace(), d.name(), failed), null)
                : ResponseEntity.ok(outcome.deployment());
    }

    /**
     * What {@link #undo} did: the answer's part, and the write it made or had refused, as that request would be audited:
     * {@code method} ({@code DELETE} or {@code POST}, null when nothing was to undo) on the deployment's path plus
     * {@code subresource} ({@code ""} or {@code /rollback}), answered {@code status} (204 or 200; 412 or 404 when another
     * write came between and nothing was undone).
     */
    record Undone(RolloutProblems.Undo answer, String method, String subresource, int status) {
        /** Whether the undo reverted the write: nothing of it stays (not so after nothing to undo, 412 or 404). */
        boolean reverted() {
            return status == 200 || status == 204;
        }
    }

    /**
     * Undoes {@code applied}, on condition that the deployment is still at the version that write made: a write another
     * client made since (while this one waited) is never overwritten; the answer then says it was not undone.
     */
    Undone undo(DeploymentWriter.Applied applied) {
        Deployment d = applied.deployment();
        Precondition unchanged = Precondition.resourceVersion(d.resourceVersion());
        String method = applied.created() ? "DELETE" : "POST";
        String subresource = applied.created() ? "" : "/rollback";
        try {
            if (applied.created()) {
                writer.delete(d.namespace(), d.name(), unchanged);
                return new Undone(answer("deleted the deployment this apply created", null), method, subresource, 204);
            }
            if (applied.previousRevision() != d.revision()) {
                Deployment back = writer.rollback(d.namespace(), d.name(), applied.previousRevision(), unchanged);
                return new Undone(answer("rolled back to revision " + applied.previousRevision() + " (as revision "
                        + back.revision() + ")", back.revision()), method, subresource, 200);
            }
        } catch (PreconditionFailedException e) {
            return new Undone(answer("not undone: changed since by another write (resourceVersion " + e.current() + ")", null),
                    method, subresource, 412);
        } catch (NotFoundException e) {
            return new Undone(answer("not undone: deleted since by another write", null), method, subresource, 404);
        }
        return new Undone(answer("nothing to undo: the apply made no new revision", null), null, "", 0);
    }

    private static RolloutProblems.Undo answer(String action, Integer revision) {
        return new RolloutProblems.Undo(action, revision);
    }
}
