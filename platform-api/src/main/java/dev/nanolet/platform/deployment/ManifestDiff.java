package dev.nanolet.platform.deployment;

import dev.nanolet.platform.spec.SpecJson;
import dev.nanolet.wire.DeploymentSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code POST /api/v1/apply} would change, document by document, without writing: each
 * document is {@code created}, {@code unchanged} or {@code changed} with its field-level changes
 * (the stored spec against the spec the apply would store: validated and canonical, so a route
 * written {@code /a/} that is stored as {@code /a} is no change; its route checked after the documents
 * before it, as the apply does, see {@link PlannedRoutes}), and whether a change makes a new
 * revision (replicas and progressDeadlineSeconds alone do not). Invalid documents fail as the
 * apply would (422/409 naming the document). A Secret document is {@code created}, {@code unchanged} or
 * {@code changed} with the names of the keys added, removed or given another value: never a value, so its diff needs
 * the role its apply needs ({@link ManifestDiffApi}). With a prune selector, what the prune would delete follows as
 * {@code deleted}.
 */
@Service
class ManifestDiff {
    private final DeploymentDryRun dryRuns;
    private final DeploymentRepository deployments;
    private final SpecJson specJson;
    private final JsonMapper json;

    private final ManifestPrune prune;
    private final SecretWriter secrets;

    ManifestDiff(DeploymentDryRun dryRuns, DeploymentRepository deployments, SpecJson specJson, JsonMapper json, ManifestPrune prune,
            SecretWriter secrets) {
        this.dryRuns = dryRuns;
        this.secrets = secrets;
        this.prune = prune;
        this.deployments = deployments;
        this.specJson = specJson;
        this.json = json;
    }

    /** The answer: {@code changed} when any document would change. */
    record Result(boolean changed, List<DocumentDiff> documents) {}

    /** @param action {@code created}, {@code unchanged}, {@code changed}, or {@code deleted} (by prune; index -1) */
    record DocumentDiff(int index, String kind, String namespace, String name, String action, boolean newRevision,
            List<?> changes) {}

    /** @param pruneSelector the selector of {@code prune=true}, or null without prune */
    @Transactional(readOnly = true)
    Result diff(List<ManifestDocuments.Manifest> manifests, Map<String, String> pruneSelector) {
        PlannedRoutes planned = new PlannedRoutes();
        List<DocumentDiff> documents = new ArrayList<>(manifests.stream()
                .map(m -> m.isSecret() ? secretDiff(m) : diff(m, planned)).toList());
        if (pruneSelector != null) {
            prune.candidates(manifests, pruneSelector).forEach(p -> documents.add(
                    new DocumentDiff(-1, "Deployment", p.namespace(), p.name(), "deleted", false, List.of())));
        }
        return new Result(documents.stream().anyMatch(d -> !d.action().equals("unchanged")), documents);
    }

    private DocumentDiff diff(ManifestDocuments.Manifest m, PlannedRoutes planned) {
        DeploymentSpec next = prepared(m, planned);
        Optional<DeploymentSpec> current = deployments.findLive(m.namespace(), m.name()).map(d -> specJson.read(d.getSpec()));
        List<SpecChanges.Change> changes = SpecChanges.between(
                current.<JsonNode>map(json::valueToTree).orElse(null), json.<JsonNode>valueToTree(next), "spec");
        String action = current.isEmpty() ? "created" : changes.isEmpty() ? "unchanged" : "changed";
        boolean newRevision = current.isEmpty() || (!changes.isEmpty() && !DeploymentWriter.keepsRevision(current.get(), next));
        return new DocumentDiff(m.index(), "Deployment", m.namespace(), m.name(), action, newRevision, changes);
    }

    /** A Secret document: the names of the keys the apply would add, remove or give another value, never a value. */
    private DocumentDiff secretDiff(ManifestDocuments.Manifest m) {
        SecretWriter.KeyChanges keys = ManifestApply.inDocument(m, () -> secrets.changes(m.namespace(), m.name(), m.secretData(), m.precondition()));
        List<KeyChange> changes = new ArrayList<>();
        if (keys == null) {
            new TreeSet<>(m.secretData().keySet()).forEach(k -> changes.add(new KeyChange("data." + k, "added")));
        } else {
            keys.added().forEach(k -> changes.add(new KeyChange("data." + k, "added")));
            keys.removed().forEach(k -> changes.add(new KeyChange("data." + k, "removed")));
            keys.changed().forEach(k -> changes.add(new KeyChange("data." + k, "changed")));
            changes.sort(Comparator.comparing(KeyChange::field));
        }
        String action = keys == null ? "created" : keys.none() ? "unchanged" : "changed";
        return new DocumentDiff(m.index(), "Secret", m.namespace(), m.name(), action, false, changes);
    }

    /** A change of a Secret document: which key, and {@code added}, {@code removed} or {@code changed} (never its value). */
    record KeyChange(String field, String change) {}

    private DeploymentSpec prepared(ManifestDocuments.Manifest m, PlannedRoutes planned) {
        return ManifestApply.inDocument(m, () -> dryRuns.prepared(m.namespace(), m.name(), m.spec(), planned, m.precondition()));
    }
}
