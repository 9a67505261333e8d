package dev.nanolet.agent.http;

import dev.nanolet.agent.bindings.BindingPools;
import dev.nanolet.agent.bindings.Transaction;
import dev.nanolet.agent.config.DataPlaneProperties;
import dev.nanolet.agent.config.RuntimeProperties;
import dev.nanolet.agent.metrics.RequestMetrics;
import dev.nanolet.agent.replica.GuestPool;
import dev.nanolet.agent.replica.LocalReplica;
import dev.nanolet.agent.replica.Replicas;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.agent.web.Problems;
import dev.nanolet.wire.Assignment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs one request on a local replica as CGI: a bounded body read under a deadline, then a
 * concurrency slot of the deployment, a fresh instance on the guest pool, the guest's stdout
 * parsed as the response (only the fields {@link GuestHeaders} lets through, and never a
 * {@code Set-Cookie} of the dashboard's session cookie).
 */
@Component
class CgiGateway {

    private static final Logger log = LoggerFactory.getLogger(CgiGateway.class);

    private final GuestPool guests;
    private final Replicas replicas;
    private final RequestMetrics metrics;
    private final BodyLimit limit;
    private final int maxResponse;
    private final Duration bodyTimeout;
    private final Duration overrunGrace;
    private final BodyBudget budget;
    private final ResponseBudget responseBudget;
    private final DashboardCookie dashboardCookie;
    private final BindingPools bindings;

    CgiGateway(GuestPool guests, Replicas replicas, RequestMetrics metrics, DataPlaneProperties props, HttpProperties http,
            RuntimeProperties runtime, BodyLimit limit, BodyBudget budget, ResponseBudget responseBudget, DashboardCookie dashboardCookie,
            BindingPools bindings) {
        this.bindings = bindings;
        this.guests = guests;
        this.replicas = replicas;
        this.metrics = metrics;
        this.limit = limit;
        this.maxResponse = (int) Math.min(Integer.MAX_VALUE - 8, props.maxResponseBytes().toBytes());
        this.bodyTimeout = http.bodyTimeout();
        this.overrunGrace = runtime.overrunGrace();
        this.budget = budget;
        this.responseBudget = responseBudget;
        this.dashboardCookie = dashboardCookie;
    }

    /**
     * Reads the body whole, under {@link HttpProperties#bodyTimeout()} and before any slot is
     * taken (a client that is slow to send it holds its connection, never one of the
     * deployment's slots, and gets 408), then runs the request on the first replica with a free slot.
     * The body's bytes are reserved in the node's {@link BodyBudget} first (503 if they do not fit,
     * without reading them) and given back when the request ends, whichever way it ends. Every answer
     * counts in the deployment's {@link RequestMetrics}, those refused before a run too (every instance
     * busy, the node's body budget, a body too large or too slow): a deployment that sheds load shows it
     * in its errors, where only the runs' answers counted and a replica that answered 503 to a tenth of
     * its clients reported none. An answer counts for the deployment of the replica that ran the request,
     * one refused before a run for that of the replica tried first: the replicas of one route may belong
     * to several deployments (in the Kubernetes mode, pods of two workloads of one namespace that name the
     * same route), and a run on the second is not the first's.
     *
     * @param path the request's canonical path ({@link dev.nanolet.wire.RoutePath#ofRequest})
     * @param handler serves the request a CGI local redirect leads to (the whole data plane)
     */
    Mono<ServerResponse> serve(ServerRequest req, String path, Routing.Local target, Function<ServerRequest, Mono<ServerResponse>> handler) {
        long start = System.nanoTime();
        AtomicReference<Assignment> by = new AtomicReference<>(target.replicas().getFirst().assignment());
        return answer(req, path, target, handler, by).doOnNext(resp -> {
            Assignment a = by.get();
            metrics.record(a.namespace(), a.deployment(), resp.statusCode().value(), Duration.ofNanos(System.nanoTime() - start));
        });
    }

    /** @param by the assignment whose figures the answer counts in: set to the replica's that takes the request's slot */
    private Mono<ServerResponse> answer(ServerRequest req, String path, Routing.Local target, Function<ServerRequest, Mono<ServerResponse>> handler,
            AtomicReference<Assignment> by) {
        if (limit.declaredAbove(req)) {
            return limit.tooLarge(req);
        }
        BodyBudget.Reservation reservation = budget.reserve(req.headers().contentLength().orElse(0));
        if (reservation == null) {
            return overBudget(req);
        }
        return DataBufferUtils.join(req.bodyToFlux(DataBuffer.class).takeUntil(b -> !reservation.receive(b.readableByteCount())), limit.max())
                .map(CgiGateway::bytes)
                .defaultIfEmpty(new byte[0])
                .timeout(bodyTimeout, Mono.error(SlowBodyException::new))
                .flatMap(body -> reservation.overdrawn() ? overBudget(req) : onSlot(req, path, target, body, handler, by))
                .onErrorResume(DataBufferLimitException.class, e -> limit.tooLarge(req))
                .onErrorResume(SlowBodyException.class, e -> slowBody(req))
                .doFinally(s -> reservation.release());
    }

    /**
     * 503: the node holds as many body bytes as its budget allows. The connection is closed, since
     * what is left of the body is not read.
     */
    private Mono<ServerResponse> overBudget(ServerRequest req) {
        HttpStatus s = HttpStatus.SERVICE_UNAVAILABLE;
        return Problems.builder(s).header("Retry-After", "1").header(HttpHeaders.CONNECTION, "close").bodyValue(Problems.problem(s,
                "the node holds as many request bodies as it can (" + budget.capacity() + " bytes); try again", req.path()));
    }

    /** 408, and the connection is closed: what is left of the body must not be read as the next request. */
    private Mono<ServerResponse> slowBody(ServerRequest req) {
        HttpStatus s = HttpStatus.REQUEST_TIMEOUT;
        return Problems.builder(s).header(HttpHeaders.CONNECTION, "close").bodyValue(Problems.problem(s,
                "the request body did not arrive within " + bodyTimeout.toMillis() + " ms", req.path()));
    }

    /** The body did not arrive within the body timeout. */
    private static final class SlowBodyException extends RuntimeException {
        SlowBodyException() {
            super(null, null, false, false);
        }
    }

    private Mono<ServerResponse> onSlot(ServerRequest req, String path, Routing.Local target, byte[] body,
            Function<ServerRequest, Mono<ServerResponse>> handler, AtomicReference<Assignment> by) {
        for (LocalReplica replica : target.replicas()) {
            Optional<LocalReplica.Slot> slot = replica.trySlot();
            if (slot.isPresent()) {
                by.set(replica.assignment());
                return onSlot(req, path, target.route(), replica, slot.get(), body, handler);
            }
        }
        return Problems.busy("every instance of " + target.route() + " is busy", req.path());
    }

    /**
     * The slot is free once the guest has finished, before its answer (or a local redirect) goes
     * out: it is given back on the guest thread before the result is emitted, so a client's next
     * request on the same connection (or the redirect) never finds it still taken. It is also given
     * back if the run never reports (timeout, a full guest pool, cancellation), by the one
     * {@code doFinally} right after the run. Both ways close the same {@link LocalReplica.Slot},
     * which gives its permit back once, whichever closes it first.
     */
    private Mono<ServerResponse> onSlot(ServerRequest req, String path, String route, LocalReplica replica, LocalReplica.Slot slot,
            byte[] body, Function<ServerRequest, Mono<ServerResponse>> handler) {
        Assignment a = replica.assignment();
        Duration timeout = replica.timeout();
        var env = CgiEnvironment.of(cgiRequest(req, path, body.length), route);
        GuestOutput out = new GuestOutput(maxResponse, responseBudget.reserve(0));
        Transaction tx = bindings.open(a, timeout);
        return guests.call(replica.deploymentKey(), timeout, () -> run(replica, slot, env, body, out, tx))
                .timeout(timeout.plus(overrunGrace)) // the deadline and the grace the guest pool gives an overstaying run
                .doFinally(s -> slot.close())
                .flatMap(result -> tx.unavailable(succeeded(result, out))
                        .map(why -> Problems.of(HttpStatus.SERVICE_UNAVAILABLE, why, req.path()))
                        .orElseGet(() -> respond(req, replica, result, out, handler)))
                .onErrorResume(GuestPool.GuestPoolFullException.class, e -> Problems.busy(e.getMessage(), req.path()))
                .onErrorResume(TimeoutException.class, e -> Problems.of(HttpStatus.GATEWAY_TIMEOUT, "no answer within " + timeout.toMillis() + " ms", req.path()))
                .onErrorResume(e -> {
                    log.error("{} {} on {} failed", req.method(), req.path(), a.deployment(), e);
                    return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "the node failed to run the request", req.path());
                })
                .doFinally(s -> out.releaseUnlessWriting());
    }

    /**
     * Runs the guest in the request's transaction, which commits if the guest answered below 500
     * (docs/bindings.md), and frees the slot before the result goes on.
     */
    private static RunResult run(LocalReplica r, LocalReplica.Slot slot, Map<String, String> env, byte[] body, GuestOutput out,
            Transaction tx) throws Exception {
        try (slot; tx) {
            RunResult result = r.invoke(env, body, out, tx);
            tx.end(succeeded(result, out));
            return result;
        }
    }

    /** The guest exited 0 and wrote a well-formed response below 500 that fits. */
    private static boolean succeeded(RunResult result, GuestOutput out) {
        if (!result.succeeded() || out.overflowed()) {
            return false;
        }
        try {
            return CgiResponse.parse(out).status() < 500;
        } catch (CgiResponse.MalformedException e) {
            return false;
        }
    }

    private Mono<ServerResponse> respond(ServerRequest req, LocalReplica r, RunResult result, GuestOutput out,
            Function<ServerRequest, Mono<ServerResponse>> handler) {
        if (out.refused()) {
            return Problems.busy("the node holds as many response bytes as it can (" + responseBudget.capacity() + " bytes beyond the first "
                    + GuestOutput.UNCOUNTED + " of each); try again", req.path());
        }
        if (out.overflowed()) {
            return Problems.of(HttpStatus.BAD_GATEWAY, "response above " + maxResponse + " bytes", req.path());
        }
        return switch (result.outcome()) {
            case TIMEOUT -> Problems.of(HttpStatus.GATEWAY_TIMEOUT, result.message(), req.path());
            case TRAP, MEMORY_LIMIT -> {
                replicas.warn(r, result.outcome() == RunResult.Outcome.TRAP ? "Trap" : "MemoryLimit",
                        req.method() + " " + req.path() + ": " + result.message());
                yield Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, result.message(), req.path());
            }
            case NODE_MEMORY -> {
                replicas.warn(r, "NodeMemory", req.method() + " " + req.path() + ": " + result.message());
                yield Problems.busy(result.message() + "; try again", req.path());
            }
            case EXITED -> cgi(req, r, out, handler);
        };
    }

    /**
     * The module's answer, framed by the node from its own count of the body: a {@code Content-Length} the module
     * declares reaches the client when it is true, and is replaced by the count when it is not (a module that
     * counts wrong loses nothing, and no client ever reads past or short of the body). An answer to {@code HEAD}
     * without body keeps the module's, the length its {@code GET} answer would have (RFC 9110 §8.6).
     */
    private Mono<ServerResponse> cgi(ServerRequest req, LocalReplica r, GuestOutput out, Function<ServerRequest, Mono<ServerResponse>> handler) {
        CgiResponse cgi;
        try {
            cgi = CgiResponse.parse(out);
        } catch (CgiResponse.MalformedException e) {
            replicas.warn(r, "BadResponse", req.method() + " " + req.path() + ": malformed CGI response: " + e.getMessage());
            return Problems.of(HttpStatus.BAD_GATEWAY, "malformed CGI response: " + e.getMessage(), req.path());
        }
        if (cgi.localRedirect() != null) {
            return LocalRedirects.follow(req, cgi.localRedirect(), handler);
        }
        List<DataBuffer> body = body(out, cgi.bodyOffset());
        int length = out.length() - cgi.bodyOffset();
        return ServerResponse.status(cgi.status())
                .headers(h -> {
                    GuestHeaders.toClient(cgi.headers()).stream()
                            .filter(e -> !dashboardCookie.isSetBy(e.getKey(), e.getValue()) || refused(req, r, e.getValue()))
                            .forEach(e -> h.add(e.getKey(), e.getValue()));
                    if (body.size() > 1) { // one buffer gets its Content-Length from the server; several would go out chunked
                        h.setContentLength(length);
                    } else if (length == 0 && req.method().equals(HttpMethod.HEAD)) {
                        cgi.contentLength().ifPresent(h::setContentLength);
                    }
                })
                .body(writing(out, body));
    }

    /**
     * Writes {@code body} (the output's chunks) and gives the output's reservation back once the
     * write has ended, whichever way: not once the chunks are handed to the server, which takes up to
     * 128 of them (8 MiB) at once and holds them for as long as a slow client takes to read.
     */
    static BodyInserter<Void, ReactiveHttpOutputMessage> writing(GuestOutput out, List<DataBuffer> body) {
        out.writing();
        return (message, context) -> message.writeWith(body.size() == 1 ? Mono.just(body.getFirst()) : Flux.fromIterable(body))
                .doFinally(s -> out.release());
    }

    /** The output's chunks from {@code offset} on, each wrapped in place (never copied). */
    static List<DataBuffer> body(GuestOutput out, int offset) {
        List<byte[]> chunks = out.chunks();
        List<DataBuffer> body = new ArrayList<>(chunks.size());
        int skipped = 0;
        for (int i = 0; i < chunks.size(); i++) {
            int used = out.used(i);
            int from = Math.max(0, offset - skipped);
            if (from < used) {
                body.add(DefaultDataBufferFactory.sharedInstance.wrap(ByteBuffer.wrap(chunks.get(i), from, used - from)));
            }
            skipped += used;
        }
        if (body.isEmpty()) { // no body: one empty buffer, written as before (its Content-Length 0 set by the server)
            body.add(DefaultDataBufferFactory.sharedInstance.wrap(new byte[0]));
        }
        return body;
    }

    /** Warns that the module tried to set the dashboard's session cookie; always false (the field is dropped). */
    private boolean refused(ServerRequest req, LocalReplica r, String setCookie) {
        replicas.warn(r, "CookieRefused", req.method() + " " + req.path() + ": Set-Cookie of the dashboard's session cookie "
                + dashboardCookie.name() + " (or a nameless one, which a browser sends back as its value alone) dropped");
        return false;
    }

    private static byte[] bytes(DataBuffer b) {
        byte[] bytes = new byte[b.readableByteCount()];
        b.read(bytes);
        DataBufferUtils.release(b);
        return bytes;
    }

    private static CgiEnvironment.Request cgiRequest(ServerRequest req, String path, int length) {
        String host = req.headers().firstHeader("Host");
        int localPort = req.localAddress().map(InetSocketAddress::getPort).orElse(req.uri().getPort());
        String remote = ClientAddress.of(req).orElse("");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        req.headers().asHttpHeaders().forEach(headers::put);
        return new CgiEnvironment.Request(req.method().name(), path, req.uri().getRawQuery(), headers,
                remote, CgiEnvironment.serverName(host), CgiEnvironment.serverPort(host, localPort), length);
    }
}
