package dev.nanolet.platform.deployment;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.PreconditionFailedException;
import dev.nanolet.wire.Problem.FieldError;
import dev.nanolet.wire.Deployment;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies a manifest's documents in one transaction: each as {@code PUT …/deployments/{name}}
 * would, and all or none — a document that fails (invalid, a path another document or deployment
 * holds, a concurrent create, a {@code metadata.resourceVersion} the object is no longer at) rolls back every one
 * before it, and the error names its document.
 */
@Service
class ManifestApply {
    private final DeploymentWriter writer;
    private final SecretWriter secrets;

    ManifestApply(DeploymentWriter writer, SecretWriter secrets) {
        this.writer = writer;
        this.secrets = secrets;
    }

    /**
     * Secrets first (deployments may reference them), then deployments; answers what each Deployment document did,
     * in order. A manifest with a route takes the routes lock before anything else, as {@link DeploymentWriter} requires.
     */
    @Transactional
    List<DeploymentWriter.Applied> apply(List<ManifestDocuments.Manifest> manifests) {
        if (deployments(manifests).stream().anyMatch(m -> m.spec() != null && m.spec().servesHttp())) {
            writer.lockRoutes();
        }
        for (ManifestDocuments.Manifest m : manifests) {
            if (m.isSecret()) {
                inDocument(m, () -> {
                    secrets.write(m.namespace(), m.name(), m.secretData(), m.precondition());
                    return null;
                });
            }
        }
        List<DeploymentWriter.Applied> applied = new ArrayList<>();
        for (ManifestDocuments.Manifest m : deployments(manifests)) {
            applied.add(inDocument(m, () -> writer.apply(m.namespace(), m.name(), m.spec(), m.labels(), m.precondition())));
        }
        return applied;
    }

    /** The Deployment documents of a manifest, in order. */
    static List<ManifestDocuments.Manifest> deployments(List<ManifestDocuments.Manifest> manifests) {
        return manifests.stream().filter(m -> !m.isSecret()).toList();
    }

    /** Checks each document as {@link #apply} would, after the documents before it (see {@link PlannedRoutes}); writes nothing. */
    @Transactional(readOnly = true)
    List<Deployment> dryRun(List<ManifestDocuments.Manifest> manifests) {
        PlannedRoutes planned = new PlannedRoutes();
        return deployments(manifests).stream()
                .map(m -> inDocument(m, () -> writer.dryRun(m.namespace(), m.name(), m.spec(), planned, m.precondition())).deployment())
                .toList();
    }

    /** Runs {@code write} for document {@code m}, its errors named by the document (also for {@link ManifestDiff}). */
    static <T> T inDocument(ManifestDocuments.Manifest m, java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (InvalidInputException e) {
            throw ManifestDocuments.inDocument(m, e);
        } catch (ConcurrentCreateException e) {
            throw new ConflictException(m.describe() + ": created by another request at the same time; apply again");
        } catch (PreconditionFailedException e) {
            throw new ConflictException("documents[" + m.index() + "].metadata.resourceVersion", e.getMessage());
        } catch (RouteTakenException e) {
            FieldError taken = e.errors().getFirst();
            throw new ConflictException("documents[" + m.index() + "].spec." + taken.field(), taken.message());
        }
    }
}
