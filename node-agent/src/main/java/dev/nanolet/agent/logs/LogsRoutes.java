package dev.nanolet.agent.logs;

import dev.nanolet.agent.web.Problems;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;
import reactor.core.publisher.Mono;

/**
 * {@code GET /_nanolet/v1/replicas/{id}/logs?tail=N&follow=true|false}: a replica's lines as
 * server-sent events whose data is LogLine JSON; only platform-api may call it, with the logs
 * token it issued to this node at registration (never the bootstrap token or a node credential). Another method on the
 * path is 405 ({@code web.NodeErrors} writes it).
 */
@Configuration(proxyBeanMethods = false)
class LogsRoutes {

    private static final int DEFAULT_TAIL = 100;
    private static final String PATH = "/_nanolet/v1/replicas/{id}/logs";

    @Bean
    RouterFunction<ServerResponse> replicaLogs(LogStore store, LogCallers callers) {
        return RouterFunctions.route().GET(PATH, req -> logs(req, store, callers))
                .route(RequestPredicates.path(PATH), req -> Mono.error(new MethodNotAllowedException(req.method(), Set.of(HttpMethod.GET))))
                .build();
    }

    private static Mono<ServerResponse> logs(ServerRequest req, LogStore store, LogCallers callers) {
        if (!callers.accepts(req.headers().firstHeader(HttpHeaders.AUTHORIZATION))) {
            return Problems.of(HttpStatus.UNAUTHORIZED, "the logs token platform-api issued to this node is required as Bearer", req.path());
        }
        UUID id;
        try {
            id = UUID.fromString(req.pathVariable("id"));
        } catch (IllegalArgumentException e) {
            return Problems.of(HttpStatus.BAD_REQUEST, "the replica id must be a UUID", req.path());
        }
        OptionalInt asked = req.queryParam("tail").map(store::tail).orElse(OptionalInt.of(DEFAULT_TAIL));
        if (asked.isEmpty()) {
            return Problems.of(HttpStatus.BAD_REQUEST, store.tailRule("tail"), req.path());
        }
        int tail = asked.getAsInt();
        boolean follow = req.queryParam("follow").map(Boolean::parseBoolean).orElse(false);
        return store.find(id)
                .map(buffer -> ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(BodyInserters.fromServerSentEvents(
                        buffer.read(tail, follow).map(line -> ServerSentEvent.builder(line).build()))))
                .orElseGet(() -> Problems.of(HttpStatus.NOT_FOUND, "no replica " + id + " on this node", req.path()));
    }
}
