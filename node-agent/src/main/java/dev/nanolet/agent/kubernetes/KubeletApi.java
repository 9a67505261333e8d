package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.logs.LogStore;
import dev.nanolet.wire.LogLine;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The kubelet API this node serves on {@code NANOLET_KUBELET_PORT} over TLS, as much of it as a Wasm node
 * has: {@code GET /containerLogs/{namespace}/{pod}/{container}?tailLines=N&follow=true&timestamps=true}
 * (what the API server calls for {@code kubectl logs}) and {@code /healthz}; {@code exec}, {@code attach}
 * and {@code portForward} answer 501 with a clear message. Every request is authenticated first ({@link KubeletAuth}):
 * the API server's client certificate or the configured bearer token.
 *
 * <p>Its listener holds connections as the data plane's does: {@code limits} gives it the node's idle timeout and header
 * limit ({@code http.ListenerSettings}), and a TLS handshake not done within {@link #HANDSHAKE_TIMEOUT} is dropped. The
 * idle timeout runs between requests, not during an answer, so a followed log stays open while its pod is quiet.
 */
final class KubeletApi implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KubeletApi.class);
    /**
     * A connection that has not completed its TLS handshake by then is closed, silent or sending a byte now and then. The
     * idle timeout cannot stand in for it: it starts only once the handshake is done. It is Reactor Netty's default,
     * stated here so that no JVM-wide {@code reactor.netty.tcp.sslHandshakeTimeout} changes it.
     */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private final KubernetesProperties props;
    private final String nodeName;
    private final PodNames pods;
    private final LogStore logs;
    private final Clock clock;
    private final KubeletAuth auth;
    private final UnaryOperator<HttpServer> limits;
    private volatile DisposableServer server;

    /** Pod uid by namespace and name, for the pods this node runs. */
    interface PodNames {
        Optional<UUID> uid(String namespace, String name);
    }

    KubeletApi(KubernetesProperties props, String nodeName, PodNames pods, LogStore logs, Clock clock, UnaryOperator<HttpServer> limits) {
        this.props = props;
        this.nodeName = nodeName;
        this.pods = pods;
        this.logs = logs;
        this.clock = clock;
        this.auth = new KubeletAuth(props);
        this.limits = limits;
    }

    /** The bound port (the configured one, or an ephemeral one when it is 0). */
    int port() {
        return server.port();
    }

    @Override
    public void start() {
        Http11SslContextSpec tls;
        if (props.kubeletTlsCert() != null) {
            tls = Http11SslContextSpec.forServer(props.kubeletTlsCert().toFile(), props.kubeletTlsKey().toFile());
        } else {
            ServingCertificate self = ServingCertificate.selfSigned(nodeName, props.nodeIp(), clock.instant());
            tls = Http11SslContextSpec.forServer(self.key(), self.certificate());
        }
        Http11SslContextSpec secured = auth.withClientCertificates(tls);
        HttpServer listener = HttpServer.create().port(props.kubeletPort())
                .secure(spec -> spec.sslContext(secured).handshakeTimeout(HANDSHAKE_TIMEOUT));
        server = limits.apply(listener)
                .route(r -> r.get("/containerLogs/{namespace}/{pod}/{container}", authenticated(this::containerLogs))
                        .get("/healthz", authenticated((req, res) -> res.sendString(Mono.just("ok"))))
                        .route(req -> req.uri().matches("/(exec|attach|portForward|run)/.*"), authenticated(notSupported()))
                        .route(req -> true, authenticated((req, res) -> text(res, HttpResponseStatus.NOT_FOUND, "not found: " + req.uri()))))
                .bindNow();
        log.info("kubelet API on port {} over TLS ({}); clients: {}", server.port(),
                props.kubeletTlsCert() != null ? props.kubeletTlsCert() : "self-signed certificate",
                (props.kubeletClientCa() != null ? "certificates from the CA in " + props.kubeletClientCa() : "no client CA")
                        + (props.kubeletToken() != null ? ", bearer token" : ""));
        if (!auth.configured()) {
            log.warn("the kubelet API has neither a client CA (NANOLET_KUBELET_CLIENT_CA) nor a token (NANOLET_KUBELET_TOKEN): it refuses every request, so kubectl logs cannot work");
        }
    }

    private BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> authenticated(
            BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
        return (req, res) -> {
            if (declaresBody(req)) {
                res.keepAlive(false);
            }
            KubeletAuth.Decision d = auth.check(req);
            return d.allowed() ? handler.apply(req, res) : text(res, HttpResponseStatus.valueOf(d.status()), d.reason() + "\n");
        };
    }

    /**
     * Whether a body follows the request. No answer here reads one, so its connection ends with the answer: kept, it
     * could take the body a byte now and then for ever, each byte restarting the idle timeout.
     */
    private static boolean declaresBody(HttpServerRequest req) {
        HttpHeaders headers = req.requestHeaders();
        return headers.contains(HttpHeaderNames.TRANSFER_ENCODING) || !"0".equals(headers.get(HttpHeaderNames.CONTENT_LENGTH, "0"));
    }

    private static BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> notSupported() {
        return (req, res) -> text(res, HttpResponseStatus.NOT_IMPLEMENTED,
                "exec, attach and port-forward are not supported on a nanolet Wasm node: a Wasm pod has no shell or process to enter\n");
    }

    private static Publisher<Void> text(HttpServerResponse res, HttpResponseStatus status, String body) {
        return res.status(status).header("Content-Type", "text/plain; charset=utf-8").sendString(Mono.just(body));
    }

    private Publisher<Void> containerLogs(HttpServerRequest req, HttpServerResponse res) {
        var query = new io.netty.handler.codec.http.QueryStringDecoder(req.uri()).parameters();
        OptionalInt asked = query.containsKey("tailLines") ? logs.tail(query.get("tailLines").getFirst()) : OptionalInt.of(logs.capacity());
        if (asked.isEmpty()) {
            return text(res, HttpResponseStatus.BAD_REQUEST, logs.tailRule("tailLines") + "\n");
        }
        int tail = asked.getAsInt();
        boolean follow = query.containsKey("follow") && Boolean.parseBoolean(query.get("follow").getFirst());
        boolean timestamps = query.containsKey("timestamps") && Boolean.parseBoolean(query.get("timestamps").getFirst());
        String ns = req.param("namespace");
        String pod = req.param("pod");
        var buffer = pods.uid(ns, pod).flatMap(logs::find);
        if (buffer.isEmpty()) {
            return text(res, HttpResponseStatus.NOT_FOUND, "pod " + ns + "/" + pod + " has no logs on node " + nodeName + "\n");
        }
        Flux<String> lines = buffer.get().read(tail, follow).map(l -> format(l, timestamps));
        return res.header("Content-Type", "text/plain; charset=utf-8")
                .send(lines.map(s -> io.netty.buffer.Unpooled.copiedBuffer(s, StandardCharsets.UTF_8)), b -> true);
    }

    private static String format(LogLine l, boolean timestamps) {
        return (timestamps ? l.time().toString() + " " : "") + l.line() + "\n";
    }

    @Override
    public void stop() {
        DisposableServer s = server;
        if (s != null) {
            s.disposeNow();
        }
        server = null;
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
