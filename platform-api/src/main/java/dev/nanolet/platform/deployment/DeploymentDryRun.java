package dev.nanolet.platform.deployment;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.precondition.Precondition;
import dev.nanolet.platform.scheduling.SchedulingCheck;
import dev.nanolet.platform.spec.SpecJson;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What {@link DeploymentWriter#apply} would do, checked without writing and without a lock: {@code dryRun=All} and
 * {@code POST /diff}; and so for {@link DeploymentWriter#scale}, {@link DeploymentWriter#rollback} and
 * {@link DeploymentWriter#delete} with {@code dryRun=All}. Each check fails as the write would (422, 404, 409, 412), a
 * manifest's route checked after the documents before it ({@link PlannedRoutes}).
 */
@Service
@Transactional(readOnly = true)
class DeploymentDryRun {
    private final SpecChecks specs;
    private final RouteOwnership routes;
    private final DeploymentRepository deployments;
    private final RevisionRepository revisions;
    private final SchedulingCheck scheduling;
    private final DeploymentViews views;
    private final SpecJson specJson;
    private final DeploymentProperties properties;

    DeploymentDryRun(SpecChecks specs, RouteOwnership routes, DeploymentRepository deployments, RevisionRepository revisions,
            SchedulingCheck scheduling, DeploymentViews views, SpecJson specJson, DeploymentProperties properties) {
        this.specs = specs;
        this.routes = routes;
        this.deployments = deployments;
        this.revisions = revisions;
        this.scheduling = scheduling;
        this.views = views;
        this.specJson = specJson;
        this.properties = properties;
    }

    /**
     * {@code dryRun=All}: everything {@link DeploymentWriter#apply} checks, after the documents {@code planned} holds,
     * and whether the replicas would find room on the Ready nodes now (422 naming {@code replicas} when not); answers
     * the deployment as the apply would leave it (status and resource version as they are now; none for a new one),
     * or the apply's 412 when {@code precondition} does not hold now.
     */
    DeploymentWriter.Applied dryRun(String namespace, String name, DeploymentSpec applied, PlannedRoutes planned,
            Precondition precondition) {
        DeploymentSpec spec = specs.checked(namespace, name, applied, false);
        Optional<DeploymentEntity> existing = existing(namespace, name, spec, planned, precondition);
        scheduling.whyUnschedulable(existing.map(DeploymentEntity::getId).orElse(null), spec.nodeSelector(),
                        spec.limits().memoryMiB(), spec.replicas())
                .ifPresent(why -> {
                    throw new InvalidInputException("replicas", "would not be schedulable now: " + why);
                });
        return wouldLeave(namespace, name, existing, spec);
    }

    /**
     * {@code PUT …/scale?dryRun=All}: the scale's 422, 404 and 412, then the deployment as scaled. Unlike an apply's dry
     * run it does not ask for room: the scale itself does not, and succeeds (its replicas wait Unschedulable).
     */
    Deployment scale(String namespace, String name, Integer replicas, Precondition precondition) {
        DeploymentWriter.checkReplicas(replicas, properties.maxReplicas());
        DeploymentEntity d = live(namespace, name, precondition);
        return wouldLeave(namespace, name, Optional.of(d), specJson.read(d.getSpec()).withReplicas(replicas)).deployment();
    }

    /**
     * {@code POST …/rollback?dryRun=All}: the rollback's 422, 404, 412 and 409 (the revision's route taken since), then
     * the deployment with the spec it would make current; room is not asked for, as for {@link #scale}.
     */
    Deployment rollback(String namespace, String name, Integer revision, Precondition precondition) {
        DeploymentWriter.checkRevision(revision);
        DeploymentEntity d = live(namespace, name, precondition);
        RevisionEntity target = revisions.findById(new RevisionEntity.Key(d.getId(), revision))
                .orElseThrow(() -> DeploymentWriter.noRevision(namespace, name, revision));
        DeploymentSpec spec = DeploymentWriter.rolledBack(specJson.read(d.getSpec()), specJson.read(target.getSpec()));
        routes.requireFree(namespace, name, spec, d, new PlannedRoutes());
        return wouldLeave(namespace, name, Optional.of(d), spec).deployment();
    }

    /** {@code DELETE …?dryRun=All}: the delete's 404 and 412, nothing else. */
    void delete(String namespace, String name, Precondition precondition) {
        live(namespace, name, precondition);
    }

    /** The deployment as writing {@code spec} would leave it ({@code existing} empty: a new one). */
    private DeploymentWriter.Applied wouldLeave(String namespace, String name, Optional<DeploymentEntity> existing,
            DeploymentSpec spec) {
        if (existing.isEmpty()) {
            return new DeploymentWriter.Applied(new Deployment(namespace, name, 1, 1, spec, null, null, null), true, 0);
        }
        Deployment now = views.toWire(existing.get());
        DeploymentSpec current = specJson.read(existing.get().getSpec());
        boolean changed = !current.equals(spec);
        boolean newRevision = changed && !DeploymentWriter.keepsRevision(current, spec);
        return new DeploymentWriter.Applied(new Deployment(namespace, name, now.generation() + (changed ? 1 : 0),
                newRevision ? revisions.maxRevision(existing.get().getId()) + 1 : now.revision(), spec, now.status(),
                now.createdAt(), now.updatedAt(), null, now.resourceVersion()), false, now.revision());
    }

    /**
     * What {@link DeploymentWriter#apply} would store for {@code applied}: checked, canonical, its route free (else the
     * same 422/409 as the apply, the route checked also against the documents before it in {@code planned}), the object
     * at the version {@code precondition} names. The diff compares this with what is stored.
     */
    DeploymentSpec prepared(String namespace, String name, DeploymentSpec applied, PlannedRoutes planned, Precondition precondition) {
        DeploymentSpec spec = specs.checked(namespace, name, applied, false);
        existing(namespace, name, spec, planned, precondition);
        return spec;
    }

    /** The live deployment, read without a lock; 404 when there is none, then 412 unless {@code precondition} holds. */
    private DeploymentEntity live(String namespace, String name, Precondition precondition) {
        DeploymentEntity d = deployments.findLive(namespace, name).orElseThrow(() -> DeploymentWriter.notFound(namespace, name));
        precondition.check(DeploymentWriter.describe(namespace, name), Optional.of(d.getResourceVersion()));
        return d;
    }

    /** The live deployment, read without a lock, once {@code precondition} holds for it and {@code spec}'s route is free. */
    private Optional<DeploymentEntity> existing(String namespace, String name, DeploymentSpec spec, PlannedRoutes planned,
            Precondition precondition) {
        Optional<DeploymentEntity> existing = deployments.findLive(namespace, name);
        precondition.check(DeploymentWriter.describe(namespace, name), existing.map(DeploymentEntity::getResourceVersion));
        routes.requireFree(namespace, name, spec, existing.orElse(null), planned);
        return existing;
    }
}
