package dev.nanolet.ui;

import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentStatus;
import dev.nanolet.wire.Event;
import dev.nanolet.wire.ModuleInfo;
import dev.nanolet.wire.Problem;
import dev.nanolet.wire.Replica;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.Revision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the fake platform-api remembers: modules, deployments with revisions and replicas, and
 * events. Replicas become Running {@link #STARTUP} after they are created, like a quick node.
 */
final class FakeState {
    static final Duration STARTUP = Duration.ofMillis(1200);
    final Map<String, ModuleInfo> modules = new LinkedHashMap<>();
    final Map<String, Dep> deployments = new LinkedHashMap<>();
    final List<Event> events = new ArrayList<>();
    final List<dev.nanolet.wire.ApiToken> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The audit log, oldest first: tests add the entries they list. */
    final List<dev.nanolet.wire.AuditEntry> audit = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Map<String, dev.nanolet.wire.NodeInfo> nodes = new LinkedHashMap<>();
    /** Secret data by {@code ns/name}, as written (the fake keeps values to check what the dashboard sent). */
    final Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
    final Map<String, Long> secretVersions = new LinkedHashMap<>();
    /** Each secret's resourceVersion, by {@code ns/name}: one more of {@link #nextResourceVersion} on every write. */
    final Map<String, String> secretResourceVersions = new LinkedHashMap<>();
    private long resourceVersions;
    /** Why the latest metrics point says the database of binding {@code todo} is unavailable; null: it is reached. */
    volatile String todoUnavailable;

    {
        var capacity = new dev.nanolet.wire.NodeRegistration.Capacity(8, 1024);
        nodes.put("node-1", new dev.nanolet.wire.NodeInfo("node-1", Map.of("zone", "a"), capacity,
                new dev.nanolet.wire.NodeRegistration.Capacity(2, 128), "http://127.0.0.1:8181", true, Instant.now().minusSeconds(2), 2, null, nextResourceVersion()));
        nodes.put("node-2", new dev.nanolet.wire.NodeInfo("node-2", Map.of("zone", "b"), capacity,
                new dev.nanolet.wire.NodeRegistration.Capacity(0, 0), "http://127.0.0.1:8182", false, Instant.now().minusSeconds(40), 0, null, nextResourceVersion()));
    }

    /** A node as platform-api shows it now: node-1 renewed its lease 2 s ago, the NotReady one 40 s ago. */
    dev.nanolet.wire.NodeInfo nodeNow(dev.nanolet.wire.NodeInfo n) {
        return new dev.nanolet.wire.NodeInfo(n.name(), n.labels(), n.capacity(), n.allocated(), n.address(), n.ready(),
                Instant.now().minusSeconds(n.ready() ? 2 : 40), n.replicas(), n.usage(), n.resourceVersion());
    }

    /** Node {@code name} stops renewing its lease: NotReady from now on. */
    synchronized void notReady(String name) {
        nodes.computeIfPresent(name, (k, n) -> new dev.nanolet.wire.NodeInfo(n.name(), n.labels(), n.capacity(), n.allocated(),
                n.address(), false, n.leaseRenewedAt(), n.replicas(), n.usage(), n.resourceVersion()));
    }
    private long eventIds;

    /** One deployment's stored state. */
    static final class Dep {
        final String ns;
        final String name;
        final Instant createdAt = Instant.now();
        final List<Revision> revisions = new ArrayList<>();
        final List<Replica> replicas = new ArrayList<>();
        DeploymentSpec spec;
        int revision;
        long generation;
        String resourceVersion;

        Dep(String ns, String name) {
            this.ns = ns;
            this.name = name;
        }
    }

    static List<Problem.FieldError> validate(DeploymentSpec spec) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (spec.module() == null) {
            errors.add(new Problem.FieldError("module", "is required: the digest of an uploaded module"));
        }
        if (spec.replicas() < 0 || spec.replicas() > 1000) {
            errors.add(new Problem.FieldError("replicas", "must be between 0 and 1000"));
        }
        if (spec.http() != null && (spec.http().path() == null || !spec.http().path().startsWith("/"))) {
            errors.add(new Problem.FieldError("http.path", "must start with /"));
        }
        spec.env().keySet().stream().filter(name -> !name.matches("[A-Za-z_][A-Za-z0-9_]*"))
                .forEach(name -> errors.add(new Problem.FieldError("env." + name, "must be a letter or _ followed by letters, digits or _")));
        if ((spec.http() == null) == (spec.job() == null)) {
            errors.add(new Problem.FieldError("http", "exactly one of http and job must be set"));
        }
        return errors;
    }

    /** The {@code ns/name} of another deployment that serves {@code spec}'s route path (as RoutePath spells it), else null. */
    synchronized String routeOwner(DeploymentSpec spec, String self) {
        if (!spec.servesHttp()) {
            return null;
        }
        String path = dev.nanolet.wire.RoutePath.ofRoute(spec.http().path());
        return deployments.values().stream()
                .filter(d -> !(d.ns + "/" + d.name).equals(self) && d.spec != null && d.spec.servesHttp()
                        && dev.nanolet.wire.RoutePath.ofRoute(d.spec.http().path()).equals(path))
                .map(d -> d.ns + "/" + d.name).findFirst().orElse(null);
    }

    synchronized Dep apply(String ns, String name, DeploymentSpec spec) {
        Dep d = deployments.computeIfAbsent(ns + "/" + name, k -> new Dep(ns, name));
        if (spec.equals(d.spec)) {
            return d;
        }
        d.spec = spec;
        d.generation++;
        d.resourceVersion = nextResourceVersion();
        d.revision = d.revisions.size() + 1;
        d.revisions.add(new Revision(d.revision, d.generation, spec, true, Instant.now()));
        replaceReplicas(d);
        event("Normal", "Applied", "revision " + d.revision, "deployment/" + ns + "/" + name);
        return d;
    }

    synchronized void scale(Dep d, int replicas) {
        d.spec = d.spec.withReplicas(replicas);
        d.generation++;
        d.resourceVersion = nextResourceVersion();
        while (d.replicas.size() < replicas) {
            d.replicas.add(replica(d));
        }
        while (d.replicas.size() > replicas) {
            d.replicas.removeLast();
        }
        event("Normal", "Scaled", "to " + replicas, "deployment/" + d.ns + "/" + d.name);
    }

    synchronized void rollback(Dep d, int revision) {
        Revision target = d.revisions.get(revision - 1);
        d.revisions.replaceAll(r -> new Revision(r.revision(), r.generation(), r.spec(), r.revision() == revision, r.createdAt()));
        d.spec = target.spec().withReplicas(d.spec.replicas());
        d.revision = revision;
        d.generation++;
        d.resourceVersion = nextResourceVersion();
        replaceReplicas(d);
        event("Normal", "RolledBack", "to revision " + revision, "deployment/" + d.ns + "/" + d.name);
    }

    private void replaceReplicas(Dep d) {
        d.revisions.replaceAll(r -> new Revision(r.revision(), r.generation(), r.spec(), r.revision() == d.revision, r.createdAt()));
        d.replicas.clear();
        for (int i = 0; i < d.spec.replicas(); i++) {
            d.replicas.add(replica(d));
        }
    }

    private static Replica replica(Dep d) {
        Instant now = Instant.now();
        return new Replica(UUID.randomUUID(), d.ns, d.name, d.revision, null, ReplicaPhase.Pending, "Unscheduled", null, 0, now, now);
    }

    synchronized List<Replica> replicas(Dep d) {
        Instant now = Instant.now();
        List<Replica> out = new ArrayList<>();
        for (int i = 0; i < d.replicas.size(); i++) {
            Replica r = d.replicas.get(i);
            boolean started = r.createdAt().plus(STARTUP).isBefore(now);
            String node = "node-" + (i % 2 + 1);
            out.add(started ? ended(r, d.spec, node, now) : new Replica(r.id(), r.namespace(), r.deployment(), r.revision(), node,
                    ReplicaPhase.Starting, "Compiling", null, 0, r.createdAt(), now));
        }
        return out;
    }

    /** The replicas bound to {@code node}, ordered as platform-api orders them. */
    synchronized List<Replica> replicasOn(String node) {
        return deployments.values().stream().flatMap(d -> replicas(d).stream()).filter(r -> node.equals(r.node()))
                .sorted(Comparator.comparing(Replica::namespace).thenComparing(Replica::deployment).thenComparing(Replica::createdAt)
                        .thenComparing(Replica::id))
                .toList();
    }

    /**
     * Started: a replica whose binding names a secret the namespace lacks failed ({@code InvalidBinding}, as a node
     * says it); an http replica runs; a job has exited with its first arg as the code, as the job fixture does.
     */
    private Replica ended(Replica r, DeploymentSpec spec, String node, Instant now) {
        for (DeploymentSpec.Binding b : spec.bindings()) {
            if (!secrets.containsKey(r.namespace() + "/" + b.secret())) {
                return new Replica(r.id(), r.namespace(), r.deployment(), r.revision(), node, ReplicaPhase.Failed, "InvalidBinding",
                        "binding '" + b.name() + "': the node received no values of secret '" + b.secret() + "'", 0, r.createdAt(), now);
            }
        }
        if (spec.servesHttp()) {
            return new Replica(r.id(), r.namespace(), r.deployment(), r.revision(), node, ReplicaPhase.Running, null, null, 0, r.createdAt(), now);
        }
        int code = spec.args().isEmpty() ? 0 : Integer.parseInt(spec.args().getFirst());
        return new Replica(r.id(), r.namespace(), r.deployment(), r.revision(), node, code == 0 ? ReplicaPhase.Succeeded : ReplicaPhase.Failed,
                code == 0 ? null : "ExitCode", code == 0 ? null : "exit code " + code, 0, r.createdAt(), now);
    }

    synchronized Deployment view(Dep d) {
        List<Replica> replicas = replicas(d);
        int ready = (int) replicas.stream().filter(r -> r.phase() == ReplicaPhase.Running || r.phase() == ReplicaPhase.Succeeded).count();
        boolean available = ready >= d.spec.replicas();
        boolean failed = replicas.stream().anyMatch(r -> r.phase() == ReplicaPhase.Failed);
        var conditions = List.of(
                new DeploymentStatus.Condition("Available", available ? "True" : "False", available ? "MinimumReplicasAvailable" : "ReplicasUnavailable", null),
                new DeploymentStatus.Condition("Progressing", failed ? "False" : "True",
                        failed ? "ReplicaFailure" : available ? "RolloutComplete" : "ReplicasStarting", null));
        return new Deployment(d.ns, d.name, d.generation, d.revision, d.spec,
                new DeploymentStatus(d.spec.replicas(), replicas.size(), ready, ready, d.generation, conditions), d.createdAt, Instant.now(),
                Map.of(), d.resourceVersion);
    }

    /** As platform-api's: opaque, one sequence for every object, never reused (not by an object created again under its name). */
    synchronized String nextResourceVersion() {
        return String.valueOf(++resourceVersions);
    }

    synchronized List<String> usedBy(String digest) {
        return deployments.values().stream().filter(d -> d.revisions.stream().anyMatch(r -> digest.equals(r.spec().module())))
                .map(d -> d.ns + "/" + d.name).toList();
    }

    synchronized void event(String type, String reason, String message, String object) {
        events.add(new Event(++eventIds, Instant.now(), type, reason, message, object));
    }
}
