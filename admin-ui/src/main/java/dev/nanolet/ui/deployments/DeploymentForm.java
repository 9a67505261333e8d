package dev.nanolet.ui.deployments;

import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.util.MultiValueMap;

/**
 * The deployment form as typed: every field a string (env rows of strings), so that what the user typed
 * comes back unchanged next to its error. Args are one per line as lines of a text file are, each exactly as typed (an empty line is an empty arg,
 * one line break at the end ends the last line: {@link #args(String)});
 * env is one {@link EnvVar} row per variable; the other maps {@code KEY=value} per line; secret env {@code NAME=secret/key};
 * bindings {@code name=type:secret} (type postgres or kv).
 *
 * @param resourceVersion of the deployment the form edits, as it was shown (sent as {@code If-Match}); blank for a new one
 */
record DeploymentForm(
        String namespace, String name, String module, String kind, String path, String restartPolicy,
        String replicas, String args, List<EnvVar> env, String memoryMiB, String timeoutMs, String maxConcurrency,
        String nodeSelector, String secretEnv, String bindings, String resourceVersion) {

    /** An empty form in {@code namespace} (one the token may deploy in), with {@code module} chosen if not null. */
    static DeploymentForm blank(String namespace, String module) {
        return new DeploymentForm(namespace, "", module == null ? "" : module, "http", "/", "Never", "1", "", List.of(), "64", "10000", "16", "",
                "", "", null);
    }

    /** The form that edits {@code d}, filled with its spec as it is now. */
    static DeploymentForm of(Deployment d) {
        DeploymentSpec s = d.spec();
        return new DeploymentForm(d.namespace(), d.name(), s.module(), s.servesHttp() ? "http" : "job",
                s.servesHttp() ? s.http().path() : "/", s.job() == null ? "Never" : s.job().restartPolicy().name(),
                String.valueOf(s.replicas()), argsText(s.args()), EnvVar.of(s.env()),
                String.valueOf(s.limits().memoryMiB()), String.valueOf(s.limits().timeoutMs()), String.valueOf(s.limits().maxConcurrency()),
                lines(s.nodeSelector(), String::valueOf), lines(s.secretEnv(), r -> r.secret() + "/" + r.key()),
                String.join("\n", s.bindings().stream().map(b -> b.name() + "=" + b.type() + ":" + b.secret()).toList()), d.resourceVersion());
    }

    /**
     * The spec this form describes as an edit of {@code edited}: what the form does not show (the progress deadline,
     * volumes) as {@code edited} has it, and so is every list or map left as {@link #of} showed it, since a browser
     * sends every line break as CRLF and one per line cannot carry every value back (spaces at the ends of an env or
     * selector value, an arg with a line break): an edit of the replicas must not change the env. An env variable whose
     * value came back as shown keeps its stored value, whatever else changed. Args with a line break in one of them
     * cannot be shown one per line: a change of them is refused into {@code errors} (the API can make it).
     * {@code edited} is read just before the write; should it be newer than the version the form carries (the one it
     * was opened at, or after a 412 the one its "As it is now" box showed), the write's {@code If-Match} naming that version
     * is refused, so nothing of it is kept. That holds because platform-api never gives a version twice: every change of a
     * deployment, secret or node takes a new one from one database sequence (a write that changes nothing keeps it), and a
     * deployment created again under the same name after a delete gets a new one too (V24, docs/api.md "Conditional
     * writes", platform-api's {@code ConditionalWriteTest.aVersionOfADeletedDeploymentDoesNotMatchOneCreatedAgainUnderItsName}).
     */
    DeploymentSpec over(DeploymentSpec typed, Deployment edited, FormErrors errors) {
        DeploymentForm shown = of(edited);
        DeploymentSpec was = edited.spec();
        boolean argsKept = args(args).equals(args(shown.args));
        if (!argsKept && was.args().stream().anyMatch(a -> a.contains("\n") || a.contains("\r"))) {
            errors.reject("args", "form.argsWithLineBreaks");
        }
        return new DeploymentSpec(typed.module(), typed.http(), typed.job(), typed.replicas(),
                argsKept ? was.args() : typed.args(), asStored(typed.env(), was.env()),
                typed.limits(), unchanged(nodeSelector, shown.nodeSelector) ? was.nodeSelector() : typed.nodeSelector(),
                was.progressDeadlineSeconds(), unchanged(bindings, shown.bindings) ? was.bindings() : typed.bindings(), was.volumes(),
                unchanged(secretEnv, shown.secretEnv) ? was.secretEnv() : typed.secretEnv());
    }

    /** {@code typed}, each value that came back as {@code stored} has it (but for line breaks) as stored. */
    private static Map<String, String> asStored(Map<String, String> typed, Map<String, String> stored) {
        Map<String, String> out = new LinkedHashMap<>();
        typed.forEach((name, value) -> out.put(name, stored.containsKey(name) && unchanged(value, stored.get(name)) ? stored.get(name) : value));
        return out;
    }

    /**
     * Whether a textarea came back as shown: a browser reads every line break in it (CR, LF, CRLF) as one and sends each
     * as CRLF, so a value's own CR cannot come back as it was.
     */
    private static boolean unchanged(String typed, String shown) {
        return typed != null && lineBreaks(typed).equals(lineBreaks(shown));
    }

    /** {@code text} with each line break (CR, LF, CRLF) as LF. */
    static String lineBreaks(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** The env rows to show, empty ones to add variables included; public for the template. */
    public List<EnvVar> envRows() {
        return EnvVar.shown(env);
    }

    /**
     * The form as posted: each field's first value, the env rows from their repeated fields ({@link EnvVar#posted}). Read
     * by name, not bound: a data binder would also build the env list from {@code env[i].name} fields, at any index a
     * post names (one past its growth limit fails with a server error), and ignores disallowed fields when constructing.
     */
    static DeploymentForm posted(MultiValueMap<String, String> form) {
        return new DeploymentForm(form.getFirst("namespace"), form.getFirst("name"), form.getFirst("module"), form.getFirst("kind"),
                form.getFirst("path"), form.getFirst("restartPolicy"), form.getFirst("replicas"), form.getFirst("args"),
                EnvVar.posted(form), form.getFirst("memoryMiB"), form.getFirst("timeoutMs"), form.getFirst("maxConcurrency"),
                form.getFirst("nodeSelector"), form.getFirst("secretEnv"), form.getFirst("bindings"), form.getFirst("resourceVersion"));
    }

    /** This form as typed, to be applied at {@code version} (the deployment as it is now, after a 412). */
    DeploymentForm at(String version) {
        return new DeploymentForm(namespace, name, module, kind, path, restartPolicy, replicas, args, env, memoryMiB, timeoutMs, maxConcurrency,
                nodeSelector, secretEnv, bindings, version);
    }

    /** The env as {@code NAME=value} lines, for a read-only view; public for the template. */
    public String envText() {
        return String.join("\n", env.stream().map(v -> v.name() + "=" + v.value()).toList());
    }

    /** Whether the form edits an existing deployment (else it creates one); public for the template. */
    public boolean editing() {
        return resourceVersion != null && !resourceVersion.isBlank();
    }

    /** The spec this form describes; problems found before asking platform-api go into {@code errors}. */
    DeploymentSpec toSpec(FormErrors errors) {
        DeploymentSpec.HttpSpec http = "job".equals(kind) ? null : new DeploymentSpec.HttpSpec(blankToNull(path));
        DeploymentSpec.JobSpec job = "job".equals(kind) ? new DeploymentSpec.JobSpec(parsePolicy()) : null;
        var limits = new DeploymentSpec.Limits(number("memoryMiB", memoryMiB, errors), number("timeoutMs", timeoutMs, errors),
                number("maxConcurrency", maxConcurrency, errors));
        return new DeploymentSpec(blankToNull(module), http, job, number("replicas", replicas, errors), args(args),
                EnvVar.env(env, errors), limits, pairs("nodeSelector", nodeSelector, errors), null, bindings(errors), null,
                secretRefs(errors));
    }

    /** {@code NAME=secret/key} lines. */
    private Map<String, DeploymentSpec.SecretKeyRef> secretRefs(FormErrors errors) {
        Map<String, DeploymentSpec.SecretKeyRef> out = new LinkedHashMap<>();
        pairs("secretEnv", secretEnv, errors).forEach((name, ref) -> {
            int slash = ref.indexOf('/');
            if (slash <= 0 || slash == ref.length() - 1) {
                errors.reject("secretEnv", "form.secretRef", name + "=" + ref);
            } else {
                out.put(name, new DeploymentSpec.SecretKeyRef(ref.substring(0, slash), ref.substring(slash + 1)));
            }
        });
        return out;
    }

    /** {@code name=type:secret} lines. */
    private List<DeploymentSpec.Binding> bindings(FormErrors errors) {
        List<DeploymentSpec.Binding> out = new ArrayList<>();
        pairs("bindings", bindings, errors).forEach((name, target) -> {
            int colon = target.indexOf(':');
            if (colon <= 0 || colon == target.length() - 1) {
                errors.reject("bindings", "form.binding", name + "=" + target);
            } else {
                out.add(new DeploymentSpec.Binding(name, target.substring(0, colon), target.substring(colon + 1)));
            }
        });
        return out;
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

    /**
     * The args shown, each followed by a line break as lines of a text file are ({@code []} is no text, {@code [""]} one
     * line break, {@code ["a", ""]} {@code "a\n\n"}), so that {@link #args(String)} reads every list back.
     */
    private static String argsText(List<String> args) {
        return args.stream().map(arg -> arg + "\n").collect(Collectors.joining());
    }

    /**
     * One arg per line, each as typed; a line break at the end ends the last line rather than starting an empty arg
     * ({@code "a\nb\n"} and {@code "a\nb"} are both {@code [a, b]}, {@code "a\n\n"} is {@code [a, ""]}): a user who ends
     * the last arg with Enter has typed no empty one. Line breaks as a browser sends them (CRLF) or any other; no text, no args.
     */
    private static List<String> args(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        String lf = lineBreaks(text);
        return List.of((lf.endsWith("\n") ? lf.substring(0, lf.length() - 1) : lf).split("\n", -1));
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

    private static <V> String lines(Map<String, V> map, java.util.function.Function<V, String> value) {
        return String.join("\n", map.entrySet().stream().map(e -> e.getKey() + "=" + value.apply(e.getValue())).toList());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
