package dev.nanolet.agent.bindings;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Per binding: {@code nanolet.binding.calls} (a timer: count and latency of each host call, tagged
 * with its op and outcome, {@code ok} or the error) and {@code nanolet.binding.pool.wait} (time a run
 * waited for a connection). HikariCP adds its own {@code hikaricp.connections.*} per pool.
 */
final class BindingMetrics {

    private final MeterRegistry registry;

    BindingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    void call(Scope scope, String op, String outcome, long nanos) {
        Timer.builder("nanolet.binding.calls")
                .description("calls of the nanolet host API on one binding")
                .tags("namespace", scope.namespace(), "deployment", scope.deployment(), "binding", scope.binding(),
                        "op", op, "outcome", outcome)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void poolWait(Scope scope, long nanos) {
        Timer.builder("nanolet.binding.pool.wait")
                .description("time a run waited for a connection of the binding's pool")
                .tags("namespace", scope.namespace(), "deployment", scope.deployment(), "binding", scope.binding())
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Which binding of which deployment. */
    record Scope(String namespace, String deployment, String binding) {}
}
