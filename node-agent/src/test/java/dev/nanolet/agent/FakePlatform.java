package dev.nanolet.agent;

import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.AssignmentSnapshot;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.NodeCredential;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusBatch;
import dev.nanolet.wire.ReplicaStatusReport;
import dev.nanolet.wire.ReplicaStatusResults;
import dev.nanolet.wire.Route;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * An in-process platform-api speaking the node protocol over real HTTP: records what the node
 * sends, serves assignments as a resumable SSE watch, and can go down and come back.
 */
public final class FakePlatform implements AutoCloseable {

    /** The bootstrap token: it may only register, and registering answers the node's own credential. */
    public static final String TOKEN = "node-token";
    public record Status(UUID replica, ReplicaStatusReport report) {}
    public record Reported(UUID replica, EventReport event) {}
    private record Change(long version, String frame) {}

    private final JsonMapper json = JsonMapper.builder().build();
    private final DisposableServer server;
    public final List<NodeRegistration> registrations = new CopyOnWriteArrayList<>();
    public final List<NodeUsage> leases = new CopyOnWriteArrayList<>();
    public final List<Status> statuses = new CopyOnWriteArrayList<>();
    public final List<Reported> events = new CopyOnWriteArrayList<>();
    public final List<String> watchResumes = new CopyOnWriteArrayList<>();
    public final AtomicInteger watchConnections = new AtomicInteger();
    /** Watch requests, answered or refused. */
    public final AtomicInteger watchAttempts = new AtomicInteger();
    /** When set, the next lease renewal answers 404 as if the platform had forgotten the node. */
    public volatile boolean forgetNode;
    /** Credentials issued, by node name (the newest one counts), and the logs token issued with each. */
    private final Map<String, String> credentials = new ConcurrentHashMap<>();
    private final Map<String, String> logsTokens = new ConcurrentHashMap<>();
    private final AtomicInteger issued = new AtomicInteger();
    /** The Authorization header of every registration. */
    public final List<String> registrationTokens = new CopyOnWriteArrayList<>();
    /** When set, the next watch that resumes answers 410 Gone, as after a database restore. */
    public volatile boolean goneOnResume;
    /** Watches that came without Last-Event-ID (and so started with a snapshot). */
    public final AtomicInteger freshWatches = new AtomicInteger();
    /** Status reports of these replicas answer 500, as a platform with a bug would. */
    public final java.util.Set<UUID> failingReports = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The size of every batch of status reports taken; without the endpoint (false) a batch answers 404, as an older platform-api. */
    public final List<Integer> statusBatches = new CopyOnWriteArrayList<>();
    public volatile boolean batchEndpoint = true;
    /** How long a batch of status reports takes to answer, and the batches received so far (counted before that wait). */
    public volatile java.time.Duration batchDelay = java.time.Duration.ZERO;
    public final AtomicInteger batchesReceived = new AtomicInteger();
    /** When set, every batch answers 413, as a batch over platform-api's body limit would. */
    public volatile boolean batchTooLarge;
    /** How long a status report takes to answer, and the most answered at once so far. */
    public volatile java.time.Duration statusDelay = java.time.Duration.ZERO;
    /** How long a registration takes to answer (a platform under load). */
    /** How many registration answers to lose: the node is recorded, then the connection is dropped unanswered. */
    public final AtomicInteger lostRegistrationAnswers = new AtomicInteger();
    public volatile java.time.Duration registrationDelay = java.time.Duration.ZERO;
    public final AtomicInteger statusMaxInFlight = new AtomicInteger();
    private final AtomicInteger statusInFlight = new AtomicInteger();
    /**
     * How long a route table request takes to answer; {@link #holdRoutes} holds the answers until
     * {@link #releaseRoutes}. (The agent contexts of a JVM share this platform: a test counts its own
     * node's route fetches with that node's metrics.)
     */
    public volatile java.time.Duration routesDelay = java.time.Duration.ZERO;
    private volatile Sinks.Empty<Void> routesHeld = released();
    public final Map<String, byte[]> modules = new ConcurrentHashMap<>();
    private final Map<UUID, Assignment> assignments = new ConcurrentHashMap<>();
    private final Sinks.Many<Change> changes = Sinks.many().replay().all();
    private volatile List<Route> routes = List.of();
    private volatile boolean down;
    private volatile Sinks.Empty<Void> kill = Sinks.empty();
    private long version = 1;

    /** Its own event loops: an agent context that closes disposes Reactor Netty's global ones. */
    private final LoopResources loops = LoopResources.create("fake-platform", 2, true);

    public FakePlatform() {
        server = HttpServer.create().runOn(loops).port(0).route(r -> r
                .post("/api/v1/nodes", guard(this::register))
                .put("/api/v1/nodes/{node}/lease", guard(this::lease))
                .get("/api/v1/nodes/{node}/assignments", (req, res) -> {
                    watchAttempts.incrementAndGet();
                    return guard(this::watch).apply(req, res);
                })
                .get("/api/v1/routes", guard((req, res) -> {
                    Mono<Void> held = routesHeld.asMono();
                    return res.header("Content-Type", "application/json").sendString(Mono.delay(routesDelay).then(held)
                            .then(Mono.fromSupplier(() -> json.writeValueAsString(routes)))).then();
                }))
                .get("/api/v1/modules/{digest}/content", guard(this::module))
                .put("/api/v1/nodes/{node}/replicas/{id}/status", guard(this::status))
                .post("/api/v1/nodes/{node}/status-reports", guard(this::statusBatch))
                .post("/api/v1/nodes/{node}/replicas/{id}/events", guard((req, res) -> body(b -> events.add(new Reported(
                        UUID.fromString(req.param("id")), json.readValue(b, EventReport.class)))).apply(req, res))))
                .bindNow();
    }

    /**
     * An http assignment of {@code examples/<example>} at route {@code /<name>} (namespace {@code default}),
     * its module served by this platform; not yet {@link #put}.
     */
    public Assignment httpAssignment(String name, String example, DeploymentSpec.Limits limits) {
        return assignment(name, example, new DeploymentSpec.HttpSpec("/" + name), null, limits);
    }

    /** A job of {@code examples/<example>} (restartPolicy Never, namespace {@code default}), its module served by this platform; not yet {@link #put}. */
    public Assignment jobAssignment(String name, String example, DeploymentSpec.Limits limits) {
        return assignment(name, example, null, new DeploymentSpec.JobSpec(DeploymentSpec.RestartPolicy.Never), limits);
    }

    private Assignment assignment(String name, String example, DeploymentSpec.HttpSpec http, DeploymentSpec.JobSpec job,
            DeploymentSpec.Limits limits) {
        byte[] bytes = Fixtures.bytes(example);
        String digest = Fixtures.digest(bytes);
        modules.put(digest, bytes);
        var spec = new DeploymentSpec(digest, http, job, 1, null, null, limits, null);
        return new Assignment(UUID.randomUUID(), "default", name, 1, digest, bytes.length, spec, false);
    }

    public String url() {
        return "http://localhost:" + server.port();
    }

    /** Adds or changes an assignment: part of the next snapshot, and an event for current watchers. */
    public synchronized void put(Assignment a) {
        String type = assignments.put(a.replicaId(), a) == null ? "added" : "modified";
        emit(type, json.writeValueAsString(a));
    }

    public synchronized void delete(UUID id) {
        Assignment a = assignments.remove(id);
        if (a != null) {
            emit("deleted", json.writeValueAsString(a));
        }
    }

    public List<Route> routes() {
        return routes;
    }

    public void routes(List<Route> r) {
        routes = List.copyOf(r);
    }

    /** From now on, route table answers wait until {@link #releaseRoutes}. */
    public void holdRoutes() {
        routesHeld = Sinks.empty();
    }

    /** Sends the route table answers held since {@link #holdRoutes}, and answers at once again. */
    public void releaseRoutes() {
        routesHeld.tryEmitEmpty();
    }

    private static Sinks.Empty<Void> released() {
        Sinks.Empty<Void> done = Sinks.empty();
        done.tryEmitEmpty();
        return done;
    }

    /** Down: every call answers 503 and open watches end. Up again: normal service. */
    public void down(boolean isDown) {
        down = isDown;
        if (isDown) {
            kill.tryEmitEmpty();
        } else {
            kill = Sinks.empty();
        }
    }

    public List<ReplicaPhase> phases(UUID replica) {
        return statuses.stream().filter(s -> s.replica().equals(replica)).map(s -> s.report().phase()).toList();
    }

    public List<EventReport> eventsOf(UUID replica) {
        return events.stream().filter(e -> e.replica().equals(replica)).map(Reported::event).toList();
    }

    public ReplicaStatusReport last(UUID replica) {
        List<ReplicaStatusReport> all = statuses.stream().filter(s -> s.replica().equals(replica)).map(Status::report).toList();
        return all.isEmpty() ? null : all.getLast();
    }

    /**
     * Sends a {@code routes} event (no id), as platform-api does when the route table may have changed;
     * every watch, also a later one, gets it once.
     */
    public synchronized void announceRoutes() {
        changes.tryEmitNext(new Change(Long.MAX_VALUE, "event: routes\ndata: {}\n\n"));
    }

    private void emit(String type, String data) {
        version++;
        changes.tryEmitNext(new Change(version, "event: " + type + "\nid: " + version + "\ndata: " + data + "\n\n"));
    }

    /** The credential issued to {@code node} (null before it registered). */
    public String credential(String node) {
        return credentials.get(node);
    }

    /** The logs token issued to {@code node}: what this platform would send to read its logs. */
    public String logsToken(String node) {
        return logsTokens.get(node);
    }

    /** An admin deleted the node: its credential is refused from now on. */
    public void revoke(String node) {
        credentials.remove(node);
    }

    private Publisher<Void> register(HttpServerRequest req, HttpServerResponse res) {
        String auth = req.requestHeaders().get("Authorization");
        return req.receive().aggregate().asString().defaultIfEmpty("").delayElement(registrationDelay).flatMap(b -> {
            NodeRegistration r = json.readValue(b, NodeRegistration.class);
            registrations.add(r);
            registrationTokens.add(auth);
            if (auth.equals("Bearer " + credentials.get(r.name()))) {
                return res.status(200).send().then();
            }
            String held = credentials.get(r.name());
            int status = 201;
            if (held != null) {
                if (!held.equals(r.credential())) { // the name is held by another credential (or one the node did not bring)
                    return res.status(409).send().then();
                }
                status = 200; // a retry of a registration whose answer was lost
            } else {
                int n = issued.incrementAndGet();
                credentials.put(r.name(), r.credential() != null ? r.credential() : "cred-" + r.name() + "-" + n);
                logsTokens.put(r.name(), "logs-" + r.name() + "-" + n);
            }
            if (lostRegistrationAnswers.getAndUpdate(k -> Math.max(0, k - 1)) > 0) {
                res.withConnection(Connection::dispose);
                return Mono.<Void>empty();
            }
            String body = json.writeValueAsString(new NodeCredential(r.name(), credentials.get(r.name()), logsTokens.get(r.name()), null));
            return res.status(status).header("Content-Type", "application/json").sendString(Mono.just(body)).then();
        });
    }

    private Publisher<Void> watch(HttpServerRequest req, HttpServerResponse res) {
        String frame;
        long at;
        synchronized (this) {
            at = version;
            var snapshot = new AssignmentSnapshot(at, new ArrayList<>(assignments.values()));
            frame = "event: snapshot\nid: " + at + "\ndata: " + json.writeValueAsString(snapshot) + "\n\n";
        }
        watchConnections.incrementAndGet();
        String resume = req.requestHeaders().get("Last-Event-ID");
        if (resume == null) {
            freshWatches.incrementAndGet();
        } else {
            watchResumes.add(resume);
            if (goneOnResume) {
                goneOnResume = false;
                return res.status(410).send();
            }
        }
        Flux<String> frames = Flux.just(frame)
                .concatWith(changes.asFlux().filter(c -> c.version() > at).map(Change::frame))
                .takeUntilOther(kill.asMono());
        return res.header("Content-Type", "text/event-stream")
                .send(frames.map(s -> Unpooled.copiedBuffer(s, StandardCharsets.UTF_8)), b -> true);
    }

    private Publisher<Void> status(HttpServerRequest req, HttpServerResponse res) {
        UUID id = UUID.fromString(req.param("id"));
        if (failingReports.contains(id)) {
            return res.status(500).send();
        }
        statusMaxInFlight.accumulateAndGet(statusInFlight.incrementAndGet(), Math::max);
        return Mono.delay(statusDelay)
                .doOnNext(t -> statusInFlight.decrementAndGet()) // before the answer can go out, not after (doFinally)
                .then(Mono.from(body(b -> statuses.add(new Status(id, json.readValue(b, ReplicaStatusReport.class)))).apply(req, res)));
    }

    /** As platform-api's batch endpoint; a failing replica in it fails the whole call (500), as a bug would. */
    private Publisher<Void> statusBatch(HttpServerRequest req, HttpServerResponse res) {
        if (!batchEndpoint) {
            return res.status(404).send();
        }
        if (batchTooLarge) {
            return res.status(413).send();
        }
        return req.receive().aggregate().asString().doOnNext(b -> batchesReceived.incrementAndGet())
                .delayUntil(b -> Mono.delay(batchDelay)).flatMap(b -> {
            var batch = json.readValue(b, ReplicaStatusBatch.class);
            if (batch.reports().stream().anyMatch(i -> failingReports.contains(i.replicaId()))) {
                return res.status(500).send().then();
            }
            statusBatches.add(batch.reports().size());
            batch.reports().forEach(i -> statuses.add(new Status(i.replicaId(), i.report())));
            var results = batch.reports().stream().map(i -> new ReplicaStatusResults.Result(i.replicaId(), 204, null)).toList();
            return res.status(200).header("Content-Type", "application/json")
                    .sendString(Mono.just(json.writeValueAsString(new ReplicaStatusResults(results)))).then();
        });
    }

    private Publisher<Void> lease(HttpServerRequest req, HttpServerResponse res) {
        if (forgetNode) {
            forgetNode = false;
            return res.status(404).send();
        }
        return body(b -> leases.add(b.isEmpty() ? new NodeUsage(List.of()) : json.readValue(b, NodeUsage.class))).apply(req, res);
    }

    /** The resource version of the last change. */
    public synchronized long version() {
        return version;
    }

    private Publisher<Void> module(HttpServerRequest req, HttpServerResponse res) {
        byte[] bytes = modules.get(java.net.URLDecoder.decode(req.param("digest"), StandardCharsets.UTF_8));
        return bytes == null ? res.status(404).send() : res.header("Content-Type", "application/octet-stream").sendByteArray(Mono.just(bytes)).then();
    }

    private java.util.function.BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> guard(
            java.util.function.BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
        return (req, res) -> {
            if (down) {
                return res.status(503).send();
            }
            String auth = req.requestHeaders().get("Authorization");
            boolean bootstrap = ("Bearer " + TOKEN).equals(auth);
            boolean node = auth != null && credentials.values().stream().anyMatch(c -> auth.equals("Bearer " + c));
            if (!node && !(bootstrap && req.method().name().equals("POST") && req.uri().equals("/api/v1/nodes"))) {
                return res.status(bootstrap ? 403 : 401).send();
            }
            return handler.apply(req, res);
        };
    }

    private java.util.function.BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> body(java.util.function.Consumer<String> record) {
        return (req, res) -> req.receive().aggregate().asString().defaultIfEmpty("")
                .flatMap(b -> {
                    record.accept(b);
                    return res.status(200).send().then();
                });
    }

    @Override
    public void close() {
        server.disposeNow();
        loops.dispose();
    }
}
