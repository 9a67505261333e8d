package dev.nanolet.agent.http;

import java.net.URI;
import java.util.Set;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Sends a request one hop to the node that serves its route, marked {@code X-Nanolet-Forwarded: 1}
 * and with the client in {@code X-Forwarded-For}; bodies stream both ways.
 */
@Component
class Forwarder {

    static final String FORWARDED = "X-Nanolet-Forwarded";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "host", "content-length");
    private final WebClient web;

    Forwarder(WebClient.Builder builder) {
        this.web = builder.clone().build();
    }

    Mono<ServerResponse> forward(ServerRequest req, String address) {
        String query = req.uri().getRawQuery();
        URI target = URI.create(address + req.uri().getRawPath() + (query == null ? "" : "?" + query));
        return web.method(req.method()).uri(target)
                .headers(h -> {
                    copy(req.headers().asHttpHeaders(), h);
                    h.set(FORWARDED, "1");
                    req.remoteAddress().map(a -> a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress())
                            .ifPresent(client -> h.add("X-Forwarded-For", client));
                })
                .body(BodyInserters.fromDataBuffers(req.bodyToFlux(DataBuffer.class)))
                .retrieve()
                .onStatus(s -> true, r -> Mono.empty())
                .toEntityFlux(DataBuffer.class)
                .flatMap(e -> ServerResponse.status(e.getStatusCode())
                        .headers(h -> copy(e.getHeaders(), h))
                        .body(BodyInserters.fromDataBuffers(e.getBody())))
                .onErrorResume(ex -> Problems.of(HttpStatus.BAD_GATEWAY,
                        "cannot reach " + address + ": " + ex.getMessage(), req.path()));
    }

    private static void copy(HttpHeaders from, HttpHeaders to) {
        from.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                to.addAll(name, values);
            }
        });
    }
}
