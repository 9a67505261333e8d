package dev.nanolet.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.wire.Cidr;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node's metrics name every tenant's deployments and count their traffic, on the port every
 * route's client reaches: only loopback and the networks an operator allows may read them. The
 * real listener (loopback) is covered by {@code DataPlaneTest.countsRequestsPerDeploymentForPrometheusAndTheLease}.
 */
class MetricsAccessTest {

    private final MetricsAccess access = new MetricsAccess(new MetricsProperties(List.of("10.0.0.0/8", " fd00::/8", "192.0.2.7")),
            JsonMapper.builder().build());

    @Test
    void aClientOutsideLoopbackAndTheAllowedNetworksGetsA403ProblemAndNoMetrics() {
        for (String path : List.of("/actuator/prometheus", "/actuator", "/actuator/metrics", "/actuator/prometheus/",
                "/%61ctuator/prometheus", "/actuator;x=1/prometheus", "/actuator/prometheus;x", "/actuator/%70rometheus")) {
            var served = new AtomicBoolean();
            MockServerWebExchange exchange = exchange(path, "203.0.113.9");

            access.filter(exchange, e -> Mono.fromRunnable(() -> served.set(true))).block();

            assertThat(served).as(path).isFalse();
            assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
            assertThat(exchange.getResponse().getHeaders().getContentType()).hasToString("application/problem+json");
            assertThat(exchange.getResponse().getBodyAsString().block()).contains("NANOLET_METRICS_ALLOW");
        }
    }

    @Test
    void loopbackAndTheAllowedNetworksReadThem() {
        for (String peer : List.of("127.0.0.1", "::1", "10.200.3.4", "fd12:3456::1", "192.0.2.7")) {
            assertThat(served("/actuator/prometheus", peer)).as(peer).isTrue();
        }
        assertThat(served("/actuator/prometheus", "11.0.0.1")).isFalse();
        assertThat(served("/actuator/prometheus", "192.0.2.8")).isFalse();
        assertThat(served("/actuator/prometheus", "fe00::1")).isFalse();
    }

    @Test
    void healthAndRoutesStayOpenToEveryone() {
        for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/hello", "/actuatorish")) {
            assertThat(served(path, "203.0.113.9")).as(path).isTrue();
        }
    }

    @Test
    void anAllowanceThatIsNotANetworkIsRefusedAtStartWithTheVariableNamed() {
        for (String bad : List.of("example.com", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "10.0.0.0/+8", "10.0.0.0/\u0668",
                "10.0.0.0/0008", "10.0.0.0/ 8", "10.0.0.0/", "fd00::/+8")) {
            assertThatThrownBy(() -> Cidr.parse("NANOLET_METRICS_ALLOW", bad)).as(bad).hasMessageStartingWith("NANOLET_METRICS_ALLOW: '" + bad + "'");
        }
    }

    private boolean served(String path, String peer) {
        var served = new AtomicBoolean();
        access.filter(exchange(path, peer), e -> Mono.fromRunnable(() -> served.set(true))).block();
        return served.get();
    }

    private static MockServerWebExchange exchange(String path, String peer) {
        return MockServerWebExchange.from(MockServerHttpRequest.method(HttpMethod.GET, URI.create(path)).remoteAddress(new InetSocketAddress(peer, 40000)));
    }
}
