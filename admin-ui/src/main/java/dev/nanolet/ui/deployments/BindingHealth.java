package dev.nanolet.ui.deployments;

import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.Replica;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One binding of a deployment as the page shows it: what it is bound to and whether its replicas could
 * use it. A binding is {@code unavailable} while a replica of the deployment is {@code InvalidBinding}
 * with a message naming it ({@code binding '<name>': …}, as node agents write it); the latest such
 * message is the reason. Otherwise it is {@code ok}.
 */
record BindingHealth(String name, String type, String secret, boolean ok, String reason) {
    static final String INVALID_BINDING = "InvalidBinding";

    /** The health of each of {@code spec}'s bindings, in the spec's order, from its replicas' reasons. */
    static List<BindingHealth> of(DeploymentSpec spec, List<Replica> replicas) {
        return spec.bindings().stream().map(b -> {
            Optional<String> reason = replicas.stream()
                    .filter(r -> INVALID_BINDING.equals(r.reason()) && r.message() != null
                            && r.message().startsWith("binding '" + b.name() + "'"))
                    .max(Comparator.comparing(Replica::updatedAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                    .map(Replica::message);
            return new BindingHealth(b.name(), b.type(), b.secret(), reason.isEmpty(), reason.orElse(null));
        }).toList();
    }
}
