package dev.nanolet.ui.deployments;

import dev.nanolet.wire.DeploymentSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The new-deployment form as typed: every field a string, so that what the user typed
 * comes back unchanged next to its error. Lists are one item per line; maps {@code KEY=value}.
 */
record DeploymentForm(
        String namespace, String name, String module, String kind, String path, String restartPolicy,
        String replicas, String args, String env, String memoryMiB, String timeoutMs, String maxConcurrency,
        String nodeSelector) {

    static DeploymentForm blank(String module) {
        return new DeploymentForm("default", "", module == null ? "" : module, "http", "/", "Never", "1", "", "", "64", "10000", "16", "");
    }

    /** The spec this form describes; problems found before asking platform-api go into {@code errors}. */
    DeploymentSpec toSpec(FormErrors errors) {
        DeploymentSpec.HttpSpec http = "job".equals(kind) ? null : new DeploymentSpec.HttpSpec(blankToNull(path));
        DeploymentSpec.JobSpec job = "job".equals(kind) ? new DeploymentSpec.JobSpec(parsePolicy()) : null;
        var limits = new DeploymentSpec.Limits(number("memoryMiB", memoryMiB, errors), number("timeoutMs", timeoutMs, errors),
                number("maxConcurrency", maxConcurrency, errors));
        return new DeploymentSpec(blankToNull(module), http, job, number("replicas", replicas, errors), lines(args),
                pairs("env", env, errors), limits, pairs("nodeSelector", nodeSelector, errors));
    }

    private DeploymentSpec.RestartPolicy parsePolicy() {
        return "OnFailure".equals(restartPolicy) ? DeploymentSpec.RestartPolicy.OnFailure : DeploymentSpec.RestartPolicy.Never;
    }

    private static Integer number(String field, String value, FormErrors errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            errors.reject(field, "form.number");
            return null;
        }
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : (text == null ? "" : text).split("\\R")) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    private static Map<String, String> pairs(String field, String text, FormErrors errors) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines(text)) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                errors.reject(field, "form.pair", line);
            } else {
                out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
