package dev.nanolet.platform.deployment;

import dev.nanolet.platform.spec.SpecJson;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Prune for {@code POST /api/v1/apply?prune=true&selector=…}: the live deployments in the
 * namespaces the manifest names that match the selector and that the manifest no longer contains
 * (as {@code kubectl apply --prune -l}); never outside those namespaces, for which the caller has
 * shown {@code deployer}. The apply and the deletions are one transaction.
 */
@Service
class ManifestPrune {
    private final ManifestApply apply;
    private final DeploymentRepository deployments;
    private final DeploymentWriter writer;
    private final SpecJson specJson;

    ManifestPrune(ManifestApply apply, DeploymentRepository deployments, DeploymentWriter writer, SpecJson specJson) {
        this.apply = apply;
        this.deployments = deployments;
        this.writer = writer;
        this.specJson = specJson;
    }

    /** One deployment prune deletes (or, dry run, would delete). */
    record Pruned(String namespace, String name) {}

    /** What an apply with prune did. */
    record Result(List<DeploymentWriter.Applied> applied, List<Pruned> pruned, List<SecretWriter.Written> secrets) {}

    /** The deployments a prune with {@code selector} would delete now. */
    @Transactional(readOnly = true)
    List<Pruned> candidates(List<ManifestDocuments.Manifest> documents, Map<String, String> selector) {
        Set<String> kept = ManifestApply.deployments(documents).stream().map(m -> m.namespace() + "/" + m.name())
                .collect(Collectors.toSet());
        // every document names its namespace, a Secret's too (secrets themselves are never pruned): a manifest whose last
        // deployments of a namespace were removed prunes them there
        return documents.stream().map(ManifestDocuments.Manifest::namespace).distinct().sorted()
                .flatMap(ns -> deployments.findLiveInNamespace(ns).stream())
                .filter(d -> !kept.contains(d.getNamespace() + "/" + d.getName()))
                .filter(d -> Labels.matches(selector, specJson.readLabels(d.getLabels())))
                .map(d -> new Pruned(d.getNamespace(), d.getName()))
                .toList();
    }

    /**
     * Applies the manifest, then deletes the {@link #candidates} the apply read once it held the routes lock, before it
     * locked their rows with its own in one pass (docs/node-protocol.md, "Lock order"): a request that took the routes
     * lock first (a create of a route, a manifest of several documents) is seen; one that does not take it and creates
     * a matching deployment meanwhile leaves it to the next prune.
     */
    @Transactional
    Result applyAndPrune(List<ManifestDocuments.Manifest> manifests, Map<String, String> selector) {
        ManifestApply.Outcome outcome = apply.apply(manifests, () -> candidates(manifests, selector));
        return new Result(outcome.applied(), prune(outcome.pruning(), selector), outcome.secrets());
    }

    /** Deletes those of {@code candidates} that still match {@code selector} once locked (a relabel may have come between); those it deleted. */
    @Transactional
    List<Pruned> prune(List<Pruned> candidates, Map<String, String> selector) {
        return candidates.stream()
                .filter(p -> writer.deleteIf(p.namespace(), p.name(), labels -> Labels.matches(selector, labels)))
                .toList();
    }
}
