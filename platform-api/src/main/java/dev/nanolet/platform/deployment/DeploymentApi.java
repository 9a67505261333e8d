package dev.nanolet.platform.deployment;

import dev.nanolet.platform.audit.RequestAudit;
import dev.nanolet.platform.audit.Written;
import dev.nanolet.platform.dryrun.DryRun;
import dev.nanolet.platform.precondition.Precondition;
import dev.nanolet.platform.web.CredentialChecks;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Apply, read and delete deployments. A write may be conditional ({@link Precondition}: {@code If-Match},
 * {@code If-None-Match: *} to create only); every answer that shows one deployment carries its {@code ETag}. A read is
 * never conditional (no 304): its answer shows the status, computed from the replicas when it is read, which the
 * {@code ETag} (the row's resource version) does not follow.
 */
@RestController
class DeploymentApi {
    static final String ONE = "/api/v1/namespaces/{namespace}/deployments/{name}";

    private final DeploymentWriter writer;
    private final DeploymentDryRun dryRuns;
    private final DeploymentQueries queries;
    private final Rollouts rollouts;
    private final TransactionTemplate tx;
    private final CredentialChecks credentials;
    private final RequestAudit entries;
    private final ObjectAudit audit;

    DeploymentApi(DeploymentWriter writer, DeploymentDryRun dryRuns, DeploymentQueries queries, Rollouts rollouts,
            TransactionTemplate tx, CredentialChecks credentials, RequestAudit entries, ObjectAudit audit) {
        this.credentials = credentials;
        this.entries = entries;
        this.audit = audit;
        this.writer = writer;
        this.dryRuns = dryRuns;
        this.queries = queries;
        this.rollouts = rollouts;
        this.tx = tx;
    }

    /**
     * Creates (201) or updates (200); a create that races another create of the same name is
     * applied again as an update. {@code dryRun=All} checks without writing and answers as the write would (201 for a
     * create, as Kubernetes answers a dry-run create);
     * {@code wait=true} answers once the rollout is complete or failed ({@link Rollouts}). The retried create checks
     * {@code precondition} again, against the deployment the other create made.
     */
    @PutMapping(ONE)
    ResponseEntity<?> apply(@PathVariable String namespace, @PathVariable String name,
            @RequestBody(required = false) DeploymentSpec spec,
            @RequestParam(defaultValue = "false") boolean wait, @RequestParam(required = false) String timeout,
            @RequestParam(defaultValue = "false") boolean atomic, @RequestParam(required = false) String dryRun,
            Precondition precondition, HttpServletRequest request) {
        boolean dry = DryRun.requested(dryRun, request);
        WaitOptions options = WaitOptions.of(wait, timeout, atomic);
        if (dry) {
            return answer(dryRuns.dryRun(namespace, name, spec, new PlannedRoutes(), precondition));
        }
        DeploymentWriter.Applied applied;
        try {
            applied = applyOnce(namespace, name, spec, precondition);
        } catch (ConcurrentCreateException | RouteMovedException e) {
            applied = applyOnce(namespace, name, spec, precondition);
        }
        entries.committed(request, status(applied).value()); // now, not after the wait: a stop mid-wait loses none
        return options.waits() ? rollouts.awaitApplied(applied, options, status(applied), credentials.stillValid(request),
                undone -> undone(namespace, name, undone, request)) : answer(applied);
    }

    /**
     * What {@code atomic=true} did after a failed rollout, audited as it is made, as an apply's undo is
     * ({@link ObjectAudit#undone}); a write it reverted is no longer written ({@link Written#unmark}).
     */
    private void undone(String namespace, String name, Rollouts.Undone undone, HttpServletRequest request) {
        audit.undone(namespace, name, undone, request);
        if (undone.reverted()) {
            Written.unmark(request);
        }
    }

    private static ResponseEntity<Deployment> answer(DeploymentWriter.Applied applied) {
        return ResponseEntity.status(status(applied)).body(applied.deployment());
    }

    private static HttpStatus status(DeploymentWriter.Applied applied) {
        return applied.created() ? HttpStatus.CREATED : HttpStatus.OK;
    }

    /**
     * One transaction of a {@code PUT}: the routes lock first when the route is new or moves, judged by a read without a
     * lock, then the write (docs/node-protocol.md, "Lock order"; {@link DeploymentWriter}).
     */
    private DeploymentWriter.Applied applyOnce(String namespace, String name, DeploymentSpec spec, Precondition precondition) {
        return tx.execute(status -> {
            if (writer.routeMayMove(namespace, name, spec)) {
                writer.lockRoutes();
            }
            return writer.apply(namespace, name, spec, null, precondition);
        });
    }

    @GetMapping(ONE)
    Deployment get(@PathVariable String namespace, @PathVariable String name) {
        return queries.get(namespace, name);
    }

    @GetMapping("/api/v1/namespaces/{namespace}/deployments")
    List<Deployment> list(@PathVariable String namespace) {
        return queries.list(namespace);
    }

    @GetMapping("/api/v1/deployments")
    List<Deployment> listAll() {
        return queries.listAll();
    }

    /** Marks the deployment deleted (204); {@code dryRun=All} answers the same, or the delete's 404 or 412, deleting nothing. */
    @DeleteMapping(ONE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String namespace, @PathVariable String name, @RequestParam(required = false) String dryRun,
            Precondition precondition, HttpServletRequest request) {
        DryRun.either(dryRun, request, () -> dryRuns.delete(namespace, name, precondition),
                () -> writer.delete(namespace, name, precondition));
    }
}
