package dev.nanolet.agent.control;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.PlatformProperties;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.NodeCredential;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.ReplicaStatusBatch;
import dev.nanolet.wire.ReplicaStatusReport;
import dev.nanolet.wire.ReplicaStatusResults;
import dev.nanolet.wire.Route;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/** The node protocol of platform-api, as this node uses it (Bearer: its own credential, see {@link NodeIdentity}). */
@Component
@PlatformMode
class PlatformClient {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {};
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A platform-api under load (or just started) may take longer than a normal call to answer a
     * registration; one that is lost anyway is retried with the same credential (see {@link NodeIdentity}).
     */
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(60);
    private final WebClient web;
    private final String node;
    private final NodeIdentity identity;
    private final JsonMapper json;
    private final Duration callTimeout;

    @Autowired
    PlatformClient(WebClient.Builder builder, PlatformProperties platform, NodeIdentity identity, NodeProperties node,
            JsonMapper json) {
        this(builder, platform, identity, node, json, CALL_TIMEOUT);
    }

    /**
     * @param callTimeout how long a call may take: a lease renewal, a report, the routes (a registration, the watch and a
     *     module's fetch wait longer)
     */
    PlatformClient(WebClient.Builder builder, PlatformProperties platform, NodeIdentity identity, NodeProperties node,
            JsonMapper json, Duration callTimeout) {
        this.callTimeout = callTimeout;
        this.web = builder.clone()
                .baseUrl(platform.url())
                .filter((request, next) -> next.exchange(request.headers().containsHeader(HttpHeaders.AUTHORIZATION) ? request
                        : ClientRequest.from(request).headers(h -> h.setBearerAuth(identity.bearer())).build()))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(256 * 1024 * 1024))
                .build();
        this.node = node.name();
        this.identity = identity;
        this.json = json;
    }

    /**
     * Registers: with the confirmed credential when there is one (labels and capacity again), else —
     * or when platform-api no longer knows that credential (401: an admin deleted the node) — with
     * the bootstrap token and the node's own credential in the body, keeping what it answers (201;
     * 200 for a retry whose first answer was lost). 409: the name is held by a credential this node
     * does not have (an admin must delete the node).
     */
    Mono<Void> register(NodeRegistration registration) {
        Mono<Void> bootstrap = Mono.defer(() -> post(registration.withCredential(identity.ownCredential()), identity.bootstrapToken(), true));
        if (!identity.hasCredential()) {
            return bootstrap;
        }
        return post(registration, identity.bearer(), false)
                .onErrorResume(e -> e instanceof WebClientResponseException w && w.getStatusCode().value() == 401, e -> {
                    identity.revoked();
                    return bootstrap;
                });
    }

    private Mono<Void> post(NodeRegistration registration, String token, boolean bootstrap) {
        return web.post().uri("/api/v1/nodes").headers(h -> h.setBearerAuth(token)).bodyValue(registration)
                .retrieve().toEntity(String.class).timeout(REGISTRATION_TIMEOUT)
                .doOnNext(answer -> {
                    if (bootstrap) {
                        identity.save(json.readValue(answer.getBody(), NodeCredential.class));
                    }
                })
                .then();
    }

    Mono<Void> renewLease(NodeUsage usage) {
        return web.put().uri("/api/v1/nodes/{node}/lease", node).bodyValue(usage).retrieve().toBodilessEntity()
                .timeout(callTimeout).then();
    }

    /** The assignment watch; resumes after {@code lastEventId} when it is not null. */
    Flux<ServerSentEvent<String>> watch(String lastEventId) {
        return web.get().uri("/api/v1/nodes/{node}/assignments?watch=true", node)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(h -> {
                    if (lastEventId != null) {
                        h.set("Last-Event-ID", lastEventId);
                    }
                })
                .retrieve().bodyToFlux(SSE);
    }

    Mono<List<Route>> routes() {
        return web.get().uri("/api/v1/routes").retrieve().bodyToFlux(Route.class).collectList().timeout(callTimeout);
    }

    Mono<Void> status(UUID replica, ReplicaStatusReport report) {
        return web.put().uri("/api/v1/nodes/{node}/replicas/{id}/status", node, replica).bodyValue(report)
                .retrieve().toBodilessEntity().timeout(callTimeout).then();
    }

    /** Several status reports in one call; one result per report, in order. */
    Mono<ReplicaStatusResults> statuses(List<ReplicaStatusBatch.Item> reports) {
        return web.post().uri("/api/v1/nodes/{node}/status-reports", node).bodyValue(new ReplicaStatusBatch(reports))
                .retrieve().bodyToMono(ReplicaStatusResults.class).timeout(callTimeout);
    }

    Mono<Void> event(UUID replica, EventReport event) {
        return web.post().uri("/api/v1/nodes/{node}/replicas/{id}/events", node, replica).bodyValue(event)
                .retrieve().toBodilessEntity().timeout(callTimeout).then();
    }

    /**
     * A failed call in a few words, for a log line: the HTTP status with the problem's {@code detail}
     * when platform-api gave one (what to do about a 409, say; at most {@link #DETAIL_CHARS} printable
     * characters), else the innermost cause.
     */
    static String describe(Throwable e) {
        if (e instanceof WebClientResponseException w) {
            String detail = problemDetail(w.getResponseBodyAsString());
            return "HTTP " + w.getStatusCode().value() + (detail.isEmpty() ? "" : ": " + detail);
        }
        if (e instanceof java.util.concurrent.TimeoutException) {
            return "no answer in time";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message != null) {
            message = message.replaceFirst("^finishConnect\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", "");
        }
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    static final int DETAIL_CHARS = 300;
    private static final JsonMapper PROBLEMS = JsonMapper.builder().build();

    private static String problemDetail(String body) {
        if (body == null || !body.startsWith("{")) {
            return "";
        }
        try {
            String detail = PROBLEMS.readTree(body).path("detail").asString("");
            String printable = detail.replaceAll("\\p{Cntrl}", " ").strip();
            return printable.length() <= DETAIL_CHARS ? printable : printable.substring(0, DETAIL_CHARS) + "…";
        } catch (RuntimeException notJson) {
            return "";
        }
    }

    byte[] fetch(String digest) {
        return web.get().uri("/api/v1/modules/{digest}/content", digest).retrieve().bodyToMono(byte[].class)
                .timeout(Duration.ofSeconds(60))
                .retryWhen(Retry.backoff(3, Duration.ofMillis(500))
                        .filter(e -> !(e instanceof WebClientResponseException w && w.getStatusCode().is4xxClientError()))
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .blockOptional()
                .orElseThrow(() -> new IllegalStateException("empty body"));
    }
}
