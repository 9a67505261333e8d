package dev.nanolet.agent.http;

import dev.nanolet.agent.config.DataPlaneProperties;
import dev.nanolet.agent.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The largest request body this node takes ({@link DataPlaneProperties#maxRequestBytes()}), and its 413. A request that
 * declares more is refused before a byte of its body is read, whether it would run here ({@link CgiGateway}) or be forwarded
 * ({@link WorkloadHandler}): Reactor Netty sends the {@code 100 Continue} an {@code Expect: 100-continue} asks for only once
 * the body is read, so such a client is told at once and never sends it (as nginx's {@code client_max_body_size} does).
 */
@Component
class BodyLimit {

    private final int max;

    BodyLimit(DataPlaneProperties props) {
        this.max = (int) Math.min(Integer.MAX_VALUE - 8, props.maxRequestBytes().toBytes());
    }

    /** The limit in bytes. */
    int max() {
        return max;
    }

    /** Whether {@code req} declares a body ({@code Content-Length}) above the limit. */
    boolean declaredAbove(ServerRequest req) {
        return req.headers().contentLength().orElse(0) > max;
    }

    /** 413, and the connection is closed: the rest of the body is never read. */
    Mono<ServerResponse> tooLarge(ServerRequest req) {
        HttpStatus s = HttpStatus.CONTENT_TOO_LARGE;
        return Problems.builder(s).header(HttpHeaders.CONNECTION, "close")
                .bodyValue(Problems.problem(s, "request body above " + max + " bytes", req.path()));
    }
}
