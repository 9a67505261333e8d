package dev.nanolet.agent.http;

import dev.nanolet.agent.web.Problems;
import dev.nanolet.wire.RoutePath;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Serves a workload request: on a local replica through CGI, by forwarding one hop, or 404. The
 * request is routed, run and forwarded by its canonical path ({@link RoutePath#ofRequest}); a path
 * that has none answers 400, one of the node's own ({@link RoutePath#reserved}, e.g. {@code
 * //actuator/prometheus}, which Spring does not match to the endpoint) 404, more header fields than {@link HttpProperties#maxHeaders()} 431, a transfer coding other than {@code chunked} 501. A
 * request that finds no route, or whose route's node refuses it, fetches the route table once
 * ({@link MissRefresh}) and is routed again before it answers 404 or 502. A request to forward that declares a body above
 * this node's {@link BodyLimit} answers 413 here, before its body is read or anything is forwarded.
 */
@Component
class WorkloadHandler {

    private final Routing routing;
    private final Forwarder forwarder;
    private final CgiGateway cgi;
    private final MissRefresh refresh;
    private final BodyLimit limit;

    private final int maxHeaders;

    WorkloadHandler(Routing routing, Forwarder forwarder, CgiGateway cgi, MissRefresh refresh, BodyLimit limit, HttpProperties props) {
        this.maxHeaders = props.maxHeaders();
        this.limit = limit;
        this.routing = routing;
        this.forwarder = forwarder;
        this.cgi = cgi;
        this.refresh = refresh;
    }

    Mono<ServerResponse> handle(ServerRequest req) {
        return handle(req, false);
    }

    /** @param redirect whether {@code req} is a CGI local redirect of a guest of this node ({@link Forwarder#mayForward}) */
    private Mono<ServerResponse> handle(ServerRequest req, boolean redirect) {
        int fields = req.headers().asHttpHeaders().headerSet().stream().mapToInt(e -> e.getValue().size()).sum();
        if (fields > maxHeaders) {
            return afterBody(req, Problems.of(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "more than " + maxHeaders + " header fields", req.path()));
        }
        List<String> codings = req.headers().header(HttpHeaders.TRANSFER_ENCODING);
        if (!codings.isEmpty() && !HttpField.onlyChunked(codings)) {
            return afterBody(req, notImplemented(req, codings));
        }
        String path;
        try {
            path = RoutePath.ofRequest(req.path());
        } catch (RoutePath.InvalidPathException e) {
            return afterBody(req, Problems.of(HttpStatus.BAD_REQUEST, "the path " + e.getMessage(), req.path()));
        }
        if (RoutePath.reserved(path)) { // spelled so as to miss the node's own handlers (//actuator/…): never a route's, never forwarded
            return notFound(req, redirect);
        }
        boolean fromClient = Forwarder.hops(req) == 0;
        Routing.Target target = routing.resolve(path);
        if (target instanceof Routing.None && fromClient) {
            return again(req, path, redirect, () -> notFound(req, redirect));
        }
        return serve(req, path, target, Forwarder.mayForward(req, redirect), fromClient, redirect);
    }

    /**
     * @param mayRetry whether a refused forward may fetch the route table and route again (a client's request only)
     * @param redirect whether {@code req} is a guest's local redirect, whose miss is never marked {@link Forwarder#NO_ROUTE}
     */
    private Mono<ServerResponse> serve(ServerRequest req, String path, Routing.Target target, boolean mayForward, boolean mayRetry,
            boolean redirect) {
        return switch (target) {
            case Routing.Local l -> cgi.serve(req, path, l, next -> handle(next, true));
            case Routing.Remote r when mayForward && limit.declaredAbove(req) -> limit.tooLarge(req);
            case Routing.Remote r when mayForward -> forwarder.forward(req, path, r.address(), () -> mayRetry
                    ? again(req, path, redirect, () -> stale(req, r.address()))
                    : stale(req, r.address()));
            default -> notFound(req, redirect);
        };
    }

    /** Refreshes the route table (shared, rate-limited) and routes once more; {@code otherwise} if it was not fetched. */
    private Mono<ServerResponse> again(ServerRequest req, String path, boolean redirect, Supplier<Mono<ServerResponse>> otherwise) {
        return refresh.refresh().flatMap(fresh -> fresh ? serve(req, path, routing.resolve(path), true, false, redirect) : otherwise.get());
    }

    /**
     * 404. Only a miss of the request as it reached this node says {@link Forwarder#NO_ROUTE}: a guest chooses where its
     * local redirect goes, and a marked miss of it would make the node that forwarded the request take it for a route
     * table out of date, fetch the table and run the guest again.
     */
    private Mono<ServerResponse> notFound(ServerRequest req, boolean redirect) {
        var answer = Problems.builder(HttpStatus.NOT_FOUND);
        if (!redirect) {
            answer.header(Forwarder.NO_ROUTE, "1");
        }
        return afterBody(req, answer.bodyValue(Problems.problem(HttpStatus.NOT_FOUND, "no deployment serves " + req.path(), req.path())));
    }

    /**
     * {@code answer} once the request's body has been read to its end and dropped. Reactor Netty
     * 1.3.6 stops reading a kept-alive connection when a request that was queued behind the
     * previous, still finishing, response is answered within the call that hands it over (before
     * its end arrived): the client's next request then waits for its timeout (reactor/reactor-netty#4361).
     * Every answer that does not read the body waits for it here, which also keeps an unread body
     * from being taken for the next request.
     */
    private static Mono<ServerResponse> afterBody(ServerRequest req, Mono<ServerResponse> answer) {
        return req.bodyToFlux(DataBuffer.class).doOnNext(DataBufferUtils::release).then(answer);
    }

    /**
     * 501 for a request with a transfer coding other than {@code chunked} alone (RFC 9112 §6.1), before a guest runs or anything
     * is forwarded: the node cannot take such a coding off (forwarded, the field stays behind as hop-by-hop, and the next node
     * took the coded bytes for the body). Netty has refused one whose last coding is not {@code chunked}, or that has it twice,
     * already (400, the connection closed): its body's end is unknown (RFC 9112 §6.3). This one's chunks end it.
     */
    private static Mono<ServerResponse> notImplemented(ServerRequest req, List<String> codings) {
        String detail = "the transfer coding " + HttpField.printable(String.join(", ", codings)) + " is not supported; only chunked is";
        return Problems.of(HttpStatus.NOT_IMPLEMENTED, detail, req.path());
    }

    private static Mono<ServerResponse> stale(ServerRequest req, String address) {
        return Problems.of(HttpStatus.BAD_GATEWAY, address + " no longer serves " + req.path(), req.path());
    }
}
