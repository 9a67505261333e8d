package dev.nanolet.agent.http;

import dev.nanolet.agent.web.Problems;
import java.net.URI;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * CGI local redirects (RFC 3875 §6.2.2): the node answers as it would a GET of the new path and
 * query, on this node or forwarded, with the client's other headers and no body. A chain longer
 * than {@link #MAX} is a module error (502), not an endless loop.
 */
final class LocalRedirects {

    static final int MAX = 5;
    private static final String COUNT = LocalRedirects.class.getName() + ".count";

    private LocalRedirects() {}

    static Mono<ServerResponse> follow(ServerRequest req, URI location, Function<ServerRequest, Mono<ServerResponse>> handler) {
        int count = (int) req.attribute(COUNT).orElse(0);
        if (count >= MAX) {
            return Problems.of(HttpStatus.BAD_GATEWAY, "more than " + MAX + " CGI local redirects, the last to " + location, req.path());
        }
        ServerRequest next = ServerRequest.from(req)
                .method(HttpMethod.GET)
                .uri(req.uri().resolve(location))
                .headers(h -> {
                    h.remove(HttpHeaders.CONTENT_LENGTH);
                    h.remove(HttpHeaders.CONTENT_TYPE);
                    h.remove(HttpHeaders.TRANSFER_ENCODING);
                })
                .body("")
                .attribute(COUNT, count + 1)
                .build();
        return handler.apply(next);
    }
}
