package dev.nanolet.agent.web;

import dev.nanolet.wire.Problem;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node's answer to every error no handler answered itself: an unknown {@code /_nanolet/} or {@code /actuator/}
 * path (404), a wrong method (405 with {@code Allow}), an {@code Accept} or body the endpoint cannot serve, and any
 * failure nothing expected (500, the cause only in the node's log). All are problem+json like the node's other
 * answers; before, they were Spring's default error JSON. Ordered before Spring Boot's handler, which it replaces.
 * The data plane answers its own failures (a forwarded answer whose body fails before its first byte too), and a
 * module's responses are not errors, so neither passes here. Should an answer still fail before anything of it went
 * out, the problem replaces it, none of its fields kept.
 */
@Component
@Order(-2)
class NodeErrors implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(NodeErrors.class);
    private final JsonMapper json;

    NodeErrors(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        var response = exchange.getResponse();
        if (response.isCommitted() || DisconnectedClientHelper.isClientDisconnectedException(ex)) {
            return Mono.error(ex);
        }
        String path = exchange.getRequest().getPath().value();
        HttpStatus status = ex instanceof ErrorResponse e ? known(e.getStatusCode()) : HttpStatus.INTERNAL_SERVER_ERROR;
        response.getHeaders().clear(); // the failed answer's own (a relayed module's Set-Cookie, Cache-Control) are not the problem's
        response.getCookies().clear();
        if (ex instanceof ErrorResponse e) {
            response.getHeaders().addAll(e.getHeaders());
        }
        if (status.is5xxServerError()) {
            log.error("{} {} failed", exchange.getRequest().getMethod(), path, ex);
        }
        Problem problem = Problems.problem(status, detail(status, ex, path), path);
        return Problems.write(response, json, problem);
    }

    private static HttpStatus known(HttpStatusCode code) {
        HttpStatus status = HttpStatus.resolve(code.value());
        return status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status;
    }

    private static String detail(HttpStatus status, Throwable ex, String path) {
        if (ex instanceof MethodNotAllowedException m) {
            List<String> allowed = m.getSupportedMethods().stream().map(Object::toString).sorted().toList();
            return m.getHttpMethod() + " is not allowed on " + path + "; " + String.join(", ", allowed)
                    + (allowed.size() == 1 ? " is" : " are");
        }
        if (status == HttpStatus.NOT_FOUND) {
            return "the node has no endpoint " + path;
        }
        if (status.is5xxServerError()) {
            return "the node failed to answer (details in its log)";
        }
        String given = ex instanceof ErrorResponse e ? e.getBody().getDetail() : null;
        return given == null ? status.getReasonPhrase() : given;
    }
}
