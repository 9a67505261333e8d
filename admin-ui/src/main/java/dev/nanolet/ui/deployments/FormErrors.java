package dev.nanolet.ui.deployments;

import dev.nanolet.wire.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Error messages by form field. platform-api names fields by JSON path ({@code spec.replicas},
 * {@code spec.http.path}, {@code spec.limits.memoryMiB}, {@code spec.env.FOO}); {@link #from}
 * maps each to the form input it came from, and anything else to {@link #GLOBAL}.
 */
final class FormErrors {
    static final String GLOBAL = "global";
    private static final Set<String> FIELDS = Set.of("namespace", "name", "module", "kind", "path", "restartPolicy", "replicas",
            "args", "env", "memoryMiB", "timeoutMs", "maxConcurrency", "nodeSelector");
    private final Map<String, String> messages = new LinkedHashMap<>();

    void add(String field, String message) {
        messages.merge(field, message, (a, b) -> a + "; " + b);
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    Map<String, String> asMap() {
        return Map.copyOf(messages);
    }

    static FormErrors from(Problem problem) {
        FormErrors errors = new FormErrors();
        if (problem.errors().isEmpty()) {
            errors.add(GLOBAL, problem.detail() == null ? problem.title() : problem.detail());
        }
        problem.errors().forEach(e -> errors.add(field(e.field()), e.message()));
        return errors;
    }

    static String field(String path) {
        if (path == null) {
            return GLOBAL;
        }
        List<String> parts = List.of(path.replaceFirst("^(spec|metadata)\\.", "").split("[.\\[]"));
        String first = parts.getFirst();
        String field = switch (first) {
            case "http" -> "path";
            case "job" -> parts.size() > 1 ? parts.get(1) : "kind";
            case "limits" -> parts.size() > 1 ? parts.get(1) : "memoryMiB";
            default -> first;
        };
        return FIELDS.contains(field) ? field : GLOBAL;
    }
}
