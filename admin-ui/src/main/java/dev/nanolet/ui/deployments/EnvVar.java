package dev.nanolet.ui.deployments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.MultiValueMap;

/**
 * One row of the form's env: a name input and a value textarea ({@code envName}, {@code envValue}, repeated in that
 * order), so that a value may hold anything, line breaks included. platform-api checks the names; the form only refuses
 * what a map cannot carry (a name twice, a value without a name).
 */
record EnvVar(String name, String value) {
    /** Empty rows the form shows after the variables, to add some. */
    static final int EMPTY_ROWS = 3;

    EnvVar {
        name = name == null ? "" : name;
        value = value == null ? "" : value;
    }

    static List<EnvVar> of(Map<String, String> env) {
        return env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue())).toList();
    }

    /** The rows as posted, empty ones (no name, no value) left out; a row missing its other half has it empty. */
    static List<EnvVar> posted(MultiValueMap<String, String> form) {
        List<String> names = form.getOrDefault("envName", List.of());
        List<String> values = form.getOrDefault("envValue", List.of());
        List<EnvVar> rows = new ArrayList<>();
        for (int i = 0; i < Math.max(names.size(), values.size()); i++) {
            var row = new EnvVar(i < names.size() ? names.get(i) : "", i < values.size() ? values.get(i) : "");
            if (!row.name.isBlank() || !row.value.isEmpty()) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** The rows to show: {@code rows}, then {@link #EMPTY_ROWS} empty ones. */
    static List<EnvVar> shown(List<EnvVar> rows) {
        List<EnvVar> out = new ArrayList<>(rows == null ? List.of() : rows);
        for (int i = 0; i < EMPTY_ROWS; i++) {
            out.add(new EnvVar("", ""));
        }
        return out;
    }

    /**
     * The env the rows describe: each name without spaces at its ends (pasted ones are no part of it), each value as typed
     * but with its line breaks as LF (a browser sends them as CRLF).
     */
    static Map<String, String> env(List<EnvVar> rows, FormErrors errors) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EnvVar row : rows == null ? List.<EnvVar>of() : rows) {
            if (row.name.isBlank()) {
                errors.reject("env", "form.envNameMissing");
            } else if (out.putIfAbsent(row.name.strip(), DeploymentForm.lineBreaks(row.value)) != null) {
                errors.reject("env", "form.envTwice", row.name.strip());
            }
        }
        return out;
    }
}
