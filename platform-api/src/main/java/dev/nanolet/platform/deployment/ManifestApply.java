package dev.nanolet.platform.deployment;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.PreconditionFailedException;
import dev.nanolet.wire.Deployment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
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
    private final DeploymentDryRun dryRuns;
    private final SecretWriter secrets;
    private final SecretCatalog catalog;
    private final SecretUsers users;
    private final DeploymentRows rows;

    ManifestApply(DeploymentWriter writer, DeploymentDryRun dryRuns, SecretWriter secrets, SecretCatalog catalog,
            SecretUsers users, DeploymentRows rows) {
        this.writer = writer;
        this.dryRuns = dryRuns;
        this.secrets = secrets;
        this.catalog = catalog;
        this.users = users;
        this.rows = rows;
    }

    /**
     * What {@link #apply(List, Supplier)} wrote, Deployment document by document, the deployments it chose for prune and
     * locked, and what it did to each Secret document's secret, in document order.
     */
    record Outcome(List<DeploymentWriter.Applied> applied, List<ManifestPrune.Pruned> pruning, List<SecretWriter.Written> secrets) {}

    /** {@link #apply(List, Supplier)} without prune. */
    @Transactional
    Outcome apply(List<ManifestDocuments.Manifest> manifests) {
        return apply(manifests, null);
    }

    /**
     * Secrets first (deployments may reference them), then deployments; answers what each Deployment document did,
     * in order. Takes the routes lock before anything else ({@link #locksRoutes}), then every secret lock
     * ({@link ManifestSecretLocks}), then, in one pass, the row of every deployment it will touch
     * ({@link #touched}): the lock order of docs/node-protocol.md. {@code pruning} (null without prune) chooses the
     * deployments the transaction may delete afterwards ({@link ManifestPrune}): asked once the routes and secret locks
     * are held and before any row is locked, so that it sees what every write serialized before it on the routes lock
     * created, and its choice is locked in the same pass.
     */
    @Transactional
    Outcome apply(List<ManifestDocuments.Manifest> manifests, Supplier<List<ManifestPrune.Pruned>> pruning) {
        if (locksRoutes(manifests, pruning != null)) {
            writer.lockRoutes();
        }
        ManifestSecretLocks.lock(manifests, secrets, catalog);
        List<ManifestPrune.Pruned> pruned = pruning == null ? List.of() : pruning.get();
        rows.lock(touched(manifests, pruned));
        List<SecretWriter.Written> written = new ArrayList<>();
        for (ManifestDocuments.Manifest m : manifests) {
            if (m.isSecret()) {
                written.add(inDocument(m, () -> secrets.write(m.namespace(), m.name(), m.secretData(), m.precondition())));
            }
        }
        List<DeploymentWriter.Applied> applied = new ArrayList<>();
        for (ManifestDocuments.Manifest m : deployments(manifests)) {
            applied.add(inDocument(m, () -> writer.apply(m.namespace(), m.name(), m.spec(), m.labels(), m.precondition())));
        }
        return new Outcome(applied, pruned, written);
    }

    /**
     * The deployments the manifest will lock: its Deployment documents, those each Secret document rolls out (read
     * now that the manifest holds that secret's lock, so no deployment starts using it meanwhile), and {@code pruning}.
     */
    private Set<DeploymentRows.Key> touched(List<ManifestDocuments.Manifest> manifests, List<ManifestPrune.Pruned> pruning) {
        Set<DeploymentRows.Key> keys = new HashSet<>();
        for (ManifestDocuments.Manifest m : manifests) {
            if (m.isSecret()) {
                users.rolledOut(m.namespace(), m.name()).forEach(name -> keys.add(new DeploymentRows.Key(m.namespace(), name)));
            } else {
                keys.add(new DeploymentRows.Key(m.namespace(), m.name()));
            }
        }
        pruning.forEach(p -> keys.add(new DeploymentRows.Key(p.namespace(), p.name())));
        return keys;
    }

    /**
     * Whether the manifest takes the routes lock: when a route may be new or move, as {@link DeploymentWriter} requires,
     * and whenever it may write more than one row (two Deployment documents, a Secret, which also rolls out the
     * deployments that use it, or prune). The rows that exist it locks in one sorted pass ({@link #touched}), which
     * alone keeps such manifests from deadlocking; but the rows it creates no pass can lock, and two manifests creating
     * the same two rows in opposite orders would each wait for the other's uncommitted insert: the routes lock
     * serializes them (ManifestLockOrderTest). A {@code PUT} and a manifest of one Deployment write one deployment row
     * and still run side by side.
     */
    private boolean locksRoutes(List<ManifestDocuments.Manifest> manifests, boolean prune) {
        List<ManifestDocuments.Manifest> deployments = deployments(manifests);
        return prune || deployments.size() != manifests.size() || deployments.size() > 1
                || deployments.stream().anyMatch(m -> writer.routeMayMove(m.namespace(), m.name(), m.spec()));
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
                .map(m -> inDocument(m, () -> dryRuns.dryRun(m.namespace(), m.name(), m.spec(), planned, m.precondition())).deployment())
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
        } catch (RouteMovedException e) {
            throw new ConflictException(m.describe() + ": its route was changed, or it was deleted, by another request at the same"
                    + " time; apply again");
        } catch (PreconditionFailedException e) {
            throw new ConflictException("documents[" + m.index() + "].metadata.resourceVersion", e.getMessage());
        } catch (RouteTakenException e) {
            throw e.under("documents[" + m.index() + "].spec.");
        }
    }
}
