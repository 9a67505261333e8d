package dev.nanolet.wire;

import java.util.Map;

/**
 * The secret values one replica needs, resolved by platform-api for the node the replica is assigned to and
 * sent only over that node's own credential. A node keeps them in memory only (never on disk in clear).
 *
 * @param env environment variables whose values come from secrets (merged over the spec's plain env)
 * @param bindings for each binding name of the spec, the keys and values of the secret it names
 */
public record ResolvedSecrets(Map<String, String> env, Map<String, Map<String, String>> bindings) {
    public static final ResolvedSecrets NONE = new ResolvedSecrets(Map.of(), Map.of());

    public ResolvedSecrets {
        env = Collections2.map(env);
        bindings = bindings == null ? Map.of() : Map.copyOf(bindings);
    }

    /** Never prints the values. */
    @Override
    public String toString() {
        return "ResolvedSecrets[env=" + env.keySet() + ", bindings=" + bindings.keySet() + "]";
    }
}
