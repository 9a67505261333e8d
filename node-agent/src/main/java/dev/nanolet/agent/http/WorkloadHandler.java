package dev.nanolet.agent.http;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** Serves a workload request: on a local replica through CGI, by forwarding one hop, or 404. */
@Component
class WorkloadHandler {

    private final Routing routing;
    private final Forwarder forwarder;
    private final CgiGateway cgi;

    WorkloadHandler(Routing routing, Forwarder forwarder, CgiGateway cgi) {
        this.routing = routing;
        this.forwarder = forwarder;
        this.cgi = cgi;
    }

    Mono<ServerResponse> handle(ServerRequest req) {
        boolean forwarded = req.headers().firstHeader(Forwarder.FORWARDED) != null;
        return switch (routing.resolve(req.path())) {
            case Routing.Local l -> cgi.serve(req, l, this::handle);
            case Routing.Remote r when !forwarded -> forwarder.forward(req, r.address());
            default -> Problems.of(HttpStatus.NOT_FOUND, "no deployment serves " + req.path(), req.path());
        };
    }
}
