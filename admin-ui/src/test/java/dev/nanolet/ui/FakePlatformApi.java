package dev.nanolet.ui;

import dev.nanolet.wire.ApiToken;
import dev.nanolet.wire.Grant;
import dev.nanolet.wire.Identity;
import dev.nanolet.wire.IssuedToken;
import dev.nanolet.wire.ModuleDigest;
import dev.nanolet.wire.Role;
import dev.nanolet.wire.TokenRequest;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.LogLine;
import dev.nanolet.wire.MetricsPoint;
import dev.nanolet.wire.ModuleInfo;
import dev.nanolet.wire.NodeAddress;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.Problem;
import dev.nanolet.wire.RollbackRequest;
import dev.nanolet.wire.ScaleRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * platform-api faked at the HTTP edge: a real HTTP server on a free port that speaks the
 * documented paths and wire records, keeps state in {@link FakeState} and records every request.
 * It also answers HTTP routes outside {@code /api/} as a node data plane would, for "try it".
 * It runs on Reactor Netty's global event loops, which a dashboard started outside Spring's test framework disposes when it
 * closes (the framework gives its own contexts loops of their own): such a dashboard gets loops of its own, as
 * {@link ListenerLimitsTest}'s do, or every later sign-in of the JVM is "unavailable".
 */
final class FakePlatformApi {
    static final String ADMIN_TOKEN = "admin-secret";
    static final String NODE_TOKEN = "node-secret";
    /** A token with role viewer in namespace default only: reads pass, writes are refused (403). */
    static final String VIEWER_TOKEN = "viewer-secret";
    /** A token with role viewer cluster-wide: reads pass, nodes included, writes are refused (403). */
    static final String CLUSTER_VIEWER_TOKEN = "cluster-viewer-secret";
    /** A token with role admin in namespace ci only: its audit log, nothing cluster-wide. */
    static final String CI_ADMIN_TOKEN = "ci-admin-secret";
    /** A token with role deployer in namespaces ci and shop, nothing cluster-wide. */
    static final String DEPLOYER_TOKEN = "deployer-secret";
    private static final String API = "/api/v1";
    /**
     * The API tokens by bearer (the admin token aside): each is refused exactly what platform-api refuses it
     * ({@link FakeAccess}), a namespace-scoped token's reads of other namespaces included.
     */
    private static final Map<String, Identity> GRANTED = Map.of(
            "Bearer " + VIEWER_TOKEN, new Identity("v-1", "viewer", List.of(new Grant(Role.viewer, "default")), null),
            "Bearer " + CI_ADMIN_TOKEN, new Identity("ci-1", "ci-admin", List.of(new Grant(Role.admin, "ci")), null),
            "Bearer " + DEPLOYER_TOKEN, new Identity("d-1", "deployer", List.of(new Grant(Role.deployer, "ci"), new Grant(Role.deployer, "shop")), null),
            "Bearer " + CLUSTER_VIEWER_TOKEN, new Identity("cv-1", "cluster-viewer", List.of(new Grant(Role.viewer, null)), null));
    /** How many lines a follow stream sends after the tail before it ends, as when a replica stops. */
    static final int FOLLOWED_LINES = 4;
    private static final String DEP = API + "/namespaces/{ns}/deployments/{name}";
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The conditional requests among them: method, path and each {@code If-Match}/{@code If-None-Match} as sent. */
    final List<String> conditions = new CopyOnWriteArrayList<>();
    private final DisposableServer server;
    private volatile FakeState state = new FakeState();
    private volatile Integer failWith;
    private volatile String failDetail = "injected failure";
    private volatile Map.Entry<String, Integer> failOnceAfter;
    private volatile Map.Entry<String, Integer> failCall;
    private volatile String failCallDetail = "injected failure";
    private volatile Map.Entry<String, Duration> delayCall;
    private volatile Hold holding;
    static final String RESTRICTED = "node-restriction.nanolet.dev/";
    private static final ParameterizedTypeReference<Map<String, Map<String, String>>> LABELS = new ParameterizedTypeReference<>() {};
    private volatile boolean logsStall;
    private volatile Duration logTailDelay = Duration.ZERO;
    private volatile Duration moduleDelay = Duration.ZERO;
    private volatile Sinks.Empty<Void> tokenCreates;
    private volatile Sinks.Empty<Void> heldFollows;
    private volatile int heldFollowsStatus;
    private volatile boolean heldTails;
    private volatile Answer answer;

    FakePlatformApi() {
        this(0);
    }

    /** On {@code port} (0: any free one): a platform-api that comes up where the dashboard found none. */
    FakePlatformApi(int port) {
        server = HttpServer.create().host("127.0.0.1").port(port)
                .handle(new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(routes()))).bindNow();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Forgets everything; the next test starts from an empty platform. */
    void reset() {
        state = new FakeState();
        requests.clear();
        conditions.clear();
        failWith = null;
        failOnceAfter = null;
        failCall = null;
        failCallDetail = "injected failure";
        delayCall = null;
        release();
        holding = null;
        logsStall = false;
        logTailDelay = Duration.ZERO;
        moduleDelay = Duration.ZERO;
        releaseTokenCreates();
        answerHeldFollows(503);
        answer = null;
    }

    /** Every API call answers 200 with {@code body} as {@code type} until {@link #reset}: a proxy's page, or JSON of another shape. */
    void answerWith(MediaType type, String body) {
        answerWith(200, type, body);
    }

    /** As {@link #answerWith(MediaType, String)}, with {@code status}: a problem of another shape, say. */
    void answerWith(int status, MediaType type, String body) {
        answer = new Answer(status, type, body);
    }

    private record Answer(int status, MediaType type, String body) {}

    /** Log streams send their lines and then nothing, never ending, until {@link #reset}: a platform-api that hangs mid-answer. */
    void stallLogs() {
        logsStall = true;
    }

    /** The log tail (follow=false) comes whole after {@code delay}, as platform-api's does while a dead node's times out. */
    void delayLogTail(Duration delay) {
        logTailDelay = delay;
    }

    /**
     * An import or an upload answers after {@code delay}, as platform-api's does while it pulls from a slow registry or
     * parses a large module.
     */
    void delayModules(Duration delay) {
        moduleDelay = delay;
    }

    /** A token create is made and answered only after {@link #releaseTokenCreates}, as a slow platform-api's is. */
    void holdTokenCreates() {
        tokenCreates = Sinks.empty();
    }

    void releaseTokenCreates() {
        Sinks.Empty<Void> held = tokenCreates;
        tokenCreates = null;
        if (held != null) {
            held.tryEmitEmpty();
        }
    }

    /** Each followed log asked for from now on waits, unanswered, for {@link #answerHeldFollows}. */
    void holdFollows() {
        heldFollows = Sinks.empty();
        heldTails = false;
    }

    /** Each log tail (a page's, not a follow) asked for from now on waits, unanswered, for {@link #answerHeldFollows}. */
    void holdLogTails() {
        heldFollows = Sinks.empty();
        heldTails = true;
    }

    /** Answers every held follow (or tail) {@code status} (with a problem body); later ones are answered as usual. */
    void answerHeldFollows(int status) {
        Sinks.Empty<Void> held = heldFollows;
        heldFollows = null;
        heldFollowsStatus = status;
        if (held != null) {
            held.tryEmitEmpty();
        }
    }

    /** Every API call answers {@code status} (with a problem body) until {@link #reset}. */
    void failWith(int status) {
        failWith(status, "injected failure");
    }

    /** As {@link #failWith(int)}, the problem's {@code detail} being {@code detail}. */
    void failWith(int status, String detail) {
        failDetail = detail;
        failWith = status;
    }

    /** Undoes {@link #failWith}: calls are answered again. */
    void stopFailing() {
        failWith = null;
    }

    /** The first API call after {@code call} (method and path, as in {@link #requests}) answers {@code status}, once. */
    void failOnceAfter(String call, int status) {
        failOnceAfter = Map.entry(call, status);
    }

    /** Every call of {@code call} (method and path, as in {@link #requests}) that the token may make answers {@code status} until {@link #reset}. */
    void failCall(String call, int status) {
        failCall(call, status, "injected failure");
    }

    /** As {@link #failCall(String, int)}, the problem's {@code detail} being {@code detail} (null: a problem without one). */
    void failCall(String call, int status, String detail) {
        failCallDetail = detail;
        failCall = Map.entry(call, status);
    }

    /** Every call of {@code call} (method and path) is answered {@code delay} late until {@link #reset}. */
    void delayCall(String call, Duration delay) {
        delayCall = Map.entry(call, delay);
    }

    /**
     * Each {@code call} (method and path) is answered only once {@code after} has been asked for, until {@link #reset}:
     * two calls made one after the other never both get an answer, as {@code call}'s waits, unanswered, for the second.
     */
    void holdUntil(String call, String after) {
        holding = new Hold(call, after, Sinks.empty());
    }

    /** Answers the call {@link #holdUntil} holds now, as if its {@code after} had been asked for. */
    void release() {
        Hold hold = holding;
        if (hold != null) {
            hold.release().tryEmitEmpty();
        }
    }

    /** See {@link #holdUntil}. */
    private record Hold(String call, String after, Sinks.Empty<Void> release) {}

    FakeState state() {
        return state;
    }

    private RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET(API + "/nodes", r -> ok(state.nodes.values().stream().map(state::nodeNow).toList()))
                .GET(API + "/nodes/{name}", r -> withNode(r, n -> ok(state.nodeNow(n))))
                .PUT(API + "/nodes/{name}/address", r -> withNode(r, n -> r.bodyToMono(NodeAddress.class).flatMap(a -> {
                    if (a.address() == null || !a.address().matches("https?://[a-z0-9.-]+(:\\d+)?") || a.address().contains("169.254.")) {
                        return problem(422, "address: must not be a link-local or metadata address",
                                List.of(new Problem.FieldError("address", "must not be a link-local or metadata address")));
                    }
                    return FakePreconditions.when(r, "node " + n.name(), n.resourceVersion(), Mono.defer(() -> {
                        NodeInfo moved = new NodeInfo(n.name(), n.labels(), n.capacity(), n.allocated(), a.address(), n.ready(),
                                n.leaseRenewedAt(), n.replicas(), n.usage(), state.nextResourceVersion());
                        state.nodes.put(n.name(), moved);
                        return ok(moved);
                    }));
                })))
                .PUT(API + "/nodes/{name}/labels", r -> withNode(r, n -> r.bodyToMono(LABELS).flatMap(body -> relabel(r, n, body.get("labels")))))
                .DELETE(API + "/nodes/{name}", r -> withNode(r, n -> FakePreconditions.when(r, "node " + n.name(), n.resourceVersion(),
                        Mono.defer(() -> {
                            state.nodes.remove(n.name());
                            return ServerResponse.noContent().build();
                        }))))
                .GET(API + "/nodes/{name}/replicas", this::nodeReplicas)
                .GET(API + "/evictions", r -> ok(evictions()))
                .GET(API + "/tokens/self", r -> ok(GRANTED.containsKey(String.valueOf(r.headers().firstHeader("Authorization")))
                        ? GRANTED.get(r.headers().firstHeader("Authorization"))
                        : new Identity("admin", "admin", List.of(new Grant(Role.admin, null)), null)))
                .GET(API + "/audit", r -> FakeAudit.page(r, state.audit, adminIn(r)))
                .GET(API + "/tokens", r -> ok(state.tokens.stream().filter(t -> manages(r, t)).toList()))
                .POST(API + "/tokens", r -> r.bodyToMono(TokenRequest.class).delayUntil(t -> tokenCreates == null ? Mono.empty() : tokenCreates.asMono()).flatMap(t -> {
                    if (t.name() == null || t.name().isBlank() || t.grants().isEmpty()) {
                        return problem(422, "name: is required; grants: at least one", List.of(new Problem.FieldError("grants", "at least one")));
                    }
                    ApiToken token = new ApiToken(java.util.UUID.randomUUID(), t.name(), t.grants(), "admin", Instant.now(),
                            t.expiresInSeconds() == null ? null : Instant.now().plusSeconds(t.expiresInSeconds()), null);
                    state.tokens.add(token);
                    return ServerResponse.status(HttpStatus.CREATED).bodyValue(new IssuedToken("nlt_api_" + token.id(), token));
                }))
                .DELETE(API + "/tokens/{id}", r -> state.tokens.removeIf(t -> t.id().toString().equals(r.pathVariable("id")) && manages(r, t))
                        ? ServerResponse.noContent().build() : problem(404, "no such token", List.of()))
                .GET(API + "/events", r -> ok(state.events.stream().filter(e -> "Warning".equals(e.type())).toList().reversed()))
                .GET(API + "/namespaces/{ns}/events", this::namespaceEvents)
                .GET(API + "/modules", r -> ok(state.modules.values().stream().map(m -> seenBy(r, withUsage(m))).toList()))
                .POST(API + "/modules", this::upload)
                .GET(API + "/modules/{digest}", r -> module(r.pathVariable("digest")).map(m -> seenBy(r, m)).map(this::ok).orElseGet(() -> problem(404, "no such module", List.of())))
                .DELETE(API + "/modules/{digest}", this::deleteModule)
                .GET(API + "/namespaces/{ns}/secrets", r -> ok(state.secrets.keySet().stream()
                        .filter(k -> k.startsWith(r.pathVariable("ns") + "/")).map(this::secret).toList()))
                .PUT(API + "/namespaces/{ns}/secrets/{name}", this::putSecret)
                .DELETE(API + "/namespaces/{ns}/secrets/{name}", r -> {
                    String key = r.pathVariable("ns") + "/" + r.pathVariable("name");
                    if (state.deployments.values().stream().anyMatch(d -> (d.ns + "/").equals(r.pathVariable("ns") + "/")
                            && state.view(d).spec().secretEnv().values().stream().anyMatch(ref -> ref.secret().equals(r.pathVariable("name"))))) {
                        return problem(409, "secret " + key + " is used by a deployment", List.of());
                    }
                    return !state.secrets.containsKey(key) ? problem(404, "no secret " + key, List.of())
                            : FakePreconditions.when(r, "secret " + key, state.secretResourceVersions.get(key), Mono.defer(() -> {
                                state.secrets.remove(key);
                                state.secretResourceVersions.remove(key);
                                return ServerResponse.noContent().build();
                            }));
                })
                .GET(API + "/deployments", r -> ok(state.deployments.values().stream().map(state::view).toList()))
                .GET(API + "/namespaces/{ns}/deployments", r -> ok(state.deployments.values().stream()
                        .filter(d -> d.ns.equals(r.pathVariable("ns"))).map(state::view).toList()))
                .PUT(DEP, this::apply)
                .GET(DEP, r -> withDep(r, d -> ok(state.view(d))))
                .DELETE(DEP, r -> withDep(r, d -> conditional(r, d, Mono.defer(() -> {
                    state.deployments.remove(d.ns + "/" + d.name);
                    return ServerResponse.noContent().build();
                }))))
                .PUT(DEP + "/scale", r -> withDep(r, d -> r.bodyToMono(ScaleRequest.class).flatMap(s -> {
                    if (s.replicas() == null || s.replicas() < 0 || s.replicas() > 1000) {
                        return problem(422, "invalid scale", List.of(new Problem.FieldError("replicas", "must be between 0 and 1000")));
                    }
                    return conditional(r, d, Mono.defer(() -> {
                        state.scale(d, s.replicas());
                        return ok(state.view(d));
                    }));
                })))
                .POST(DEP + "/rollback", r -> withDep(r, d -> r.bodyToMono(RollbackRequest.class).flatMap(b -> {
                    if (b.revision() == null || b.revision() < 1 || b.revision() > d.revisions.size()) {
                        return problem(422, "no such revision", List.of(new Problem.FieldError("revision", "no such revision")));
                    }
                    return conditional(r, d, Mono.defer(() -> {
                        state.rollback(d, b.revision());
                        return ok(state.view(d));
                    }));
                })))
                .GET(DEP + "/replicas", r -> withDep(r, d -> ok(state.replicas(d))))
                .GET(DEP + "/revisions", r -> withDep(r, d -> ok(d.revisions)))
                .GET(DEP + "/events", r -> withDep(r, d -> ok(state.events.stream()
                        .filter(e -> e.object().equals("deployment/" + d.ns + "/" + d.name)).toList().reversed())))
                .GET(DEP + "/metrics", r -> withDep(r, d -> ok(metrics())))
                .GET(DEP + "/logs", r -> withDep(r, d -> logs(r, d)))
                .GET("/**", this::route)
                .filter((request, next) -> {
                    requests.add(request.method() + " " + request.uri().getRawPath() + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery()));
                    String condition = java.util.stream.Stream.of("If-Match", "If-None-Match").filter(h -> request.headers().firstHeader(h) != null)
                            .map(h -> " " + h + ": " + request.headers().firstHeader(h)).collect(java.util.stream.Collectors.joining());
                    if (!condition.isEmpty()) {
                        conditions.add(request.method() + " " + request.uri().getRawPath() + condition);
                    }
                    if (!request.path().startsWith(API)) {
                        return next.handle(request);
                    }
                    String auth = request.headers().firstHeader("Authorization");
                    if (("Bearer " + NODE_TOKEN).equals(auth)) {
                        return problem(403, "node token may not do this", List.of());
                    }
                    Identity scoped = auth == null ? null : GRANTED.get(auth);
                    String refused = scoped == null ? null : FakeAccess.refusal(scoped, request.method().name(), request.path());
                    if (refused != null) {
                        return problem(403, refused, List.of());
                    }
                    if (scoped == null && !("Bearer " + ADMIN_TOKEN).equals(auth)) {
                        return problem(401, "missing or wrong token", List.of());
                    }
                    Map.Entry<String, Integer> failing = failCall;
                    if (failing != null && failing.getKey().equals(request.method() + " " + request.uri().getRawPath())) {
                        return problem(failing.getValue(), failCallDetail, List.of());
                    }
                    Hold hold = holding;
                    String call = request.method() + " " + request.uri().getRawPath();
                    Map.Entry<String, Duration> late = delayCall;
                    if (late != null && late.getKey().equals(call)) {
                        return Mono.delay(late.getValue()).then(Mono.defer(() -> next.handle(request)));
                    }
                    if (hold != null && hold.after().equals(call)) {
                        hold.release().tryEmitEmpty();
                    }
                    if (hold != null && hold.call().equals(call)) {
                        return hold.release().asMono().then(Mono.defer(() -> next.handle(request)));
                    }
                    if (!("Bearer " + ADMIN_TOKEN).equals(auth)) {
                        return next.handle(request);
                    }
                    if (answer != null) {
                        return ServerResponse.status(answer.status()).contentType(answer.type()).bodyValue(answer.body());
                    }
                    Map.Entry<String, Integer> once = failOnceAfter;
                    if (once != null && once.getKey() == null) {
                        failOnceAfter = null;
                        return problem(once.getValue(), "injected failure", List.of());
                    }
                    if (once != null && once.getKey().equals(request.method() + " " + request.uri().getRawPath())) {
                        failOnceAfter = new java.util.AbstractMap.SimpleEntry<>(null, once.getValue());
                    }
                    return failWith != null ? problem(failWith, failDetail, List.of()) : next.handle(request);
                })
                .build();
    }

    /** As platform-api's GET /tokens: whether every grant of {@code token} lies where the caller is admin. */
    private static boolean manages(ServerRequest request, ApiToken token) {
        Identity caller = GRANTED.get(String.valueOf(request.headers().firstHeader("Authorization")));
        return caller == null || token.grants().stream().allMatch(g -> caller.may(Role.admin, g.namespace()));
    }

    /** For the audit: the namespace an API token is admin in, empty when none, null for the admin token. */
    private static String adminIn(ServerRequest request) {
        Identity scoped = GRANTED.get(String.valueOf(request.headers().firstHeader("Authorization")));
        return scoped == null ? null : scoped.grants().stream().filter(g -> g.role() == Role.admin).map(Grant::namespace).findFirst().orElse("");
    }

    private Mono<ServerResponse> upload(ServerRequest request) {
        return importOrStore(request).delaySubscription(moduleDelay);
    }

    private Mono<ServerResponse> importOrStore(ServerRequest request) {
        if (request.headers().contentType().map(MediaType.APPLICATION_JSON::isCompatibleWith).orElse(false)) {
            return request.bodyToMono(Map.class).flatMap(body -> importImage(String.valueOf(body.get("image"))));
        }
        return request.multipartData().flatMap(parts -> parts.getFirst("file") instanceof FilePart file
                ? org.springframework.core.io.buffer.DataBufferUtils.join(file.content()).map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    return Map.entry(file.filename(), bytes);
                }).flatMap(e -> store(e.getKey(), e.getValue()))
                : problem(400, "multipart part 'file' is missing", List.of()));
    }

    private Mono<ServerResponse> store(String filename, byte[] bytes) {
        if (bytes.length < 8 || bytes[0] != 0 || bytes[1] != 'a' || bytes[2] != 's' || bytes[3] != 'm') {
            return problem(422, "not a WebAssembly module: bad magic number", List.of());
        }
        String digest = ModuleDigest.of(bytes);
        var info = new ModuleInfo(digest, bytes.length, filename.replaceFirst("\\.wasm$", ""),
                List.of("wasi_snapshot_preview1.fd_write", "wasi_snapshot_preview1.environ_get"), List.of("_start", "memory"), true, Instant.now(), List.of());
        state.modules.putIfAbsent(digest, info);
        return ServerResponse.status(HttpStatus.CREATED).bodyValue(info);
    }

    /** Images this fake registry holds: {@code registry.example/team/hello:1.0} only. */
    private Mono<ServerResponse> importImage(String image) {
        if (!image.equals("registry.example/team/hello:1.0")) {
            return problem(422, "registry.example/nope:1 not found in its registry (manifest unknown)", List.of());
        }
        byte[] bytes = {0, 'a', 's', 'm', 1, 0, 0, 0, 0, 1};
        String digest = ModuleDigest.of(bytes);
        var info = new ModuleInfo(digest, bytes.length, "hello", List.of(), List.of("_start"), true, Instant.now(), List.of(),
                image, "sha256:" + "a".repeat(64));
        state.modules.putIfAbsent(digest, info);
        return ServerResponse.status(HttpStatus.CREATED).bodyValue(info);
    }

    private Mono<ServerResponse> deleteModule(ServerRequest request) {
        String digest = request.pathVariable("digest");
        if (module(digest).isEmpty()) {
            return problem(404, "no such module", List.of());
        }
        if (!state.usedBy(digest).isEmpty()) {
            return problem(409, "module is used by " + state.usedBy(digest), List.of());
        }
        state.modules.remove(digest);
        return ServerResponse.noContent().build();
    }

    private Mono<ServerResponse> apply(ServerRequest request) {
        return request.bodyToMono(DeploymentSpec.class).flatMap(spec -> {
            var errors = new java.util.ArrayList<>(FakeState.validate(spec));
            if (spec.module() != null && !state.modules.containsKey(spec.module())) {
                errors.add(new Problem.FieldError("module", "no module with this digest"));
            }
            if (!request.pathVariable("ns").matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                errors.add(new Problem.FieldError("namespace", "must be a DNS-1123 label"));
            }
            if (!errors.isEmpty()) {
                return problem(422, "invalid deployment spec", errors);
            }
            String key = request.pathVariable("ns") + "/" + request.pathVariable("name");
            String owner = state.routeOwner(spec, key);
            FakeState.Dep existing = state.deployments.get(key);
            return owner == null
                    ? FakePreconditions.when(request, "deployment " + key, existing == null ? null : existing.resourceVersion,
                            Mono.defer(() -> ok(state.view(state.apply(request.pathVariable("ns"), request.pathVariable("name"), spec)))))
                    : problem(409, "route taken", List.of(new Problem.FieldError("http.path",
                            spec.http().path() + " is already served by deployment " + owner)));
        });
    }

    private Mono<ServerResponse> logs(ServerRequest request, FakeState.Dep d) {
        boolean follow = request.queryParam("follow").map(Boolean::parseBoolean).orElse(false);
        Sinks.Empty<Void> held = heldFollows;
        if (follow != heldTails && held != null) {
            return held.asMono().then(Mono.defer(() -> problem(heldFollowsStatus, "held, then refused", List.of())));
        }
        var id = d.replicas.isEmpty() ? null : d.replicas.getFirst().id();
        int lines = Math.min(3, request.queryParam("tail").map(Integer::parseInt).orElse(100));
        Flux<LogLine> tail = Flux.range(1, lines).map(i -> new LogLine(Instant.now(), id, "stdout", "hello line " + i))
                .delaySubscription(follow ? Duration.ZERO : logTailDelay);
        Flux<LogLine> more = follow
                ? Flux.interval(Duration.ofMillis(300)).take(FOLLOWED_LINES).map(i -> new LogLine(Instant.now(), id, i % 5 == 4 ? "stderr" : "stdout", "served request " + i))
                : Flux.empty();
        return ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(Flux.concat(tail, more, logsStall ? Flux.never() : Flux.empty())
                .map(l -> ServerSentEvent.builder(l).build()), new ParameterizedTypeReference<ServerSentEvent<LogLine>>() {});
    }

    /**
     * As platform-api: all restricted labels replaced at once; 422 with {@code labels.<key>} for a key outside the prefix or too
     * long; 412 when the request's {@code If-Match} names another version of the node.
     */
    private Mono<ServerResponse> relabel(ServerRequest r, NodeInfo n, Map<String, String> labels) {
        List<Problem.FieldError> errors = labels.entrySet().stream()
                .filter(e -> !e.getKey().startsWith(RESTRICTED) || e.getKey().length() > 253 || e.getValue().length() > 63)
                .map(e -> new Problem.FieldError("labels." + e.getKey(), e.getKey().startsWith(RESTRICTED)
                        ? "key or value too long" : "must start with " + RESTRICTED))
                .toList();
        if (!errors.isEmpty()) {
            return problem(422, "invalid labels", errors);
        }
        return FakePreconditions.when(r, "node " + n.name(), n.resourceVersion(), Mono.defer(() -> {
            var all = new java.util.TreeMap<>(n.labels());
            all.keySet().removeIf(k -> k.startsWith(RESTRICTED));
            all.putAll(labels);
            NodeInfo relabeled = new NodeInfo(n.name(), all, n.capacity(), n.allocated(), n.address(), n.ready(),
                    n.leaseRenewedAt(), n.replicas(), n.usage(), state.nextResourceVersion());
            state.nodes.put(n.name(), relabeled);
            return ok(state.nodeNow(relabeled));
        }));
    }

    /** As platform-api's EvictionApi: paused while nodes are registered and none is Ready. */
    private dev.nanolet.wire.EvictionStatus evictions() {
        int ready = (int) state.nodes.values().stream().map(state::nodeNow).filter(NodeInfo::ready).count();
        return new dev.nanolet.wire.EvictionStatus(!state.nodes.isEmpty() && ready == 0, state.nodes.size(), ready);
    }

    /** As platform-api's NodeApi: the node's replicas by namespace, deployment and age; 404 for an unknown node. */
    private Mono<ServerResponse> nodeReplicas(ServerRequest request) {
        String node = request.pathVariable("name");
        return state.nodes.containsKey(node)
                ? ok(state.replicasOn(node))
                : problem(404, "node " + node + " is not registered", List.of());
    }

    private Mono<ServerResponse> route(ServerRequest request) {
        return ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).header("X-Served-By", "fake-node")
                .bodyValue("Hello from " + request.path() + "\n");
    }

    private Mono<ServerResponse> withDep(ServerRequest r, java.util.function.Function<FakeState.Dep, Mono<ServerResponse>> f) {
        FakeState.Dep d = state.deployments.get(r.pathVariable("ns") + "/" + r.pathVariable("name"));
        return d == null ? problem(404, "deployment " + r.pathVariable("ns") + "/" + r.pathVariable("name") + " does not exist", List.of()) : f.apply(d);
    }

    private static Mono<ServerResponse> conditional(ServerRequest r, FakeState.Dep d, Mono<ServerResponse> write) {
        return FakePreconditions.when(r, "deployment " + d.ns + "/" + d.name, d.resourceVersion, write);
    }

    private java.util.Optional<ModuleInfo> module(String digest) {
        return java.util.Optional.ofNullable(state.modules.get(digest)).map(this::withUsage);
    }

    private ModuleInfo withUsage(ModuleInfo m) {
        return new ModuleInfo(m.digest(), m.size(), m.name(), m.imports(), m.exports(), m.wasi(), m.createdAt(), state.usedBy(m.digest()),
                m.source(), m.sourceDigest());
    }

    /** As platform-api's UsedBy: an API token sees the deployments using a module in the namespaces it may read only. */
    private static ModuleInfo seenBy(ServerRequest request, ModuleInfo m) {
        Identity caller = GRANTED.get(String.valueOf(request.headers().firstHeader("Authorization")));
        return caller == null ? m : new ModuleInfo(m.digest(), m.size(), m.name(), m.imports(), m.exports(), m.wasi(), m.createdAt(),
                m.usedBy().stream().filter(ref -> caller.may(Role.viewer, ref.substring(0, ref.indexOf('/')))).toList(),
                m.source(), m.sourceDigest());
    }

    private Mono<ServerResponse> withNode(ServerRequest r, java.util.function.Function<NodeInfo, Mono<ServerResponse>> f) {
        NodeInfo n = state.nodes.get(r.pathVariable("name"));
        return n == null ? problem(404, "node " + r.pathVariable("name") + " is not registered", List.of()) : f.apply(n);
    }

    private List<MetricsPoint> metrics() {
        Instant now = Instant.now();
        String unavailable = state.todoUnavailable;
        return java.util.stream.IntStream.range(0, 15).mapToObj(i -> new MetricsPoint(now.minusSeconds(60L * (14 - i)), i, i % 4 == 0 ? 0.5 : 0, 2 + i * 0.1, 9 + i,
                List.of(new MetricsPoint.BindingPoint("todo", 2.0, 0.5, 3.0, 2.0, 0.25, i == 14 ? unavailable : null)))).toList();
    }

    /** As platform-api: 422 naming a bad key, the metadata (never the values) otherwise. */
    private Mono<ServerResponse> putSecret(ServerRequest r) {
        String key = r.pathVariable("ns") + "/" + r.pathVariable("name");
        return r.bodyToMono(dev.nanolet.wire.SecretData.class).flatMap(body -> {
            var bad = body.data().keySet().stream().filter(k -> !k.matches("[-._a-zA-Z0-9]{1,253}")).findFirst();
            if (bad.isPresent()) {
                return problem(422, "data." + bad.get() + ": key must be letters, digits, '-', '_' or '.'",
                        List.of(new Problem.FieldError("data." + bad.get(), "key must be letters, digits, '-', '_' or '.'")));
            }
            return FakePreconditions.when(r, "secret " + key, state.secretResourceVersions.get(key), Mono.defer(() -> {
                boolean created = state.secrets.put(key, body.data()) == null;
                state.secretVersions.merge(key, 1L, Long::sum);
                state.secretResourceVersions.put(key, state.nextResourceVersion());
                return ServerResponse.status(created ? HttpStatus.CREATED : HttpStatus.OK).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(secret(key));
            }));
        });
    }

    private dev.nanolet.wire.Secret secret(String key) {
        String[] s = key.split("/");
        return new dev.nanolet.wire.Secret(s[0], s[1], List.copyOf(new java.util.TreeSet<>(state.secrets.get(key).keySet())),
                state.secretVersions.get(key), Instant.now().minusSeconds(60), Instant.now(), state.secretResourceVersions.get(key));
    }

    private Mono<ServerResponse> ok(Object body) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    static Mono<ServerResponse> problem(int status, String detail, List<Problem.FieldError> errors) {
        HttpStatus s = HttpStatus.valueOf(status);
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(new Problem("about:blank", s.getReasonPhrase(), status, detail, null, errors));
    }


    void stop() {
        server.disposeNow();
    }

    /**
     * A namespace's events, newest first, as platform-api answers them (type and limit too): here those of its deployments,
     * the only objects whose events name a namespace in the fake.
     */
    private Mono<ServerResponse> namespaceEvents(ServerRequest r) {
        String type = r.queryParam("type").orElse(null);
        int limit = r.queryParam("limit").map(Integer::parseInt).orElse(100);
        return ok(state.events.stream().filter(e -> e.object().startsWith("deployment/" + r.pathVariable("ns") + "/"))
                .filter(e -> type == null || type.equals(e.type())).toList().reversed().stream().limit(limit).toList());
    }
}
