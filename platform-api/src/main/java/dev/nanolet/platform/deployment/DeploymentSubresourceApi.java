package dev.nanolet.platform.deployment;

import dev.nanolet.platform.audit.RequestAudit;
import dev.nanolet.platform.dryrun.DryRun;
import dev.nanolet.platform.precondition.Precondition;
import dev.nanolet.platform.web.CredentialChecks;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.Event;
import dev.nanolet.wire.Replica;
import dev.nanolet.wire.Revision;
import dev.nanolet.wire.RollbackRequest;
import dev.nanolet.wire.ScaleRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A deployment's subresources: scale, revisions and rollback (both may be conditional, as a PUT, and dry runs,
 * {@link DeploymentDryRun}), replicas, events.
 */
@RestController
@RequestMapping(DeploymentApi.ONE)
class DeploymentSubresourceApi {
    private final DeploymentWriter writer;
    private final DeploymentDryRun dryRuns;
    private final DeploymentQueries queries;
    private final Rollouts rollouts;
    private final CredentialChecks credentials;
    private final RequestAudit entries;

    DeploymentSubresourceApi(DeploymentWriter writer, DeploymentDryRun dryRuns, DeploymentQueries queries, Rollouts rollouts,
            CredentialChecks credentials, RequestAudit entries) {
        this.credentials = credentials;
        this.entries = entries;
        this.writer = writer;
        this.dryRuns = dryRuns;
        this.queries = queries;
        this.rollouts = rollouts;
    }

    /** A missing body is a missing {@code replicas} (422), as a missing spec is for apply. */
    @PutMapping("/scale")
    Deployment scale(@PathVariable String namespace, @PathVariable String name,
            @RequestBody(required = false) ScaleRequest request, @RequestParam(required = false) String dryRun,
            Precondition precondition, HttpServletRequest http) {
        Integer replicas = request == null ? null : request.replicas();
        return DryRun.requested(dryRun, http) ? dryRuns.scale(namespace, name, replicas, precondition)
                : writer.scale(namespace, name, replicas, precondition);
    }

    @GetMapping("/revisions")
    List<Revision> revisions(@PathVariable String namespace, @PathVariable String name) {
        return queries.revisions(namespace, name);
    }

    /**
     * With {@code wait=true}, answers once the rolled-back revision is available, or the rollout-failed problem; a dry
     * run, as a {@code PUT}'s, answers at once.
     */
    @PostMapping("/rollback")
    ResponseEntity<?> rollback(@PathVariable String namespace, @PathVariable String name,
            @RequestBody(required = false) RollbackRequest request,
            @RequestParam(defaultValue = "false") boolean wait, @RequestParam(required = false) String timeout,
            @RequestParam(required = false) String dryRun, Precondition precondition, HttpServletRequest http) {
        boolean dry = DryRun.requested(dryRun, http);
        WaitOptions options = WaitOptions.of(wait, timeout, false);
        Integer revision = request == null ? null : request.revision();
        if (dry) {
            return ResponseEntity.ok(dryRuns.rollback(namespace, name, revision, precondition));
        }
        Deployment d = writer.rollback(namespace, name, revision, precondition);
        entries.committed(http, 200); // now, not after the wait: a stop mid-wait loses none
        return options.waits() ? rollouts.await(d, options.timeout(), credentials.stillValid(http), RolloutWaiter.Asked.WRITE)
                : ResponseEntity.ok(d);
    }

    /** Waits (up to {@code timeout}, 120 s by default; 0 answers at once) for the current rollout: 200 complete, 422 otherwise. */
    @GetMapping("/rollout")
    ResponseEntity<?> rollout(@PathVariable String namespace, @PathVariable String name,
            @RequestParam(required = false) String timeout, HttpServletRequest http) {
        return rollouts.await(queries.get(namespace, name), WaitOptions.timeout(timeout), credentials.stillValid(http),
                RolloutWaiter.Asked.READ);
    }

    @GetMapping("/replicas")
    List<Replica> replicas(@PathVariable String namespace, @PathVariable String name) {
        return queries.replicas(namespace, name);
    }

    @GetMapping("/events")
    List<Event> events(@PathVariable String namespace, @PathVariable String name,
            @RequestParam(defaultValue = "100") int limit) {
        return queries.events(namespace, name, limit);
    }
}
