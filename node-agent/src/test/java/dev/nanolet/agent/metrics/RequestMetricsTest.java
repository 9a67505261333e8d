package dev.nanolet.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.bindings.BindingPools;
import dev.nanolet.agent.bindings.BindingProperties;
import dev.nanolet.wire.NodeUsage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final RequestMetrics metrics = new RequestMetrics(registry, new BindingPools(BindingProperties.DEFAULTS, registry));

    /** As the bindings package records a host call. */
    private void call(String deployment, String binding, String op, String outcome, long millis) {
        Timer.builder("nanolet.binding.calls")
                .tags("namespace", "default", "deployment", deployment, "binding", binding, "op", op, "outcome", outcome)
                .register(registry).record(millis, TimeUnit.MILLISECONDS);
    }

    @Test
    void theLeaseUsageCarriesCallsErrorsLatencyAndPoolWaitsPerBindingSummedOverOpsAndOutcomes() {
        metrics.record("default", "todo", 200, Duration.ofMillis(5));
        call("todo", "db", "query", "ok", 4);
        call("todo", "db", "execute", "ok", 6);
        call("todo", "db", "query", "timeout", 10);
        call("todo", "cache", "get", "ok", 1);
        registry.timer("nanolet.binding.pool.wait", "namespace", "default", "deployment", "todo", "binding", "db")
                .record(100, TimeUnit.MILLISECONDS);

        NodeUsage usage = metrics.usage();

        assertThat(usage.deployments()).extracting(NodeUsage.DeploymentMetrics::name).containsExactly("todo");
        assertThat(usage.bindings()).containsExactly(
                new NodeUsage.BindingMetrics("default", "todo", "cache", 1, 0, 1.0),
                new NodeUsage.BindingMetrics("default", "todo", "db", 3, 1, 20.0, 1L, 100.0, null));
    }

    @Test
    void aKeyTheStoreDoesNotHoldIsCountedAsACallNotAsAnError() {
        call("counter", "visits", "kv_get", "not_found", 2); // a counter's first visit of a page
        call("counter", "visits", "kv_set", "ok", 3);
        call("counter", "visits", "kv_get", "timeout", 5);

        assertThat(metrics.usage().bindings()).containsExactly(
                new NodeUsage.BindingMetrics("default", "counter", "visits", 3, 1, 10.0));
    }

    @Test
    void aReportCarriesAtMostTheCapOfBindingEntries() {
        for (int i = 0; i <= RequestMetrics.MAX_BINDINGS; i++) {
            call("d" + i, "db", "query", "ok", 1);
        }
        assertThat(metrics.usage().bindings()).hasSize(RequestMetrics.MAX_BINDINGS);
    }

    @Test
    void withoutBindingCallsTheUsageHasNoBindingEntries() {
        metrics.record("default", "hello", 200, Duration.ofMillis(1));
        assertThat(metrics.usage().bindings()).isEmpty();
    }

    /**
     * A node that has served more deployments than platform-api takes in one renewal reports at most that
     * many, those with new requests first, the others in turn: before, it sent them all, every renewal was
     * refused (422) and the node lost its lease — with it every replica it ran.
     */
    @Test
    void aRenewalCarriesAtMostTheCapOfDeploymentsChangedOnesFirstTheRestInTurn() {
        int n = RequestMetrics.MAX_DEPLOYMENTS + 200;
        for (int i = 0; i < n; i++) {
            metrics.record("default", "d" + i, 200, Duration.ofMillis(1));
        }
        java.util.Set<String> first = names(metrics.usage());
        assertThat(first).hasSize(RequestMetrics.MAX_DEPLOYMENTS);

        String busy = first.iterator().next();
        metrics.record("default", busy, 200, Duration.ofMillis(1));
        java.util.Set<String> second = names(metrics.usage());
        assertThat(second).hasSize(RequestMetrics.MAX_DEPLOYMENTS).contains(busy);
        java.util.Set<String> both = new java.util.HashSet<>(first);
        both.addAll(second);
        assertThat(both).as("every deployment reported within two renewals").hasSize(n);
    }

    @Test
    void upToTheCapEveryDeploymentIsReportedEveryTime() {
        for (int i = 0; i < 3; i++) {
            metrics.record("default", "d" + i, 200, Duration.ofMillis(1));
        }
        assertThat(names(metrics.usage())).hasSize(3);
        assertThat(names(metrics.usage())).hasSize(3);
    }

    private static java.util.Set<String> names(NodeUsage usage) {
        return usage.deployments().stream().map(NodeUsage.DeploymentMetrics::name).collect(java.util.stream.Collectors.toSet());
    }
}
