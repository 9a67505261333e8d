package dev.nanolet.platform.deployment;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.control.Prompt;
import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.precondition.Precondition;
import dev.nanolet.platform.spec.SpecJson;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.Problem.FieldError;
import dev.nanolet.wire.RoutePath;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every change to a deployment: the one class that writes the {@code deployments} and
 * {@code revisions} tables (reads are {@link DeploymentQueries}'s, the deployment controller's
 * locking read is {@link DesiredDeployments}'s, and the same checks without writing are {@link DeploymentDryRun}'s).
 * Each runs in one transaction holding the deployment's row lock
 * (SELECT … FOR UPDATE), so concurrent writers — also on other platform-api instances —
 * serialize and never both create revision N. A spec change bumps the generation; a new
 * revision is made only when more than the replica count changed (as Kubernetes keeps the
 * ReplicaSet on scale); an identical spec changes nothing. A write's {@link Precondition} (If-Match) is checked
 * under that row lock, against the row's resource version, before anything is written. Once a change commits, {@link Prompt}
 * reconciles and binds the deployment on this instance at once.
 *
 * <p>A new or moved route is checked against other namespaces' routes ({@link RouteOwnership}) under the advisory lock
 * {@link #ROUTES_LOCK}, taken before any row lock (one lock order, no deadlock), so such writes serialize. Whoever
 * opens the transaction decides whether to take it first ({@link #lockRoutes}): a {@code PUT} when
 * {@link #routeMayMove} says so, a manifest also for its own reasons ({@code ManifestApply}), a rollback always. A write
 * that keeps its route takes no lock and waits for none. Should the route have moved after all by the time the row is
 * locked (another request moved it in between), the write only tries the lock, never waits for it while holding rows,
 * and gives up with {@link RouteMovedException} when another route write holds it.
 */
@Service
@Transactional
class DeploymentWriter {
    /** Key of the transaction-scoped advisory lock ({@code pg_advisory_xact_lock}) that route writes serialize on. */
    static final long ROUTES_LOCK = 0x6E616E6F_726F7574L;

    private final DeploymentRepository deployments;
    private final RevisionRepository revisions;
    private final SpecChecks specs;
    private final RouteOwnership routes;
    private final DeploymentViews views;
    private final SpecJson specJson;
    private final Events events;
    private final DeploymentProperties properties;
    private final JdbcClient jdbc;
    private final Prompt prompt;
    private final Clock clock;
    private final EntityManager entityManager;

    DeploymentWriter(DeploymentRepository deployments, RevisionRepository revisions, SpecChecks specs, RouteOwnership routes,
            DeploymentViews views, SpecJson specJson, Events events, DeploymentProperties properties, JdbcClient jdbc,
            Prompt prompt, Clock clock, EntityManager entityManager) {
        this.deployments = deployments;
        this.revisions = revisions;
        this.specs = specs;
        this.routes = routes;
        this.views = views;
        this.specJson = specJson;
        this.events = events;
        this.properties = properties;
        this.jdbc = jdbc;
        this.prompt = prompt;
        this.clock = clock;
        this.entityManager = entityManager;
    }

    /** What {@link #apply} did; {@code previousRevision} is 0 when it created the deployment. */
    record Applied(Deployment deployment, boolean created, int previousRevision) {}

    /**
     * As {@code PUT …/deployments/{name}}, or one document of a manifest setting the labels to exactly {@code labels}
     * (null keeps them). The caller has taken {@link #lockRoutes} in this transaction when {@link #routeMayMove} said
     * so; else this never waits for it, and throws {@link RouteMovedException} in the rare case described on the class
     * (applying again, in a new transaction, then takes the lock first).
     */
    Applied apply(String namespace, String name, DeploymentSpec applied, Map<String, String> labels, Precondition precondition) {
        DeploymentSpec spec = specs.checked(namespace, name, applied, true);
        Optional<DeploymentEntity> existing = lockLive(namespace, name);
        precondition.check(describe(namespace, name), existing.map(VersionsBeforeRestart::ofWrite));
        if (existing.isPresent()) {
            int previous = existing.get().getCurrentRevision();
            if (labels != null && !specJson.readLabels(existing.get().getLabels()).equals(labels)) {
                existing.get().relabel(specJson.writeLabels(labels));
                deployments.saveAndFlush(existing.get());
            }
            change(existing.get(), spec, "Updated", "applied");
            return new Applied(views.toWire(existing.get()), false, previous);
        }
        requirePathFreeToWrite(namespace, name, spec, null);
        String json = specJson.write(spec);
        DeploymentEntity entity = new DeploymentEntity(namespace, name, json, RouteOwnership.pathOf(spec), now());
        if (labels != null) {
            entity.relabel(specJson.writeLabels(labels));
        }
        DeploymentEntity created = ConcurrentWrites.guarded(namespace, name, () -> deployments.saveAndFlush(entity));
        ConcurrentWrites.guarded(namespace, name, () -> revisions.saveAndFlush(new RevisionEntity(created.getId(), 1, 1, json, spec.module(), now())));
        events.normal(object(created), namespace, name, null, "Created", "revision 1 runs " + spec.module());
        prompt.afterCommit(created.getId());
        return new Applied(views.toWire(created), true, 0);
    }

    /** Whether {@code next} differs from {@code current} in no more than what keeps the revision (replicas, progress deadline). */
    static boolean keepsRevision(DeploymentSpec current, DeploymentSpec next) {
        return current.withReplicas(next.replicas()).withProgressDeadlineSeconds(next.progressDeadlineSeconds()).equals(next);
    }

    Deployment scale(String namespace, String name, Integer replicas, Precondition precondition) {
        checkReplicas(replicas, properties.maxReplicas());
        DeploymentEntity d = lock(namespace, name, precondition);
        change(d, specJson.read(d.getSpec()).withReplicas(replicas), "Scaled", "scaled");
        return views.toWire(d);
    }

    /** Makes revision {@code revision}'s spec current again (keeping the replica count), as a new revision. */
    Deployment rollback(String namespace, String name, Integer revision, Precondition precondition) {
        checkRevision(revision);
        lockRoutes();
        DeploymentEntity d = lock(namespace, name, precondition);
        RevisionEntity target = revisions.findById(new RevisionEntity.Key(d.getId(), revision))
                .orElseThrow(() -> noRevision(namespace, name, revision));
        change(d, rolledBack(specJson.read(d.getSpec()), specJson.read(target.getSpec())), "RolledBack", "rolled back to revision " + revision);
        return views.toWire(d);
    }

    /** 422 naming {@code replicas} unless it is a replica count a scale may set. */
    static void checkReplicas(Integer replicas, int max) {
        List<FieldError> errors = SpecValidator.validateReplicas(replicas, max);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    /** 422 naming {@code revision} when a rollback names none. */
    static void checkRevision(Integer revision) {
        if (revision == null) {
            throw new InvalidInputException("revision", "is required");
        }
    }

    static InvalidInputException noRevision(String namespace, String name, Integer revision) {
        return new InvalidInputException("revision", "deployment " + namespace + "/" + name + " has no revision " + revision);
    }

    /** The spec a rollback from {@code current} to {@code target} makes current: the target's, at the current replica count. */
    static DeploymentSpec rolledBack(DeploymentSpec current, DeploymentSpec target) {
        return RouteOwnership.canonical(target.withReplicas(current.replicas()));
    }

    /**
     * {@link #restart}s the live deployment {@code namespace/name} if, once its row is locked, its spec still passes
     * {@code still}; a deployment that is gone or no longer passes is left alone.
     */
    void restartIf(String namespace, String name, Predicate<DeploymentSpec> still, String why) {
        lockLive(namespace, name)
                .filter(locked -> still.test(specJson.read(locked.getSpec())))
                .ifPresent(locked -> restart(locked, why));
    }

    /**
     * A new revision of the current spec (as {@code kubectl rollout restart}), so replicas are replaced and the new
     * ones receive what their secrets hold now; {@code why} goes into the event.
     */
    private void restart(DeploymentEntity d, String why) {
        VersionsBeforeRestart.record(d.getId(), d.getResourceVersion());
        int next = revisions.maxRevision(d.getId()) + 1;
        d.apply(d.getSpec(), d.getHttpPath(), next, now());
        revisions.save(new RevisionEntity(d.getId(), next, d.getGeneration(), d.getSpec(), specJson.read(d.getSpec()).module(), now()));
        events.normal(object(d), d.getNamespace(), d.getName(), null, "Restarted",
                why + ": revision " + next + " (generation " + d.getGeneration() + ")");
        deployments.saveAndFlush(d);
        prompt.afterCommit(d.getId());
    }

    /** Marks the deployment deleted; the deployment controller terminates its replicas and removes it. */
    void delete(String namespace, String name, Precondition precondition) {
        markDeleted(lock(namespace, name, precondition));
    }

    /**
     * {@link #delete}s the live deployment {@code namespace/name} if, once its row is locked, its labels still pass
     * {@code still} (prune, which selected it by labels read without a lock); whether it did.
     */
    boolean deleteIf(String namespace, String name, Predicate<Map<String, String>> still) {
        Optional<DeploymentEntity> d = lockLive(namespace, name).filter(locked -> still.test(specJson.readLabels(locked.getLabels())));
        d.ifPresent(this::markDeleted);
        return d.isPresent();
    }

    private void markDeleted(DeploymentEntity d) {
        d.markDeleted(now());
        events.normal(object(d), d.getNamespace(), d.getName(), null, "Deleted", "deployment deleted; its replicas terminate");
        prompt.afterCommit(d.getId());
    }

    /**
     * Removes the row of a deployment the controller has finished deleting (its revisions go with it, ON DELETE
     * CASCADE); the caller holds the row's lock ({@link DesiredDeployments#lock}).
     */
    void forget(long id) {
        jdbc.sql("DELETE FROM deployments WHERE id = ?").param(id).update();
    }

    private void change(DeploymentEntity d, DeploymentSpec spec, String reason, String verb) {
        DeploymentSpec current = specJson.read(d.getSpec());
        if (current.equals(spec)) {
            return;
        }
        String json = specJson.write(spec);
        if (keepsRevision(current, spec)) {
            d.rescale(json, now());
            events.normal(object(d), d.getNamespace(), d.getName(), null, reason,
                    verb + ": replicas " + current.replicas() + " → " + spec.replicas()
                            + (current.progressDeadlineSeconds().equals(spec.progressDeadlineSeconds()) ? ""
                                    : ", progressDeadlineSeconds " + spec.progressDeadlineSeconds()));
        } else {
            requirePathFreeToWrite(d.getNamespace(), d.getName(), spec, d);
            int next = revisions.maxRevision(d.getId()) + 1;
            d.apply(json, RouteOwnership.pathOf(spec), next, now());
            revisions.save(new RevisionEntity(d.getId(), next, d.getGeneration(), json, spec.module(), now()));
            events.normal(object(d), d.getNamespace(), d.getName(), null, reason,
                    verb + ": revision " + next + " (generation " + d.getGeneration() + ") runs " + spec.module());
        }
        ConcurrentWrites.guarded(d.getNamespace(), d.getName(), () -> deployments.saveAndFlush(d));
        prompt.afterCommit(d.getId());
    }

    /**
     * Takes {@link #ROUTES_LOCK} until the transaction ends. Whoever opens a write's transaction takes it before
     * its first row lock when the write may set a route (a manifest before its first document), so route writes
     * serialize in one lock order.
     */
    void lockRoutes() {
        jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(?)").param(ROUTES_LOCK).query(Integer.class).single();
    }

    /**
     * Whether writing {@code spec} may set a new route or move one: its route differs from the one the live deployment
     * serves now, as read without a lock (an invalid path too: validation names it). A write for which this is true takes
     * {@link #lockRoutes} before its first row lock; one for which it is false needs the lock only if the route moved
     * meanwhile ({@link #requirePathFreeToWrite}).
     */
    boolean routeMayMove(String namespace, String name, DeploymentSpec spec) {
        if (spec == null || !spec.servesHttp()) {
            return false;
        }
        try {
            return !RoutePath.ofRoute(spec.http().path()).equals(deployments.findLiveHttpPath(namespace, name).orElse(null));
        } catch (RoutePath.InvalidPathException e) {
            return true;
        }
    }

    /**
     * {@link RouteOwnership#requireFree} for a write, which holds the routes lock whenever it checks a route: taken before any
     * row when {@link #routeMayMove} said so, else tried here without waiting (this transaction holds rows now), and
     * {@link RouteMovedException} when another route write holds it.
     */
    private void requirePathFreeToWrite(String namespace, String name, DeploymentSpec spec, DeploymentEntity self) {
        String path = RouteOwnership.pathOf(spec);
        if (path != null && (self == null || !path.equals(self.getHttpPath()))
                && !jdbc.sql("SELECT pg_try_advisory_xact_lock(?)").param(ROUTES_LOCK).query(Boolean.class).single()) {
            throw new RouteMovedException(namespace, name);
        }
        routes.requireFree(namespace, name, spec, self, new PlannedRoutes());
    }

    /** The live row, locked; 404 when there is none, then 412 unless {@code precondition} holds. */
    private DeploymentEntity lock(String namespace, String name, Precondition precondition) {
        DeploymentEntity d = lockLive(namespace, name).orElseThrow(() -> notFound(namespace, name));
        precondition.check(describe(namespace, name), Optional.of(d.getResourceVersion()));
        return d;
    }

    /**
     * The live row, locked, and read again under the lock: a row this transaction read before (prune's selection) would
     * otherwise come back as it was then, and be written back whole, over what another write has committed since.
     */
    private Optional<DeploymentEntity> lockLive(String namespace, String name) {
        Optional<DeploymentEntity> d = deployments.lockLive(namespace, name);
        d.ifPresent(entityManager::refresh);
        return d;
    }

    /** How a precondition's 412 names the deployment. */
    static String describe(String namespace, String name) {
        return "deployment " + namespace + "/" + name;
    }

    static NotFoundException notFound(String namespace, String name) {
        return new NotFoundException("no deployment " + namespace + "/" + name);
    }

    static String object(DeploymentEntity d) {
        return "deployment/" + d.getNamespace() + "/" + d.getName();
    }

    /** Microseconds, what PostgreSQL keeps, so an answer equals a later read. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
