package dev.nanolet.ui.deployments;

import dev.nanolet.wire.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;

/**
 * Error messages by form field. platform-api names fields by JSON path ({@code spec.replicas},
 * {@code spec.http.path}, {@code spec.limits.memoryMiB}, {@code spec.env.FOO}); {@link #from}
 * maps each to the form input it came from, and anything else to {@link #GLOBAL}.
 */
final class FormErrors {
    static final String GLOBAL = "global";
    /** The inputs of the form, each with a place for its message (templates/deployments/new.html). */
    static final Set<String> FIELDS = Set.of("namespace", "name", "module", "kind", "path", "restartPolicy", "replicas",
            "args", "env", "memoryMiB", "timeoutMs", "maxConcurrency", "nodeSelector", "secretEnv", "bindings");
    private final Map<String, List<MessageSourceResolvable>> messages = new LinkedHashMap<>();

    /** A message as platform-api wrote it. */
    void add(String field, String text) {
        messages.computeIfAbsent(field, f -> new ArrayList<>()).add(new DefaultMessageSourceResolvable(new String[0], text));
    }

    /** A message of admin-ui's own, by its key in messages.properties. */
    void reject(String field, String code, Object... arguments) {
        messages.computeIfAbsent(field, f -> new ArrayList<>()).add(new DefaultMessageSourceResolvable(new String[] {code}, arguments));
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    /** One sentence per field, several messages joined by "; ". */
    Map<String, String> asMap(MessageSource source, Locale locale) {
        Map<String, String> out = new LinkedHashMap<>();
        messages.forEach((field, list) -> out.put(field, list.stream().map(m -> source.getMessage(m, locale)).collect(Collectors.joining("; "))));
        return out;
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
            case "env" -> parts.contains("valueFrom") ? "secretEnv" : "env";
            default -> first;
        };
        return FIELDS.contains(field) ? field : GLOBAL;
    }
}
