package dev.nanolet.agent.web;

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
 * Answers a request whose target Spring cannot take as HTTP/1.1 means it ({@link TargetVerdict}): one that is no URI, one
 * in no form HTTP/1.1 allows, a {@code CONNECT}, each with problem+json like the node's other 4xx, and {@code OPTIONS *}
 * with 200 and no body. Spring's HTTP adapter answered the first itself, before any filter or {@link NodeErrors}, with a
 * bare 400 without body, and read part of the second as the request's host. It answers a request whose {@code Host} fields
 * {@link RequestHosts} refused with 400 problem+json too. Spring Boot puts the Spring handler after every
 * {@link NettyRouteProvider}'s routes, so this route sees the request first, and Reactor Netty answers it as it answers any
 * other (keep-alive, pipelined requests).
 */
@Component
class RequestTargets implements NettyRouteProvider {

    private final JsonMapper json;

    RequestTargets(JsonMapper json) {
        this.json = json;
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        return routes.route(req -> RequestHosts.verdict(req.requestHeaders()) != HostVerdict.PASSED
                || TargetVerdict.of(req.method(), req.uri()) != TargetVerdict.PASSED, this::answer);
    }

    /** A refused target is answered as such whatever the {@code Host} (a {@code CONNECT} is 405 with any), a refused {@code Host} else. */
    private Publisher<Void> answer(HttpServerRequest req, HttpServerResponse res) {
        TargetVerdict verdict = TargetVerdict.of(req.method(), req.uri());
        HostVerdict host = RequestHosts.verdict(req.requestHeaders());
        if (host != HostVerdict.PASSED && (verdict == TargetVerdict.PASSED || verdict == TargetVerdict.SERVER_OPTIONS)) {
            return problem(res, HttpStatus.BAD_REQUEST, host.detail);
        }
        if (verdict == TargetVerdict.SERVER_OPTIONS) {
            return res.status(verdict.status.value()).header(HttpHeaders.CONTENT_LENGTH, "0").send();
        }
        if (verdict == TargetVerdict.NO_TUNNEL) {
            res.header(HttpHeaders.ALLOW, "");
        }
        return problem(res, verdict.status, verdict.detail);
    }

    private Publisher<Void> problem(HttpServerResponse res, HttpStatus status, String detail) {
        byte[] problem = json.writeValueAsBytes(Problems.problem(status, detail, null));
        return res.status(status.value()).header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                .sendByteArray(Mono.just(problem));
    }
}
