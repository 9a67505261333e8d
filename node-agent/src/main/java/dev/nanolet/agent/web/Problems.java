package dev.nanolet.agent.web;

import dev.nanolet.wire.Problem;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** RFC 9457 answers of the data plane and the node's own endpoints (logs, dashboard): the one place that shapes them. */
public final class Problems {

    private Problems() {}

    public static Mono<ServerResponse> of(HttpStatus status, String detail, String instance) {
        return builder(status).bodyValue(problem(status, detail, instance));
    }

    public static Problem problem(HttpStatus status, String detail, String instance) {
        return new Problem("about:blank", status.getReasonPhrase(), status.value(), detail, instance, List.of());
    }

    public static ServerResponse.BodyBuilder builder(HttpStatus status) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /** Writes {@code problem} as the whole answer, for the node's filters and error handler, which have no handler's response. */
    public static Mono<Void> write(ServerHttpResponse response, JsonMapper json, Problem problem) {
        response.setStatusCode(HttpStatus.valueOf(problem.status()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(json.writeValueAsBytes(problem))));
    }

    public static Mono<ServerResponse> busy(String detail, String instance) {
        HttpStatus s = HttpStatus.SERVICE_UNAVAILABLE;
        return builder(s).header("Retry-After", "1").bodyValue(problem(s, detail, instance));
    }
}
