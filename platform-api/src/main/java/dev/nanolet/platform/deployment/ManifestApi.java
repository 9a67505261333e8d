package dev.nanolet.platform.deployment;

import dev.nanolet.platform.audit.RequestAudit;
import dev.nanolet.platform.audit.Written;
import dev.nanolet.platform.dryrun.DryRun;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.platform.web.CredentialChecks;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/apply}: a manifest of Deployment and Secret documents applied all or none (the answer lists
 * the deployments; a dry run checks the deployments only), idempotent
 * (an unchanged document changes nothing), each checked against the caller's role in its
 * namespace; {@code dryRun=All}, {@code wait}, {@code timeout} and {@code atomic} as for one
 * deployment, {@code atomic} undoing every Deployment document of the manifest (a Secret document is kept); {@code prune=true&selector=}
 * also deletes what the manifest no longer contains ({@link ManifestPrune}), in the same transaction. Once committed,
 * before any wait, the apply's own audit entry is written ({@link RequestAudit#committed}: a second one follows when the
 * wait answered otherwise), then each document's and each deployment pruned's, of its namespace ({@link ObjectAudit});
 * each undo's as it is made.
 */
@RestController
class ManifestApi {
    private final ManifestApply apply;
    private final RolloutWaiter waiter;
    private final CredentialChecks credentials;
    private final RolloutProblems problems;
    private final Rollouts rollouts;
    private final JsonMapper strict;
    private final ManifestPrune prune;
    private final ObjectAudit audit;
    private final RequestAudit entries;

    ManifestApi(ManifestApply apply, RolloutWaiter waiter, RolloutProblems problems, Rollouts rollouts, JsonMapper json,
            ManifestPrune prune, ObjectAudit audit, RequestAudit entries, CredentialChecks credentials) {
        this.credentials = credentials;
        this.entries = entries;
        this.apply = apply;
        this.prune = prune;
        this.audit = audit;
        this.waiter = waiter;
        this.problems = problems;
        this.rollouts = rollouts;
        this.strict = StrictSpecBodies.strict(json);
    }

    @PostMapping(path = "/api/v1/apply", consumes = {"application/json", "application/yaml", "application/x-yaml", "text/yaml"})
    ResponseEntity<?> apply(@RequestBody(required = false) String body, @RequestHeader(HttpHeaders.CONTENT_TYPE) String type,
            @RequestParam(defaultValue = "false") boolean wait, @RequestParam(required = false) String timeout,
            @RequestParam(defaultValue = "false") boolean atomic, @RequestParam(required = false) String dryRun,
            @RequestParam(defaultValue = "false") boolean prune, @RequestParam(required = false) String selector,
            HttpServletRequest request, HttpServletResponse response) {
        boolean dry = DryRun.requested(dryRun, request);
        WaitOptions options = WaitOptions.of(wait, timeout, atomic);
        Map<String, String> pruneSelector = PruneOptions.selector(prune, selector, atomic);
        List<ManifestDocuments.Manifest> manifests = ManifestDocuments.read(body == null ? "" : body, type.contains("yaml"), strict);
        ManifestAccess.require(Caller.of(request), manifests, Role.deployer, ", so nothing was applied");
        if (dry) {
            List<Deployment> wouldApply = apply.dryRun(manifests);
            return ResponseEntity.ok(pruneSelector == null ? wouldApply
                    : new Pruning(wouldApply, this.prune.candidates(manifests, pruneSelector)));
        }
        List<DeploymentWriter.Applied> applied;
        List<ManifestPrune.Pruned> pruned = null;
        List<SecretWriter.Written> secrets;
        if (pruneSelector == null) {
            ManifestApply.Outcome outcome = apply.apply(manifests);
            applied = outcome.applied();
            secrets = outcome.secrets();
        } else {
            ManifestPrune.Result result = this.prune.applyAndPrune(manifests, pruneSelector);
            applied = result.applied();
            pruned = result.pruned();
            secrets = result.secrets();
        }
        SecretsHeader.set(response, secrets);
        entries.committed(request, 200); // now, not after the wait: a stop mid-wait loses none
        audit.applied(manifests, request);
        if (pruned != null) {
            audit.pruned(pruned, request);
        }
        manifests = ManifestApply.deployments(manifests);
        if (!options.waits()) {
            List<Deployment> deployments = applied.stream().map(DeploymentWriter.Applied::deployment).toList();
            return ResponseEntity.ok(pruned == null ? deployments : new Pruning(deployments, pruned));
        }
        List<Deployment> done = new ArrayList<>();
        BooleanSupplier credential = credentials.stillValid(request);
        for (int i = 0; i < applied.size(); i++) {
            Deployment d = applied.get(i).deployment();
            RolloutWaiter.Outcome outcome = waiter.await(d.namespace(), d.name(), d.generation(), options.timeout(), credential,
                    RolloutWaiter.Asked.WRITE);
            if (outcome instanceof RolloutWaiter.Failed failed) {
                ProblemDetail problem = problems.failed(d.namespace(), d.name(), failed);
                problem.setDetail(manifests.get(i).describe() + ": " + problem.getDetail());
                problem.setProperty("document", manifests.get(i).index()); // its place in the body, Secrets counted
                if (!options.atomic()) {
                    audit.rolloutFailed(manifests.get(i), 200, request);
                    return RolloutProblems.answer(problem, null);
                }
                return RolloutProblems.answer(problem, undoAll(applied, manifests, i, secrets, request));
            }
            done.add(outcome.deployment());
        }
        return ResponseEntity.ok(pruned == null ? done : new Pruning(done, pruned));
    }

    /** The answer of an apply with {@code prune=true}: the applied deployments and the ones pruned (dry run: would be). */
    record Pruning(List<Deployment> applied, List<ManifestPrune.Pruned> pruned) {}

    /**
     * Undoes every deployment of the apply, each undo audited as it is made ({@link ObjectAudit#undone}), so that one
     * that throws (the database gone) or a stop leaves none done unlisted: first the document {@code failed} whose
     * rollout failed, its undo's entry then its second entry, written 200 unless that undo reverted it, as a single
     * {@code PUT ?atomic=true} is audited; then the others, last first. The apply's own second entry has no
     * {@code written} once every deployment's write was reverted and no Secret document changed a secret (the undo keeps
     * secrets); else part of the write stays.
     */
    private RolloutProblems.Undo undoAll(List<DeploymentWriter.Applied> applied, List<ManifestDocuments.Manifest> manifests,
            int failed, List<SecretWriter.Written> secrets, HttpServletRequest request) {
        Rollouts.Undone[] undone = new Rollouts.Undone[applied.size()];
        try {
            undone[failed] = rollouts.undo(applied.get(failed));
            audit.undone(manifests.get(failed), undone[failed], request);
        } finally { // a throwing undo reverted nothing: the write stays
            audit.rolloutFailed(manifests.get(failed), undone[failed] != null && undone[failed].reverted() ? null : 200, request);
        }
        for (int i = applied.size() - 1; i >= 0; i--) {
            if (i != failed) {
                undone[i] = rollouts.undo(applied.get(i));
                audit.undone(manifests.get(i), undone[i], request);
            }
        }
        if (Arrays.stream(undone).allMatch(Rollouts.Undone::reverted)
                && secrets.stream().allMatch(s -> s.done() == SecretWriter.Done.unchanged)) {
            Written.unmark(request);
        }
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < applied.size(); i++) {
            actions.add(manifests.get(i).describe() + ": " + undone[i].answer().action());
        }
        return new RolloutProblems.Undo(String.join("; ", actions), null);
    }
}
