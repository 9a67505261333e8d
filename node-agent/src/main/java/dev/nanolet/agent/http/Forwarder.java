package dev.nanolet.agent.http;

import dev.nanolet.agent.web.Problems;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.URI;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

/**
 * Sends a request one hop to the node that serves its route, marked {@code X-Nanolet-Forwarded} and
 * with the client in {@code X-Forwarded-For}; bodies stream both ways, as they are (never compressed
 * nor inflated: {@link ForwardingHttp}). The client's {@code Host} goes on, so the guest sees the
 * {@code HTTP_HOST}, {@code SERVER_NAME} and {@code SERVER_PORT} it would have seen on the node the
 * client reached: the client chooses its {@code Host} either way, so nothing is trusted that was not
 * before. Hop-by-hop fields ({@link HopByHop}) stay behind. The body keeps the framing its client chose, so the serving
 * node reads it as it would have from the client (a length it can refuse before reading, its body budget reserved up
 * front): a {@code Content-Length} goes on with the body, a chunked body goes on chunked, and a request with neither
 * goes on without body (before, every body went out chunked, and a {@code GET} with an empty chunked one).
 *
 * <p>The answer keeps its node's {@code Content-Length}, so a client sees its size (a download's progress, an
 * HTTP/1.0 proxy): its body passes on byte for byte, so the length stays true. Netty's decoder has made the field
 * safe to pass on: it is one decimal number, never beside a {@code Transfer-Encoding} (RFC 9112 §6.3; Netty refuses one
 * beside {@code chunked}, {@link #relay} any other; either fails the answer: 502), exactly that many bytes are read into
 * the answer and never one more, and a node that hangs up short of them fails the body after the client has had the
 * header section; the server then closes the client's connection mid-body, so the client sees a short message, never
 * one it could take for whole. A 204 goes out without it (RFC 9110 §8.6); an answer to {@code HEAD} keeps it, without a body.
 * The answer is handed over only once its body starts (or ends, empty): a node that hangs up, or falls silent, after its
 * header section and before any body fails the forward like any other, 502 or 504, with nothing of its answer.
 *
 * <p>The marker counts hops: {@code 1} on a request forwarded once, {@code 2} on a CGI local redirect
 * that a forwarded request led to and that was forwarded once more ({@link #mayForward}). It is not
 * authenticated: a client that sends it only takes forwarding away from its own request.
 */
@Component
class Forwarder {

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    static final String FORWARDED = "X-Nanolet-Forwarded";
    /** On the node's own 404: no route matched, as opposed to a workload that answered 404. */
    static final String NO_ROUTE = "X-Nanolet-No-Route";
    private final WebClient web;

    Forwarder(WebClient.Builder builder, @Qualifier(ForwardingHttp.CONNECTOR) ClientHttpConnector forwardingConnector) {
        this.web = builder.clone().clientConnector(forwardingConnector).build();
    }

    /** Hops {@code req} has made: 0 from a client, else the marker's count (any value but {@code 1} counts as the last). */
    static int hops(ServerRequest req) {
        String marker = req.headers().firstHeader(FORWARDED);
        return marker == null ? 0 : marker.equals("1") ? 1 : 2;
    }

    /**
     * Whether {@code req} may go on to another node: a client's request may, and so may a CGI local redirect
     * that a request forwarded once led to (docs/node-agent.md promises redirects are followed "locally or
     * forwarded", and only the node that ran the guest knows the redirect). Never more than two hops, so
     * guests that redirect to each other across nodes cannot bounce a request for ever.
     */
    static boolean mayForward(ServerRequest req, boolean redirect) {
        int hops = hops(req);
        return hops == 0 || hops == 1 && redirect;
    }

    /**
     * @param path the canonical path the request was routed by, which the next node routes by too
     * @param stale answers instead when {@code address} refuses the connection or does not take it within
     *     {@link ForwardingProperties#connectTimeout()}, or (for a request
     *     without body) answers that it serves no such route: the route table is out of date. A node that sends no
     *     answer within {@link ForwardingProperties#responseTimeout()} answers 504; no free connection, 503.
     */
    Mono<ServerResponse> forward(ServerRequest req, String path, String address, Supplier<Mono<ServerResponse>> stale) {
        String query = req.uri().getRawQuery();
        URI target = URI.create(address + path + (query == null ? "" : "?" + query));
        WebClient.RequestBodySpec request = web.method(req.method()).uri(target)
                .headers(h -> {
                    copy(req.headers().asHttpHeaders(), h);
                    h.set(FORWARDED, Integer.toString(hops(req) + 1));
                    ClientAddress.of(req).ifPresent(client -> h.add("X-Forwarded-For", client));
                });
        return (framed(req) ? request.body(BodyInserters.fromDataBuffers(req.bodyToFlux(DataBuffer.class))) : request)
                .retrieve()
                .onStatus(s -> true, r -> Mono.empty())
                .toEntityFlux(DataBuffer.class)
                .flatMap(e -> noRoute(e, req)
                        ? e.getBody().doOnNext(DataBufferUtils::release).then(Mono.defer(stale))
                        : relay(e, req.method() == HttpMethod.HEAD))
                .onErrorResume(Forwarder::refused, ex -> stale.get())
                .onErrorResume(ex -> causedBy(ex, ReadTimeoutException.class), ex -> Problems.of(HttpStatus.GATEWAY_TIMEOUT,
                        address + " did not answer in time", req.path()))
                .onErrorResume(ex -> causedBy(ex, PoolAcquireTimeoutException.class), ex -> Problems.busy(
                        "every connection to other nodes is taken; try again", req.path()))
                .onErrorResume(ex -> failed(req, address, ex));
    }

    /**
     * The serving node's answer as it goes to the client, unless it is one no client may get (a {@link BrokenAnswer}, 502):
     * an interim status (the forwarded request asks for no upgrade, and Reactor Netty takes a {@code 100 Continue} itself;
     * relayed, a 101 told the client its connection had switched protocols, and after a 103 it waited for ever), or a
     * {@code Content-Length} beside a {@code Transfer-Encoding} (RFC 9112 §6.3; Netty refuses one beside {@code chunked} itself),
     * or a transfer coding other than {@code chunked} alone: Netty takes the chunks off {@code gzip, chunked} and reads a
     * {@code gzip} answer to the connection's end, and relayed (the field is hop-by-hop) the client took its coded bytes for the body.
     * An answer to {@code HEAD}, a 204 or a 304 has no body whatever those fields say (RFC 9112 §6.3), so they are no fault there.
     *
     * <p>An answer whose node closes its connection after it ({@code Connection: close}, which stays behind as hop-by-hop) closes
     * the client's too: the serving node does so when it has not read the whole body (a 408, a 413, a 503 of its body budget),
     * and this node, which passes the body on as it comes, would otherwise read the rest of it for nothing, as slowly as the
     * client sends it, before the connection's next request.
     *
     * <p>The answer is given once its body's first signal has come, which the server would wait for anyway before it sends the
     * header section: a body that fails before its first byte fails the forward ({@link #failed}), where it had reached the
     * node's error handler (500) with the answer already handed over. Nothing is held but that first buffer.
     */
    private static Mono<ServerResponse> relay(ResponseEntity<Flux<DataBuffer>> e, boolean toHead) {
        HttpHeaders h = e.getHeaders();
        String broken = e.getStatusCode().is1xxInformational() ? "an interim status, " + e.getStatusCode().value() + ", as its answer"
                : HttpField.framingFault(h.getOrDefault(HttpHeaders.TRANSFER_ENCODING, List.of()), h.getFirst(HttpHeaders.CONTENT_LENGTH) != null,
                        toHead, e.getStatusCode().value());
        if (broken != null) {
            return e.getBody().doOnNext(DataBufferUtils::release).then(Mono.error(new BrokenAnswer(broken)));
        }
        return e.getBody().switchOnFirst((first, body) -> first.isOnError() ? Mono.error(unfinished(first.getThrowable()))
                : ServerResponse.status(e.getStatusCode()).headers(to -> {
                    copy(h, to);
                    if (HopByHop.closes(h.asMultiValueMap())) {
                        to.set(HttpHeaders.CONNECTION, "close");
                    }
                }).body(BodyInserters.fromDataBuffers(body)), false)
                .single();
    }

    /**
     * A failure of an answer's body before its first byte: a hang-up then ended an answer whose header section was whole,
     * so it is one "before its answer was whole", not "without answering" as Reactor Netty's exception would say.
     */
    private static Throwable unfinished(Throwable e) {
        return causedBy(e, PrematureCloseException.class) ? new PrematureChannelClosureException("after the header section", e) : e;
    }

    /**
     * 502 naming the node and what went wrong: an answer that is none ({@link BrokenAnswer}), a connection closed before the
     * answer was whole (Netty's decoder had part of its header section, or {@link #relay} all of it and none of its body) or
     * before any of it (Reactor Netty's), else that
     * the node cannot be reached. Nothing of the answer goes to the client, and
     * the reason (Netty's or the JDK's text) goes to the log only.
     */
    private static Mono<ServerResponse> failed(ServerRequest req, String address, Throwable e) {
        log.warn("forwarding {} {} to {} failed", req.method(), req.path(), address, e);
        String what = causedBy(e, BrokenAnswer.class) ? address + " sent a malformed answer"
                : causedBy(e, PrematureChannelClosureException.class) ? address + " closed the connection before its answer was whole"
                : causedBy(e, PrematureCloseException.class) ? address + " closed the connection without answering"
                : "cannot reach " + address;
        return Problems.of(HttpStatus.BAD_GATEWAY, what + " (the node's log has the details)", req.path());
    }

    private static boolean noRoute(ResponseEntity<?> e, ServerRequest req) {
        boolean bodyless = req.headers().contentLength().orElse(0) == 0 && req.headers().firstHeader(HttpHeaders.TRANSFER_ENCODING) == null;
        return bodyless && e.getStatusCode().value() == 404 && e.getHeaders().getFirst(NO_ROUTE) != null;
    }

    /** Refused, or not taken within the connect timeout (Netty's {@code ConnectTimeoutException} is a {@code ConnectException}). */
    private static boolean refused(Throwable e) {
        return causedBy(e, java.net.ConnectException.class);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code req} has a body to pass on: it declares a length (0 too, kept as it is) or is chunked
     * ({@code Transfer-Encoding} stays behind as hop-by-hop, so Reactor Netty chunks it again). A request with neither has
     * none (RFC 9112 §6.3) and goes on with neither.
     */
    private static boolean framed(ServerRequest req) {
        HttpHeaders h = req.headers().asHttpHeaders();
        return h.getContentLength() >= 0 || h.getFirst(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    /**
     * Every field of {@code from} but the hop-by-hop ones. Its {@code Content-Length} goes on as the number Netty read the
     * body by ({@code 011} as {@code 11}: a parser that takes a leading 0 for octal would read 9), which Reactor Netty then
     * frames the body by, as it came.
     */
    private static void copy(HttpHeaders from, HttpHeaders to) {
        Predicate<String> hopByHop = HopByHop.in(from.asMultiValueMap());
        from.forEach((name, values) -> {
            if (!hopByHop.test(name)) {
                to.addAll(name, values);
            }
        });
        if (to.getContentLength() >= 0) {
            to.setContentLength(to.getContentLength());
        }
    }
}
