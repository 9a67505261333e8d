package dev.nanolet.platform.deployment;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.control.Prompt;
import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.module.ModuleRegistry;
import dev.nanolet.platform.precondition.Precondition;
import dev.nanolet.platform.scheduling.SchedulingCheck;
import dev.nanolet.platform.spec.SpecJson;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.Problem.FieldError;
import dev.nanolet.wire.RoutePath;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every change to a deployment: the one class that writes the {@code deployments} and
 * {@code revisions} tables (reads are {@link DeploymentQueries}'s, and the deployment controller's
 * locking read is {@link DesiredDeployments}'s). Each runs in one transaction holding the deployment's row lock
 * (SELECT … FOR UPDATE), so concurrent writers — also on other platform-api instances —
 * serialize and never both create revision N. A spec change bumps the generation; a new
 * revision is made only when more than the replica count changed (as Kubernetes keeps the
 * ReplicaSet on scale); an identical spec changes nothing. A write's {@link Precondition} (If-Match) is checked
 * under that row lock, against the row's resource version, before anything is written. Once a change commits, {@link Prompt}
 * reconciles and binds the deployment on this instance at once.
 *
 * <p>Route paths are owned by namespace: two live deployments never share a path, and routes of
 * different namespaces are never prefixes of one another on whole segments. A node routes each
 * request to the longest route above it, so a route under another namespace's would take part of its
 * traffic (with its cookies and credentials), and one above it would take all of it once that route
 * is deleted. A team may split its own routes. The check reads other rows, which no row lock covers,
 * so every write that sets a new route or moves one first takes the advisory lock {@link #ROUTES_LOCK}, before any
 * row lock (one lock order, no deadlock), and such writes serialize; a write that keeps its route, judged by a read
 * without lock ({@link #routeMayMove}), takes no lock and waits for none. Should the route have moved after all
 * by the time the row is locked (another request moved it in between), the write only tries the lock, never waits
 * for it while holding rows, and gives up with {@link RouteMovedException} when another route write holds it.
 */
@Service
@Transactional
class DeploymentWriter {
    /** Key of the transaction-scoped advisory lock ({@code pg_advisory_xact_lock}) that route writes serialize on. */
    static final long ROUTES_LOCK = 0x6E616E6F_726F7574L;

    private final DeploymentRepository deployments;
    private final RevisionRepository revisions;
    private final ModuleRegistry modules;
    private final DeploymentViews views;
    private final SpecJson specJson;
    private final Events events;
    private final SchedulingCheck scheduling;
    private final DeploymentProperties properties;
    private final SecretCatalog secrets;
    private final JdbcClient jdbc;
    private final Prompt prompt;
    private final Clock clock;
    private final EntityManager entityManager;

    DeploymentWriter(DeploymentRepository deployments, RevisionRepository revisions, ModuleRegistry modules,
            DeploymentViews views, SpecJson specJson, Events events, SchedulingCheck scheduling,
            DeploymentProperties properties, SecretCatalog secrets, JdbcClient jdbc, Prompt prompt, Clock clock,
            EntityManager entityManager) {
        this.deployments = deployments;
        this.revisions = revisions;
        this.modules = modules;
        this.views = views;
        this.specJson = specJson;
        this.events = events;
        this.scheduling = scheduling;
        this.properties = properties;
        this.secrets = secrets;
        this.jdbc = jdbc;
        this.prompt = prompt;
        this.clock = clock;
        this.entityManager = entityManager;
    }

    /** What {@link #apply} did; {@code previousRevision} is 0 when it created the deployment. */
    record Applied(Deployment deployment, boolean created, int previousRevision) {}

    /**
     * As {@code PUT …/deployments/{name}}: takes the routes lock first when the route is new or moves. Throws
     * {@link RouteMovedException} in the rare case described on the class; applying again then takes the lock.
     */
    Applied apply(String namespace, String name, DeploymentSpec applied, Precondition precondition) {
        if (routeMayMove(namespace, name, applied)) {
            lockRoutes();
        }
        return apply(namespace, name, applied, null, precondition);
    }

    /**
     * One document of a manifest, setting the labels to exactly {@code labels} (null keeps them): the manifest took the
     * routes lock before its first row if any of its routes may move, so this never waits for it ({@link #apply}).
     */
    Applied apply(String namespace, String name, DeploymentSpec applied, Map<String, String> labels, Precondition precondition) {
        validate(namespace, name, applied, true);
        DeploymentSpec spec = canonical(applied);
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
        DeploymentEntity entity = new DeploymentEntity(namespace, name, json, pathOf(spec), now());
        if (labels != null) {
            entity.relabel(specJson.writeLabels(labels));
        }
        DeploymentEntity created = guarded(namespace, name, () -> deployments.saveAndFlush(entity));
        guarded(namespace, name, () -> revisions.saveAndFlush(new RevisionEntity(created.getId(), 1, 1, json, spec.module(), now())));
        events.normal(object(created), namespace, name, null, "Created", "revision 1 runs " + spec.module());
        prompt.afterCommit(created.getId());
        return new Applied(views.toWire(created), true, 0);
    }

    /**
     * {@code dryRun=All}: everything {@link #apply} checks, and whether the replicas would find room
     * on the Ready nodes now (422 naming {@code replicas} when not), without writing; answers the
     * deployment as the apply would leave it (status and resource version as they are now; none for a new one),
     * or the apply's 412 when {@code precondition} does not hold now.
     */
    @Transactional(readOnly = true)
    Applied dryRun(String namespace, String name, DeploymentSpec applied, Precondition precondition) {
        return dryRun(namespace, name, applied, new PlannedRoutes(), precondition);
    }

    /** {@link #dryRun} of one of a manifest's documents, after the documents {@code planned} holds. */
    @Transactional(readOnly = true)
    Applied dryRun(String namespace, String name, DeploymentSpec applied, PlannedRoutes planned, Precondition precondition) {
        validate(namespace, name, applied, false);
        DeploymentSpec spec = canonical(applied);
        Optional<DeploymentEntity> existing = deployments.findLive(namespace, name);
        precondition.check(describe(namespace, name), existing.map(DeploymentEntity::getResourceVersion));
        requirePathFree(namespace, name, spec, existing.orElse(null), planned);
        scheduling.whyUnschedulable(existing.map(DeploymentEntity::getId).orElse(null), spec.nodeSelector(),
                        spec.limits().memoryMiB(), spec.replicas())
                .ifPresent(why -> {
                    throw new InvalidInputException("replicas", "would not be schedulable now: " + why);
                });
        if (existing.isEmpty()) {
            return new Applied(new Deployment(namespace, name, 1, 1, spec, null, null, null), true, 0);
        }
        Deployment now = views.toWire(existing.get());
        DeploymentSpec current = specJson.read(existing.get().getSpec());
        boolean changed = !current.equals(spec);
        boolean newRevision = changed && !keepsRevision(current, spec);
        return new Applied(new Deployment(namespace, name, now.generation() + (changed ? 1 : 0),
                newRevision ? revisions.maxRevision(existing.get().getId()) + 1 : now.revision(), spec, now.status(),
                now.createdAt(), now.updatedAt(), null, now.resourceVersion()), false, now.revision());
    }

    /**
     * What {@link #apply} would store for {@code applied}: validated, canonical, its route free
     * (else the same 422/409 as the apply, the route checked also against the documents before it in {@code planned}),
     * the object at the version {@code precondition} names;
     * writes nothing. The diff compares this with what is stored.
     */
    @Transactional(readOnly = true)
    DeploymentSpec prepared(String namespace, String name, DeploymentSpec applied, PlannedRoutes planned, Precondition precondition) {
        validate(namespace, name, applied, false);
        DeploymentSpec spec = canonical(applied);
        Optional<DeploymentEntity> existing = deployments.findLive(namespace, name);
        precondition.check(describe(namespace, name), existing.map(DeploymentEntity::getResourceVersion));
        requirePathFree(namespace, name, spec, existing.orElse(null), planned);
        return spec;
    }

    /** The spec's own rules, then what it takes from secrets ({@code lock}: share-locking them, see {@link SecretCatalog}). */
    private void validate(String namespace, String name, DeploymentSpec spec, boolean lock) {
        List<FieldError> errors = new ArrayList<>(SpecValidator.validate(namespace, name, spec, modules::exists, properties.maxReplicas()));
        if (spec != null && SpecValidator.DNS_LABEL.matcher(String.valueOf(namespace)).matches()) {
            errors.addAll(SecretRefs.validate(spec, secret -> secrets.keys(namespace, secret, lock)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    /** Whether {@code next} differs from {@code current} in no more than what keeps the revision (replicas, progress deadline). */
    static boolean keepsRevision(DeploymentSpec current, DeploymentSpec next) {
        return current.withReplicas(next.replicas()).withProgressDeadlineSeconds(next.progressDeadlineSeconds()).equals(next);
    }

    Deployment scale(String namespace, String name, Integer replicas, Precondition precondition) {
        List<FieldError> errors = SpecValidator.validateReplicas(replicas, properties.maxReplicas());
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        DeploymentEntity d = lock(namespace, name, precondition);
        change(d, specJson.read(d.getSpec()).withReplicas(replicas), "Scaled", "scaled");
        return views.toWire(d);
    }

    /** Makes revision {@code revision}'s spec current again (keeping the replica count), as a new revision. */
    Deployment rollback(String namespace, String name, Integer revision, Precondition precondition) {
        if (revision == null) {
            throw new InvalidInputException("revision", "is required");
        }
        lockRoutes();
        DeploymentEntity d = lock(namespace, name, precondition);
        RevisionEntity target = revisions.findById(new RevisionEntity.Key(d.getId(), revision))
                .orElseThrow(() -> new InvalidInputException("revision",
                        "deployment " + namespace + "/" + name + " has no revision " + revision));
        int replicas = specJson.read(d.getSpec()).replicas();
        change(d, canonical(specJson.read(target.getSpec()).withReplicas(replicas)), "RolledBack", "rolled back to revision " + revision);
        return views.toWire(d);
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
            d.apply(json, pathOf(spec), next, now());
            revisions.save(new RevisionEntity(d.getId(), next, d.getGeneration(), json, spec.module(), now()));
            events.normal(object(d), d.getNamespace(), d.getName(), null, reason,
                    verb + ": revision " + next + " (generation " + d.getGeneration() + ") runs " + spec.module());
        }
        guarded(d.getNamespace(), d.getName(), () -> deployments.saveAndFlush(d));
        prompt.afterCommit(d.getId());
    }

    /**
     * Takes {@link #ROUTES_LOCK} until the transaction ends. A write that may set a route takes it before
     * its first row lock (a manifest before its first document), so route writes serialize in one lock order.
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
     * {@link #requirePathFree} for a write, which holds the routes lock whenever it checks a route: taken before any
     * row when {@link #routeMayMove} said so, else tried here without waiting (this transaction holds rows now), and
     * {@link RouteMovedException} when another route write holds it.
     */
    private void requirePathFreeToWrite(String namespace, String name, DeploymentSpec spec, DeploymentEntity self) {
        String path = pathOf(spec);
        if (path != null && (self == null || !path.equals(self.getHttpPath()))
                && !jdbc.sql("SELECT pg_try_advisory_xact_lock(?)").param(ROUTES_LOCK).query(Boolean.class).single()) {
            throw new RouteMovedException(namespace, name);
        }
        requirePathFree(namespace, name, spec, self, new PlannedRoutes());
    }

    /**
     * Refuses a new or moved route that clashes with another live deployment's (see the class comment); 409 naming it.
     * A route {@code self} already serves is not checked again: rows stored before the prefix rule may overlap, and
     * their owners must still be able to change or roll back everything else; such a route is checked once it moves.
     * A check that writes nothing also checks against the routes of the manifest's earlier documents ({@code planned},
     * where the spec's route is then recorded), instead of the stored routes those documents replace.
     */
    private void requirePathFree(String namespace, String name, DeploymentSpec spec, DeploymentEntity self, PlannedRoutes planned) {
        String path = pathOf(spec);
        if (path != null && (self == null || !path.equals(self.getHttpPath()))) {
            deployments.findLiveRouteClashes(namespace, path).stream()
                    .filter(other -> self == null || !other.getId().equals(self.getId()))
                    .filter(other -> !planned.replaces(other.getNamespace(), other.getName()))
                    .findFirst()
                    .ifPresent(other -> {
                        throw new RouteTakenException(path, other.getHttpPath(), other.getNamespace() + "/" + other.getName());
                    });
            planned.requireFree(namespace, name, path);
        }
        planned.add(namespace, name, path);
    }

    /** Runs a write, translating the unique indexes and the module reference a concurrent writer can trip. */
    private <T> T guarded(String namespace, String name, Supplier<T> write) {
        try {
            return write.get();
        } catch (DataIntegrityViolationException e) {
            String cause = String.valueOf(e.getMostSpecificCause().getMessage());
            if (cause.contains("deployments_live_http_path")) {
                throw new ConflictException("http.path", "is already served by another deployment, applied at the same moment");
            }
            if (cause.contains("revisions_module_digest_fkey")) {
                throw new InvalidInputException("module", "was deleted while this change was being applied; upload it again");
            }
            if (cause.contains("deployments_live_name")) {
                throw new ConcurrentCreateException(namespace, name);
            }
            throw e;
        }
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

    private static String describe(String namespace, String name) {
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

    /**
     * The route path in canonical form ({@link RoutePath}), as stored, checked for uniqueness and
     * routed by; a revision stored before paths were canonical gets it here on rollback.
     */
    private static String pathOf(DeploymentSpec spec) {
        if (!spec.servesHttp()) {
            return null;
        }
        try {
            return RoutePath.ofRoute(spec.http().path());
        } catch (RoutePath.InvalidPathException e) {
            throw new InvalidInputException("http.path", e.getMessage());
        }
    }

    /** The spec as stored: its route path in canonical form, so that reading it back shows the route that is served. */
    private static DeploymentSpec canonical(DeploymentSpec s) {
        return !s.servesHttp() ? s : s.withHttp(new DeploymentSpec.HttpSpec(pathOf(s)));
    }
}
