package dev.nanolet.ui.platform;

import dev.nanolet.wire.ApiToken;
import dev.nanolet.wire.AuditPage;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.Event;
import dev.nanolet.wire.EvictionStatus;
import dev.nanolet.wire.Identity;
import dev.nanolet.wire.IssuedToken;
import dev.nanolet.wire.LogLine;
import dev.nanolet.wire.MetricsPoint;
import dev.nanolet.wire.ModuleInfo;
import dev.nanolet.wire.NodeAddress;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.Replica;
import dev.nanolet.wire.Revision;
import dev.nanolet.wire.RollbackRequest;
import dev.nanolet.wire.Secret;
import dev.nanolet.wire.SecretData;
import dev.nanolet.wire.ScaleRequest;
import dev.nanolet.wire.TokenRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * platform-api's public REST API as admin-ui uses it. Calls carry the signed-in user's
 * token (see {@link PlatformHttp}); failures arrive as {@link PlatformException}s. The writes a form makes from what it
 * showed take a {@link WriteCondition}, so that two users editing one object cannot silently overwrite each other.
 */
@Component
public class PlatformClient {
    /** How many namespaces {@link #eachOf} reads at once. */
    static final int NAMESPACE_READS = 4;
    private static final ParameterizedTypeReference<ServerSentEvent<LogLine>> LOG_EVENT = new ParameterizedTypeReference<>() {};
    private final PlatformHttp http;
    private final PlatformProperties properties;

    PlatformClient(PlatformHttp http, PlatformProperties properties) {
        this.http = http;
        this.properties = properties;
    }

    /**
     * Who {@code token} is and what it may do ({@code GET /tokens/self}); fails with 401 (unknown
     * token) or 403 (a node's or the bootstrap token, which are not API tokens).
     */
    public Mono<Identity> self(String token) {
        return http.call(http.client().get().uri("/tokens/self").headers(h -> h.setBearerAuth(token)), new ParameterizedTypeReference<Identity>() {});
    }

    /** The tokens the signed-in token manages (all of whose grants lie where it is admin). */
    public Mono<List<ApiToken>> tokens() {
        return http.get(new ParameterizedTypeReference<>() {}, "/tokens");
    }

    /** Creates a token; the answer holds its secret, which platform-api never shows again. */
    public Mono<IssuedToken> createToken(TokenRequest request) {
        return http.call(http.client().post().uri("/tokens").bodyValue(request), new ParameterizedTypeReference<>() {});
    }

    public Mono<Void> revokeToken(String id) {
        return http.call(http.client().delete().uri("/tokens/{id}", id), new ParameterizedTypeReference<Void>() {});
    }

    /**
     * A page of the audit log, newest first, with {@code filters} ({@code namespace}, {@code actor}, {@code dryRun},
     * {@code before}, {@code limit}) as its query, each value encoded whole.
     */
    public Mono<AuditPage> audit(Map<String, String> filters) {
        return http.call(http.client().get().uri(b -> {
            b.path("/audit");
            filters.keySet().forEach(name -> b.queryParam(name, "{" + name + "}"));
            return b.build(filters);
        }), new ParameterizedTypeReference<>() {});
    }

    public Mono<List<NodeInfo>> nodes() {
        return http.get(new ParameterizedTypeReference<>() {}, "/nodes");
    }

    /** Whether evictions are paused now, no registered node being Ready ({@code GET /evictions}; a cluster-wide viewer's, as the nodes). */
    public Mono<EvictionStatus> evictions() {
        return http.get(new ParameterizedTypeReference<>() {}, "/evictions");
    }

    public Mono<NodeInfo> node(String name) {
        return http.get(new ParameterizedTypeReference<>() {}, "/nodes/{name}", name);
    }

    /** The admin moves a node: the only way its address changes. */
    public Mono<NodeInfo> moveNode(String name, String address, WriteCondition condition) {
        return http.call(http.client().put().uri("/nodes/{name}/address", name).headers(condition::addTo).bodyValue(new NodeAddress(address)),
                new ParameterizedTypeReference<NodeInfo>() {});
    }

    /**
     * Sets all of a node's restricted labels ({@code node-restriction.nanolet.dev/…}; an empty map
     * removes them): admin only; a 422 names each refused key as field {@code labels.<key>}.
     */
    public Mono<NodeInfo> relabelNode(String name, Map<String, String> labels, WriteCondition condition) {
        return http.call(http.client().put().uri("/nodes/{name}/labels", name).headers(condition::addTo).bodyValue(Map.of("labels", labels)),
                new ParameterizedTypeReference<NodeInfo>() {});
    }

    /** Deletes a node: revokes its credential; its unfinished replicas are scheduled elsewhere. */
    public Mono<Void> deleteNode(String name, WriteCondition condition) {
        return http.call(http.client().delete().uri("/nodes/{name}", name).headers(condition::addTo), new ParameterizedTypeReference<Void>() {});
    }

    /** The replicas bound to one node, by namespace, deployment and age (404 for an unregistered node). */
    public Mono<List<Replica>> nodeReplicas(String node) {
        return http.get(new ParameterizedTypeReference<>() {}, "/nodes/{name}/replicas", node);
    }

    public Mono<List<Event>> warnings(int limit) {
        return warningsAt(limit, "/events");
    }

    /** The newest {@code limit} Warning events that {@code path} (expanded with {@code variables}) lists. */
    private Mono<List<Event>> warningsAt(int limit, String path, Object... variables) {
        return http.call(http.client().get().uri(b -> b.path(path).queryParam("type", "Warning").queryParam("limit", limit).build(variables)),
                new ParameterizedTypeReference<>() {});
    }

    public Mono<List<ModuleInfo>> modules() {
        return http.get(new ParameterizedTypeReference<>() {}, "/modules");
    }

    public Mono<ModuleInfo> module(String digest) {
        return http.get(new ParameterizedTypeReference<>() {}, "/modules/{digest}", digest);
    }

    public Mono<Void> deleteModule(String digest) {
        return http.call(http.client().delete().uri("/modules/{digest}", digest), new ParameterizedTypeReference<Void>() {});
    }

    /**
     * Uploads a {@code .wasm} as the multipart part {@code file}, named after the file (without {@code .wasm}, the name
     * encoded whole as the audit's filters are: a {@code &} or {@code +} in it is the name's, a {@code {}} no template), waiting
     * {@link PlatformProperties#importTimeout()} as an import does: platform-api answers once it has parsed the module,
     * which may take its parse timeout (10 s) after a wait of up to 1 s for a parser, more than the per-call timeout.
     */
    public Mono<ModuleInfo> uploadModule(String filename, Flux<DataBuffer> content) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.asyncPart("file", content, DataBuffer.class).filename(filename).contentType(MediaType.parseMediaType("application/wasm"));
        String name = filename.replaceFirst("(?i)\\.wasm$", "");
        return http.call(http.longClient().post().uri(b -> b.path("/modules").queryParam("name", "{name}").build(name)).contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(body.build())), new ParameterizedTypeReference<>() {}, properties.importTimeout());
    }

    /**
     * Imports a Wasm artifact from an OCI registry ({@code POST /api/v1/modules {"image": ...}}), waiting
     * {@link PlatformProperties#importTimeout()}: platform-api answers only once it has pulled it, which may take its
     * whole import deadline.
     */
    public Mono<ModuleInfo> importModule(String image) {
        return http.call(http.longClient().post().uri("/modules").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(java.util.Map.of("image", image)), new ParameterizedTypeReference<>() {}, properties.importTimeout());
    }

    /** All deployments, or those of one namespace when {@code namespace} is not blank. */
    public Mono<List<Deployment>> deployments(String namespace) {
        return namespace == null || namespace.isBlank()
                ? http.get(new ParameterizedTypeReference<>() {}, "/deployments")
                : http.get(new ParameterizedTypeReference<>() {}, "/namespaces/{ns}/deployments", namespace);
    }

    /**
     * The deployments of each of {@code namespaces}, for a token that is no cluster-wide viewer (platform-api answers
     * {@code GET /deployments} to one only), as {@link #eachOf} reads them.
     */
    public Mono<NamespaceReads<Deployment>> deploymentsIn(List<String> namespaces) {
        return eachOf(namespaces, this::deployments);
    }

    /**
     * The newest {@code limit} Warning events of {@code namespaces} together, newest first, for a token that is no
     * cluster-wide viewer ({@code GET /namespaces/{ns}/events} of each, as {@link #eachOf} reads them).
     */
    public Mono<NamespaceReads<Event>> warningsIn(List<String> namespaces, int limit) {
        return eachOf(namespaces, ns -> warningsAt(limit, "/namespaces/{ns}/events", ns))
                .map(reads -> new NamespaceReads<>(reads.found().stream().sorted(Comparator.comparingLong(Event::id).reversed())
                        .limit(limit).toList(), reads.unreadable()));
    }

    /**
     * What {@code read} answers for each of {@code namespaces}: read {@value #NAMESPACE_READS} at a time and listed in the
     * order of {@code namespaces}, whichever answers first, a namespace whose read fails (its refusal, a timeout) named in
     * {@link NamespaceReads#unreadable()} while the others are listed. A 401 is no namespace's: it fails the whole read, so
     * that the page signs out as everywhere.
     */
    private static <T> Mono<NamespaceReads<T>> eachOf(List<String> namespaces, Function<String, Mono<List<T>>> read) {
        return Flux.fromIterable(namespaces)
                .flatMapSequential(ns -> read.apply(ns).map(list -> new NamespaceRead<>(ns, list, null))
                        .onErrorResume(PlatformException.class, e -> e instanceof PlatformException.Refused r && r.status() == 401
                                ? Mono.error(e) : Mono.just(new NamespaceRead<T>(ns, List.of(), e.getMessage()))), NAMESPACE_READS)
                .collectList()
                .map(reads -> new NamespaceReads<>(reads.stream().flatMap(r -> r.found().stream()).toList(),
                        reads.stream().filter(r -> r.failure() != null)
                                .collect(Collectors.toMap(NamespaceRead::namespace, NamespaceRead::failure, (a, b) -> a, TreeMap::new))));
    }

    /** One namespace's read: what it found, or why it could not be read. */
    private record NamespaceRead<T>(String namespace, List<T> found, String failure) {}

    public Mono<Deployment> deployment(String ns, String name) {
        return http.get(new ParameterizedTypeReference<>() {}, "/namespaces/{ns}/deployments/{name}", ns, name);
    }

    public Mono<Deployment> apply(String ns, String name, DeploymentSpec spec, WriteCondition condition) {
        return http.call(http.client().put().uri("/namespaces/{ns}/deployments/{name}", ns, name).headers(condition::addTo).bodyValue(spec),
                new ParameterizedTypeReference<>() {});
    }

    public Mono<Void> deleteDeployment(String ns, String name, WriteCondition condition) {
        return http.call(http.client().delete().uri("/namespaces/{ns}/deployments/{name}", ns, name).headers(condition::addTo),
                new ParameterizedTypeReference<Void>() {});
    }

    public Mono<Deployment> scale(String ns, String name, int replicas, WriteCondition condition) {
        return http.call(http.client().put().uri("/namespaces/{ns}/deployments/{name}/scale", ns, name).headers(condition::addTo)
                        .bodyValue(new ScaleRequest(replicas)),
                new ParameterizedTypeReference<>() {});
    }

    public Mono<Deployment> rollback(String ns, String name, int revision, WriteCondition condition) {
        return http.call(http.client().post().uri("/namespaces/{ns}/deployments/{name}/rollback", ns, name).headers(condition::addTo)
                        .bodyValue(new RollbackRequest(revision)),
                new ParameterizedTypeReference<>() {});
    }

    public Mono<List<Replica>> replicas(String ns, String name) {
        return http.get(new ParameterizedTypeReference<>() {}, "/namespaces/{ns}/deployments/{name}/replicas", ns, name);
    }

    public Mono<List<Revision>> revisions(String ns, String name) {
        return http.get(new ParameterizedTypeReference<>() {}, "/namespaces/{ns}/deployments/{name}/revisions", ns, name);
    }

    public Mono<List<Event>> events(String ns, String name) {
        return http.get(new ParameterizedTypeReference<>() {}, "/namespaces/{ns}/deployments/{name}/events", ns, name);
    }

    public Mono<List<MetricsPoint>> metrics(String ns, String name, int minutes) {
        return http.call(http.client().get().uri(b -> b.path("/namespaces/{ns}/deployments/{name}/metrics").queryParam("minutes", minutes).build(ns, name)),
                new ParameterizedTypeReference<>() {});
    }

    /** The secrets of a namespace: names, keys, versions and times, never values. */
    public Mono<List<Secret>> secrets(String ns) {
        return http.get(new ParameterizedTypeReference<>() {}, "/namespaces/{ns}/secrets", ns);
    }

    /** Writes the whole data of a secret (values go to platform-api only; they are never read back). */
    public Mono<Secret> putSecret(String ns, String name, Map<String, String> data, WriteCondition condition) {
        return http.call(http.client().put().uri("/namespaces/{ns}/secrets/{name}", ns, name).headers(condition::addTo).bodyValue(new SecretData(data)),
                new ParameterizedTypeReference<>() {});
    }

    public Mono<Void> deleteSecret(String ns, String name, WriteCondition condition) {
        return http.call(http.client().delete().uri("/namespaces/{ns}/secrets/{name}", ns, name).headers(condition::addTo),
                new ParameterizedTypeReference<Void>() {});
    }

    /**
     * The last {@code tail} log lines, within {@link PlatformProperties#logTailTimeout()}: platform-api
     * answers only when every node's tail is read, and one dead node takes it up to 15 s.
     */
    public Mono<List<LogLine>> logTail(String ns, String name, int tail) {
        return http.collect(logs(ns, name, tail, false), LOG_EVENT, properties.logTailTimeout())
                .map(events -> events.stream().map(ServerSentEvent::data).filter(Objects::nonNull).toList());
    }

    /** The last {@code tail} log lines, then new ones as they are written, for as long as platform-api follows (no timeout). */
    public Flux<LogLine> followLogs(String ns, String name, int tail) {
        return http.stream(logs(ns, name, tail, true), LOG_EVENT).mapNotNull(ServerSentEvent::data);
    }

    private WebClient.RequestHeadersSpec<?> logs(String ns, String name, int tail, boolean follow) {
        return http.longClient().get()
                .uri(b -> b.path("/namespaces/{ns}/deployments/{name}/logs").queryParam("tail", tail).queryParam("follow", follow).build(ns, name))
                .accept(MediaType.TEXT_EVENT_STREAM);
    }
}
