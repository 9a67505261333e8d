package dev.nanolet.agent.bindings;

import dev.nanolet.agent.runtime.BindingError;
import dev.nanolet.agent.runtime.Bindings.Op;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Per binding: {@code nanolet.binding.calls} (a timer: count and latency of each host call, tagged
 * with its op and outcome, {@code ok} or the error) and {@code nanolet.binding.pool.wait} (time a run
 * waited for a connection), plus whether the binding's database is unavailable now (its last
 * connection attempt failed, or its connection broke) and why. HikariCP adds its own
 * {@code hikaricp.connections.*} per pool. A binding's meters are looked up once and kept, so a host
 * call records into a timer it already holds.
 */
final class BindingMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<Scope, Meters> meters = new ConcurrentHashMap<>();

    BindingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    Meters of(Scope scope) {
        return meters.computeIfAbsent(scope, Meters::new);
    }

    /**
     * Removes the meters of every binding whose deployment is not in {@code live} ({@code namespace/deployment}),
     * from this cache and from the registry: a node that ran many short-lived deployments keeps none of theirs.
     */
    void retain(Set<String> live) {
        meters.values().removeIf(m -> {
            if (live.contains(m.scope.namespace() + "/" + m.scope.deployment())) {
                return false;
            }
            registry.remove(m.poolWait);
            for (Timer[] byOutcome : m.calls) {
                for (Timer t : byOutcome) {
                    if (t != null) {
                        registry.remove(t);
                    }
                }
            }
            return true;
        });
    }

    /** Why {@code scope}'s database is unavailable now; empty while it is reached (or was never tried). */
    Optional<String> unavailable(Scope scope) {
        Meters m = meters.get(scope);
        return m == null ? Optional.empty() : Optional.ofNullable(m.unavailable);
    }

    /** Which binding of which deployment. */
    record Scope(String namespace, String deployment, String binding) {}

    /** One binding's meters and its availability. */
    final class Meters {
        private final Scope scope;
        /** [op][0 for ok, 1 + error ordinal], registered on first use. */
        private final Timer[][] calls = new Timer[Op.values().length][BindingError.values().length + 1];
        private final Timer poolWait;
        private volatile String unavailable;

        private Meters(Scope scope) {
            this.scope = scope;
            this.poolWait = Timer.builder("nanolet.binding.pool.wait")
                    .description("time a run waited for a connection of the binding's pool")
                    .tags("namespace", scope.namespace(), "deployment", scope.deployment(), "binding", scope.binding())
                    .register(registry);
        }

        Scope scope() {
            return scope;
        }

        void call(Op op, BindingError error, long nanos) {
            int outcome = error == null ? 0 : error.ordinal() + 1;
            Timer t = calls[op.ordinal()][outcome];
            if (t == null) {
                t = Timer.builder("nanolet.binding.calls")
                        .description("calls of the nanolet host API on one binding")
                        .tags("namespace", scope.namespace(), "deployment", scope.deployment(), "binding", scope.binding(),
                                "op", op.name().toLowerCase(Locale.ROOT),
                                "outcome", error == null ? "ok" : error.outcome())
                        .register(registry);
                calls[op.ordinal()][outcome] = t;
            }
            t.record(nanos, TimeUnit.NANOSECONDS);
        }

        void poolWait(long nanos) {
            poolWait.record(nanos, TimeUnit.NANOSECONDS);
        }

        /** The database was reached (a connection was taken). */
        void reached() {
            if (unavailable != null) {
                unavailable = null;
            }
        }

        /** The database could not be reached, or the connection broke: {@code why} is the guest's message. */
        void unreachable(String why) {
            unavailable = why;
        }
    }
}
