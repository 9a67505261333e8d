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
 * as node agents write it); the latest such message is the reason. Otherwise it is {@code ok}.
 * {@code figures} is null when no point of the window has calls on it.
 */
record BindingHealth(String name, String type, String secret, boolean ok, String reason, Figures figures) {
    static final String INVALID_BINDING = "InvalidBinding";

    /**
     * Calls per minute (the mean of the points' rates), the share of calls that failed, and the calls'
     * mean latency, over the points that have calls on the binding.
     */
    record Figures(double callsPerMinute, double errorRate, double meanLatencyMs) {
        static Optional<Figures> of(String binding, List<MetricsPoint> points) {
            List<MetricsPoint.BindingPoint> mine = points.stream().flatMap(p -> p.bindings().stream())
                    .filter(b -> binding.equals(b.binding())).toList();
            double calls = mine.stream().mapToDouble(MetricsPoint.BindingPoint::callsPerSecond).sum();
            if (mine.isEmpty() || calls <= 0) {
                return Optional.empty();
            }
            double errors = mine.stream().mapToDouble(MetricsPoint.BindingPoint::errorsPerSecond).sum();
            double latency = mine.stream().mapToDouble(b -> b.meanLatencyMs() * b.callsPerSecond()).sum();
            return Optional.of(new Figures(calls / mine.size() * 60, errors / calls, latency / calls));
        }
    }

    /** Each of {@code spec}'s bindings, in the spec's order, with its health from its replicas and its figures from {@code points}. */
    static List<BindingHealth> of(DeploymentSpec spec, List<Replica> replicas, List<MetricsPoint> points) {
        return spec.bindings().stream().map(b -> {
            Optional<String> reason = replicas.stream()
                    .filter(r -> INVALID_BINDING.equals(r.reason()) && r.message() != null
                            && r.message().startsWith("binding '" + b.name() + "'"))
                    .max(Comparator.comparing(Replica::updatedAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                    .map(Replica::message);
            return new BindingHealth(b.name(), b.type(), b.secret(), reason.isEmpty(), reason.orElse(null),
                    Figures.of(b.name(), points).orElse(null));
        }).toList();
    }
}
