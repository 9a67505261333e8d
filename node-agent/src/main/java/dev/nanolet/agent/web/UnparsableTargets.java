package dev.nanolet.agent.web;

import java.net.URI;
import java.net.URISyntaxException;
import org.reactivestreams.Publisher;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a request whose target is no URI (a literal {@code \}, a broken escape such as {@code %zz} or a lone {@code %})
 * with 400 problem+json, like the node's other 4xx. Spring's HTTP adapter cannot make such a request its
 * {@code ServerHttpRequest} and answered it itself, before any filter or {@link NodeErrors}: a bare 400 without body.
 * Spring Boot puts the Spring handler after every {@link NettyRouteProvider}'s routes, so this route sees the request
 * first, and Reactor Netty answers it as it answers any other (keep-alive, pipelined requests).
 *
 * <p>Only a target in origin form (starting with {@code /}, what every client but a proxy sends) is checked, parsed as
 * Spring parses it, behind a scheme and host; any other form is left to Spring as before.
 */
@Component
class UnparsableTargets implements NettyRouteProvider {

    private final JsonMapper json;

    UnparsableTargets(JsonMapper json) {
        this.json = json;
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        return routes.route(UnparsableTargets::unparsable, this::refuse);
    }

    static boolean unparsable(HttpServerRequest req) {
        if (!req.uri().startsWith("/")) {
            return false;
        }
        try {
            new URI("http://localhost" + req.uri());
            return false;
        } catch (URISyntaxException e) {
            return true;
        }
    }

    private Publisher<Void> refuse(HttpServerRequest req, HttpServerResponse res) {
        HttpStatus status = HttpStatus.BAD_REQUEST;
        byte[] problem = json.writeValueAsBytes(Problems.problem(status,
                "the request target is not a URI (a literal \\, a broken %-escape or another character no URI holds)", null));
        return res.status(status.value()).header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                .sendByteArray(Mono.just(problem));
    }
}
