package dev.nanolet.agent.http;

import dev.nanolet.agent.config.DataPlaneProperties;
import dev.nanolet.agent.metrics.RequestMetrics;
import dev.nanolet.agent.replica.GuestPool;
import dev.nanolet.agent.replica.LocalReplica;
import dev.nanolet.agent.replica.Replicas;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.wire.Assignment;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Runs one request on a local replica as CGI: bounded body, a concurrency slot of the deployment,
 * a fresh instance on the guest pool, the guest's stdout parsed as the response.
 */
@Component
class CgiGateway {

    private final GuestPool guests;
    private final Replicas replicas;
    private final RequestMetrics metrics;
    private final int maxBody;
    private final int maxResponse;

    CgiGateway(GuestPool guests, Replicas replicas, RequestMetrics metrics, DataPlaneProperties props) {
        this.guests = guests;
        this.replicas = replicas;
        this.metrics = metrics;
        this.maxBody = (int) Math.min(Integer.MAX_VALUE - 8, props.maxRequestBytes().toBytes());
        this.maxResponse = (int) Math.min(Integer.MAX_VALUE - 8, props.maxResponseBytes().toBytes());
    }

    /**
     * @param handler serves the request a CGI local redirect leads to (the whole data plane)
     */
    Mono<ServerResponse> serve(ServerRequest req, Routing.Local target, Function<ServerRequest, Mono<ServerResponse>> handler) {
        if (req.headers().contentLength().orElse(0) > maxBody) {
            return tooLarge(req);
        }
        LocalReplica replica = target.replicas().stream().filter(r -> r.slots().tryAcquire()).findFirst().orElse(null);
        if (replica == null) {
            return Problems.busy("every instance of " + target.route() + " is busy", req.path());
        }
        Runnable release = once(replica.slots()::release);
        long start = System.nanoTime();
        Assignment a = replica.assignment();
        Duration timeout = Duration.ofMillis(a.spec().limits().timeoutMs());
        return DataBufferUtils.join(req.bodyToFlux(DataBuffer.class), maxBody)
                .map(CgiGateway::bytes)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    var env = CgiEnvironment.of(cgiRequest(req, body.length), target.route(), a.spec().env());
                    GuestOutput out = new GuestOutput(maxResponse);
                    return guests.call(timeout, () -> run(replica, env, body, out))
                            .timeout(timeout.plusSeconds(2))
                            .doFinally(s -> release.run())
                            .flatMap(result -> respond(req, replica, result, out, handler));
                })
                .onErrorResume(DataBufferLimitException.class, e -> tooLarge(req))
                .onErrorResume(GuestPool.GuestPoolFullException.class, e -> Problems.busy(e.getMessage(), req.path()))
                .onErrorResume(TimeoutException.class, e -> Problems.of(HttpStatus.GATEWAY_TIMEOUT, "no answer within " + timeout.toMillis() + " ms", req.path()))
                .onErrorResume(e -> !(e instanceof DataBufferLimitException), e -> Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "the node failed to run the request", req.path()))
                .doOnNext(resp -> metrics.record(a.namespace(), a.deployment(), resp.statusCode().value(), Duration.ofNanos(System.nanoTime() - start)))
                .doFinally(s -> release.run());
    }

    private static RunResult run(LocalReplica r, Map<String, String> env, byte[] body, GuestOutput out) throws Exception {
        Assignment a = r.assignment();
        try (OutputStream err = r.logs().stream("stderr")) {
            return r.module().run(new Invocation(List.of(a.deployment()), env, new ByteArrayInputStream(body), out, err,
                    a.spec().limits().memoryMiB(), Duration.ofMillis(a.spec().limits().timeoutMs()), List.of()));
        }
    }

    /** The slot is free once the guest has finished, before its answer (or a local redirect) goes out. */
    private static Runnable once(Runnable release) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                release.run();
            }
        };
    }

    private Mono<ServerResponse> respond(ServerRequest req, LocalReplica r, RunResult result, GuestOutput out,
            Function<ServerRequest, Mono<ServerResponse>> handler) {
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
            case EXITED -> cgi(req, out, handler);
        };
    }

    private static Mono<ServerResponse> cgi(ServerRequest req, GuestOutput out, Function<ServerRequest, Mono<ServerResponse>> handler) {
        CgiResponse cgi;
        try {
            cgi = CgiResponse.parse(out.buffer(), out.length());
        } catch (CgiResponse.MalformedException e) {
            return Problems.of(HttpStatus.BAD_GATEWAY, "malformed CGI response: " + e.getMessage(), req.path());
        }
        if (cgi.localRedirect() != null) {
            return LocalRedirects.follow(req, cgi.localRedirect(), handler);
        }
        DataBuffer body = DefaultDataBufferFactory.sharedInstance.wrap(
                ByteBuffer.wrap(out.buffer(), cgi.bodyOffset(), out.length() - cgi.bodyOffset()));
        return ServerResponse.status(cgi.status())
                .headers(h -> cgi.headers().stream()
                        .filter(e -> !e.getKey().equalsIgnoreCase("Content-Length"))
                        .forEach(e -> h.add(e.getKey(), e.getValue())))
                .body(BodyInserters.fromDataBuffers(Mono.just(body)));
    }

    private Mono<ServerResponse> tooLarge(ServerRequest req) {
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "request body above " + maxBody + " bytes", req.path());
    }

    private static byte[] bytes(DataBuffer b) {
        byte[] bytes = new byte[b.readableByteCount()];
        b.read(bytes);
        DataBufferUtils.release(b);
        return bytes;
    }

    private static CgiEnvironment.Request cgiRequest(ServerRequest req, int length) {
        String host = req.headers().firstHeader("Host");
        int localPort = req.localAddress().map(InetSocketAddress::getPort).orElse(req.uri().getPort());
        String remote = req.remoteAddress().map(a -> a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()).orElse("");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        req.headers().asHttpHeaders().forEach(headers::put);
        return new CgiEnvironment.Request(req.method().name(), req.path(), req.uri().getRawQuery(), headers,
                remote, CgiEnvironment.serverName(host), CgiEnvironment.serverPort(host, localPort), length);
    }
}
