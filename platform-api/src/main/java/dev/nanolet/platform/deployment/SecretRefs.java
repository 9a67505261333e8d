package dev.nanolet.platform.deployment;

import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentSpec.Binding;
import dev.nanolet.wire.DeploymentSpec.SecretKeyRef;
import dev.nanolet.wire.Problem.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Checks what a spec takes from secrets — {@code secretEnv} and {@code bindings} — against the secrets of its
 * namespace, each error named by its JSON path ({@code env.X}: users write secret env inside {@code env}). Pure:
 * the secrets are asked through a function, once per secret and in name order; a spec with too many entries is refused
 * before any is asked.
 */
final class SecretRefs {
    static final int MAX_BINDINGS = 16;
    static final Set<String> BINDING_TYPES = Set.of("postgres", "kv");

    private SecretRefs() {}

    /** The names of the secrets {@code spec} takes values from (its {@code secretEnv} and {@code bindings}). */
    static Set<String> names(DeploymentSpec spec) {
        return names(spec, Integer.MAX_VALUE);
    }

    /** {@link #names} of the secret env and the first {@code maxBindings} bindings, in name order. */
    private static SortedSet<String> names(DeploymentSpec spec, int maxBindings) {
        SortedSet<String> names = new TreeSet<>();
        spec.secretEnv().values().stream().filter(ref -> ref != null && ref.secret() != null).forEach(ref -> names.add(ref.secret()));
        spec.bindings().stream().limit(maxBindings).filter(b -> b != null && b.secret() != null).forEach(b -> names.add(b.secret()));
        return names;
    }

    /** Every secret-related violation of {@code spec}; {@code keys} answers a secret's key names, empty if it does not exist. */
    static List<FieldError> validate(DeploymentSpec spec, Function<String, Optional<Set<String>>> lookup) {
        List<FieldError> errors = new ArrayList<>();
        if (spec.env().size() + spec.secretEnv().size() > SpecValidator.MAX_ENV) {
            errors.add(new FieldError("env", "must have at most " + SpecValidator.MAX_ENV + " entries, secret ones included"));
            return List.copyOf(errors);
        }
        Map<String, Optional<Set<String>>> asked = new HashMap<>();
        Function<String, Optional<Set<String>>> keys = secret -> asked.computeIfAbsent(secret, lookup);
        // In name order, not in the order of the env names and bindings: a PUT share-locks them so, as a manifest locks
        // the secrets it writes (ManifestSecretLocks), else each could hold a secret the other waits for.
        names(spec, MAX_BINDINGS).forEach(keys::apply);
        spec.secretEnv().forEach((name, ref) -> env(name, ref, spec, keys, errors));
        if (spec.bindings().size() > MAX_BINDINGS) {
            errors.add(new FieldError("bindings", "must have at most " + MAX_BINDINGS + " entries"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < spec.bindings().size() && i < MAX_BINDINGS; i++) {
            binding("bindings[" + i + "]", spec.bindings().get(i), seen, keys, errors);
        }
        return List.copyOf(errors);
    }

    private static void env(String name, SecretKeyRef ref, DeploymentSpec spec, Function<String, Optional<Set<String>>> keys,
            List<FieldError> errors) {
        Map<String, String> plain = spec.env();
        String field = "env." + name;
        if (!SpecValidator.ENV_NAME.matcher(name).matches()) {
            errors.add(new FieldError(field, "key must be a letter or _ followed by letters, digits or _"));
        } else if (SpecValidator.perRequest(spec, name)) {
            errors.add(new FieldError(field, SpecValidator.perRequest(name)));
        } else if (plain.containsKey(name)) {
            errors.add(new FieldError(field, "is set both as a plain value and from a secret"));
        } else if (ref == null || ref.secret() == null || ref.key() == null) {
            errors.add(new FieldError(field + ".valueFrom", "needs secret and key"));
        } else {
            Optional<Set<String>> found = keys.apply(ref.secret());
            if (found.isEmpty()) {
                errors.add(new FieldError(field + ".valueFrom.secret", "no secret " + ref.secret() + " in this namespace"));
            } else if (!found.get().contains(ref.key())) {
                errors.add(new FieldError(field + ".valueFrom.key", "secret " + ref.secret() + " has no key " + ref.key()
                        + "; it has " + String.join(", ", found.get())));
            }
        }
    }

    private static void binding(String field, Binding b, Set<String> seen, Function<String, Optional<Set<String>>> keys,
            List<FieldError> errors) {
        if (b == null) {
            errors.add(new FieldError(field, "must not be null"));
            return;
        }
        if (b.name() == null || !DeploymentSpec.Binding.NAME.matcher(b.name()).matches()) {
            errors.add(new FieldError(field + ".name", "must be 1 to 63 lowercase letters, digits, '-' or '_', "
                    + "starting and ending with a letter or digit"));
        } else if (!seen.add(b.name())) {
            errors.add(new FieldError(field + ".name", "binding " + b.name() + " is declared twice"));
        }
        if (b.type() == null || !BINDING_TYPES.contains(b.type())) {
            errors.add(new FieldError(field + ".type", "must be postgres or kv"));
        }
        if (b.secret() == null) {
            errors.add(new FieldError(field + ".secret", "is required: the secret that holds the connection values"));
            return;
        }
        Optional<Set<String>> found = keys.apply(b.secret());
        if (found.isEmpty()) {
            errors.add(new FieldError(field + ".secret", "no secret " + b.secret() + " in this namespace"));
        } else if (!found.get().contains("url") && !(found.get().contains("host") && found.get().contains("database"))) {
            errors.add(new FieldError(field + ".secret", "secret " + b.secret()
                    + " must have the key url, or the keys host and database (and user, password as needed)"));
        }
    }
}
