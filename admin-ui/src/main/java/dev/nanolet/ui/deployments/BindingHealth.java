package dev.nanolet.ui.deployments;

import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.MetricsPoint;
import dev.nanolet.wire.Replica;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One binding of a deployment as the page shows it: what it is bound to, whether its replicas could
 * use it, and its host API figures over the metrics window. A binding is {@code unavailable} while a
 * replica of the deployment is {@code InvalidBinding} with a message naming it ({@code binding '<name>': …},
 * as node agents write it; the latest such message is the reason), or while the latest metrics point
 * that has the binding says a node found its database unavailable (the node's reason). Otherwise it is
 * {@code ok}. {@code figures} is null when no point of the window has calls on it.
 */
record BindingHealth(String name, String type, String secret, boolean ok, String reason, Figures figures) {
    static final String INVALID_BINDING = "InvalidBinding";

    /**
     * Calls per minute (the mean of the points' rates), the share of calls that failed, the calls' mean
     * latency, and the mean time a run waited for a pooled connection, over the points that have calls on
     * the binding.
     */
    record Figures(double callsPerMinute, double errorRate, double meanLatencyMs, double meanPoolWaitMs) {
        static Optional<Figures> of(String binding, List<MetricsPoint> points) {
            List<MetricsPoint.BindingPoint> mine = points.stream().flatMap(p -> p.bindings().stream())
                    .filter(b -> binding.equals(b.binding())).toList();
            double calls = mine.stream().mapToDouble(MetricsPoint.BindingPoint::callsPerSecond).sum();
            if (mine.isEmpty() || calls <= 0) {
                return Optional.empty();
            }
            double errors = mine.stream().mapToDouble(MetricsPoint.BindingPoint::errorsPerSecond).sum();
            double latency = mine.stream().mapToDouble(b -> b.meanLatencyMs() * b.callsPerSecond()).sum();
            double waits = mine.stream().mapToDouble(MetricsPoint.BindingPoint::poolWaitsPerSecond).sum();
            double wait = mine.stream().mapToDouble(b -> b.meanPoolWaitMs() * b.poolWaitsPerSecond()).sum();
            return Optional.of(new Figures(calls / mine.size() * 60, errors / calls, latency / calls, waits > 0 ? wait / waits : 0));
        }
    }

    /** Each of {@code spec}'s bindings, in the spec's order, with its health from its replicas and its figures from {@code points}. */
    static List<BindingHealth> of(DeploymentSpec spec, List<Replica> replicas, List<MetricsPoint> points) {
        return spec.bindings().stream().map(b -> {
            Optional<String> reason = replicas.stream()
                    .filter(r -> INVALID_BINDING.equals(r.reason()) && r.message() != null
                            && r.message().startsWith("binding '" + b.name() + "'"))
                    .max(Comparator.comparing(Replica::updatedAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                    .map(Replica::message)
                    .or(() -> unavailableNow(b.name(), points));
            return new BindingHealth(b.name(), b.type(), b.secret(), reason.isEmpty(), reason.orElse(null),
                    Figures.of(b.name(), points).orElse(null));
        }).toList();
    }

    /** What the latest point that has {@code binding} says about its database: the reason it is unavailable, or empty. */
    private static Optional<String> unavailableNow(String binding, List<MetricsPoint> points) {
        return points.stream().filter(p -> p.bindings().stream().anyMatch(b -> binding.equals(b.binding())))
                .max(Comparator.comparing(MetricsPoint::time))
                .flatMap(p -> p.bindings().stream().filter(b -> binding.equals(b.binding())).findFirst())
                .map(MetricsPoint.BindingPoint::unavailable);
    }
}
