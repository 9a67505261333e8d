package dev.nanolet.platform.deployment;

import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.Event;
import dev.nanolet.wire.Replica;
import dev.nanolet.wire.ReplicaPhase;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The answer to a rollout that did not become available: 422 of type {@link #ROLLOUT_FAILED} with
 * the reason ({@code ReplicaFailure}, {@code ProgressDeadlineExceeded} or {@code Timeout}), the
 * replicas of the current revision that are not ready with their reasons, the latest warnings of
 * the deployment, and what {@code atomic} undid.
 */
@Component
class RolloutProblems {
    static final URI ROLLOUT_FAILED = URI.create("https://nanolet.dev/problems/rollout-failed");
    static final int WARNINGS = 10;

    private final DeploymentQueries queries;

    RolloutProblems(DeploymentQueries queries) {
        this.queries = queries;
    }

    /** What {@code atomic=true} did after the failure; null when it was not asked for. */
    record Undo(String action, Integer revision) {}

    /** The problem, read before anything is undone (an undo may delete the deployment). */
    ProblemDetail failed(String namespace, String name, RolloutWaiter.Failed failed) {
        Deployment d = failed.deployment();
        List<Replica> failing = queries.replicas(namespace, name).stream()
                .filter(r -> r.revision() == d.revision() && r.phase() != ReplicaPhase.Running
                        && r.phase() != ReplicaPhase.Succeeded && r.phase() != ReplicaPhase.Terminating)
                .toList();
        List<Event> warnings = queries.events(namespace, name, 100).stream()
                .filter(e -> e.type().equals("Warning")).limit(WARNINGS).toList();
        String reasons = failing.stream().filter(r -> r.reason() != null)
                .map(r -> r.phase() + " " + r.reason() + (r.message() == null ? "" : ": " + r.message()))
                .distinct().limit(3).collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                "deployment " + namespace + "/" + name + " revision " + d.revision() + " did not become available ("
                        + failed.reason() + "): " + failed.message() + (reasons.isEmpty() ? "" : "; replicas: " + reasons));
        problem.setType(ROLLOUT_FAILED);
        problem.setTitle("Rollout failed");
        problem.setProperty("reason", failed.reason());
        problem.setProperty("deployment", d);
        problem.setProperty("failingReplicas", failing);
        problem.setProperty("warnings", warnings);
        return problem;
    }

    static ResponseEntity<ProblemDetail> answer(ProblemDetail problem, Undo undo) {
        if (undo != null) {
            problem.setDetail(problem.getDetail() + "; atomic: " + undo.action());
            problem.setProperty("atomic", undo);
        }
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT).body(problem);
    }
}
