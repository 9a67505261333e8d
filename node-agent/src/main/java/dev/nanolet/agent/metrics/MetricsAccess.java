package dev.nanolet.agent.metrics;

import dev.nanolet.agent.web.Problems;
import dev.nanolet.wire.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves the node's {@code /actuator/} endpoints other than health only to loopback and to the
 * networks an operator allows ({@link MetricsProperties}). They share the data plane's port, which
 * every route's clients reach, and {@code /actuator/prometheus} names every tenant's namespaces,
 * deployments and bindings and counts their traffic and errors. Health stays open: probes need it
 * and it says only UP or DOWN. Decided on the connection's peer address, never on a header, and on
 * the path as Spring matches it ({@code /%61ctuator/prometheus} and {@code /actuator;x/prometheus} are
 * the same endpoint).
 */
@Component
@EnableConfigurationProperties(MetricsProperties.class)
class MetricsAccess implements WebFilter {

    private final List<Cidr> allowed;
    private final JsonMapper json;

    MetricsAccess(MetricsProperties props, JsonMapper json) {
        this.allowed = props.allow().stream().map(entry -> Cidr.parse("NANOLET_METRICS_ALLOW", entry)).toList();
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = matched(exchange.getRequest().getPath().pathWithinApplication());
        if (!guarded(path) || allows(exchange.getRequest().getRemoteAddress())) {
            return chain.filter(exchange);
        }
        return Problems.write(exchange.getResponse(), json, Problems.problem(HttpStatus.FORBIDDEN,
                "the node's metrics are served to loopback and to NANOLET_METRICS_ALLOW's networks only", path));
    }

    /** The path as Spring matches it to a handler: each segment decoded and without its ";" parameters. */
    private static String matched(PathContainer path) {
        return path.elements().stream()
                .map(e -> e instanceof PathContainer.PathSegment s ? s.valueToMatch() : e.value())
                .collect(Collectors.joining());
    }

    private static boolean guarded(String path) {
        return (path.equals("/actuator") || path.startsWith("/actuator/"))
                && !path.equals("/actuator/health") && !path.startsWith("/actuator/health/");
    }

    private boolean allows(InetSocketAddress peer) {
        InetAddress address = peer == null ? null : peer.getAddress();
        return address != null && (address.isLoopbackAddress() || allowed.stream().anyMatch(c -> c.contains(address)));
    }
}
