package dev.nanolet.platform.assignment;

import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.secret.Secrets;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.AssignmentSnapshot;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ResolvedSecrets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fills {@link Assignment#secrets()} at send time, on the way to the node the assignment is for (the watch and the
 * snapshot are per node, behind that node's own credential): the values are opened here and exist nowhere else in
 * clear — the change log keeps assignments without them. A terminating assignment gets none. A secret that is gone or
 * cannot be opened (the operator key changed) leaves its values out, with a warning event on the deployment, naming
 * the secret only.
 */
@Component
class SecretDelivery {
    private static final Logger log = LoggerFactory.getLogger(SecretDelivery.class);

    private final Secrets secrets;
    private final Events events;

    SecretDelivery(Secrets secrets, Events events) {
        this.secrets = secrets;
        this.events = events;
    }

    AssignmentSnapshot withSecrets(AssignmentSnapshot snapshot) {
        Map<String, Optional<Map<String, String>>> cache = new HashMap<>();
        return new AssignmentSnapshot(snapshot.resourceVersion(),
                snapshot.replicas().stream().map(a -> withSecrets(a, cache)).toList());
    }

    Assignment withSecrets(Assignment a) {
        return withSecrets(a, new HashMap<>());
    }

    private Assignment withSecrets(Assignment a, Map<String, Optional<Map<String, String>>> cache) {
        DeploymentSpec spec = a.spec();
        if (a.terminating() || (spec.secretEnv().isEmpty() && spec.bindings().isEmpty())) {
            return a;
        }
        Map<String, String> env = new TreeMap<>();
        spec.secretEnv().forEach((name, ref) -> values(a, ref.secret(), cache)
                .map(v -> v.get(ref.key())).ifPresent(v -> env.put(name, v)));
        Map<String, Map<String, String>> bindings = new TreeMap<>();
        spec.bindings().forEach(b -> values(a, b.secret(), cache).ifPresent(v -> bindings.put(b.name(), v)));
        return new Assignment(a.replicaId(), a.namespace(), a.deployment(), a.revision(), a.moduleDigest(), a.moduleSize(),
                spec, false, new ResolvedSecrets(env, bindings));
    }

    private Optional<Map<String, String>> values(Assignment a, String secret, Map<String, Optional<Map<String, String>>> cache) {
        return cache.computeIfAbsent(a.namespace() + "/" + secret, k -> {
            try {
                Optional<Map<String, String>> found = secrets.values(a.namespace(), secret);
                if (found.isEmpty()) {
                    unavailable(a, secret, "no secret " + a.namespace() + "/" + secret);
                }
                return found;
            } catch (RuntimeException e) {
                unavailable(a, secret, e.getMessage());
                return Optional.empty();
            }
        });
    }

    private void unavailable(Assignment a, String secret, String why) {
        log.error("replica {} of {}/{} is sent without the values of secret {}: {}", a.replicaId(), a.namespace(),
                a.deployment(), secret, why);
        events.warning("deployment/" + a.namespace() + "/" + a.deployment(), a.namespace(), a.deployment(), null,
                "SecretUnavailable", "replica " + a.replicaId() + " was sent without the values of secret " + secret + ": " + why);
    }
}
