package dev.nanolet.platform.deployment;

import dev.nanolet.wire.CgiVariables;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentSpec.Limits;
import dev.nanolet.wire.Problem.FieldError;
import dev.nanolet.wire.RoutePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks a spec and the names it is applied under, collecting every violation at once, each
 * named by its JSON path. Pure: whether a module exists is asked through a predicate.
 */
final class SpecValidator {
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    static final int MAX_ARGS = 256;
    static final int MAX_ENV = 256;
    static final int MAX_SELECTOR = 64;
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");

    private final List<FieldError> errors = new ArrayList<>();

    private SpecValidator() {}

    /** Every violation in {@code namespace}, {@code name} and {@code spec}; empty when all is well. */
    static List<FieldError> validate(String namespace, String name, DeploymentSpec spec, Predicate<String> moduleExists,
            int maxReplicas) {
        SpecValidator v = new SpecValidator();
        v.label("namespace", namespace);
        v.label("name", name);
        if (spec == null) {
            v.error("spec", "a deployment spec is required as the request body");
            return v.errors;
        }
        v.module(spec.module(), moduleExists);
        v.workload(spec);
        v.range("replicas", spec.replicas(), 0, maxReplicas);
        v.range("progressDeadlineSeconds", spec.progressDeadlineSeconds(), 1, 86_400);
        v.limits(spec.limits());
        v.count("args", spec.args().size(), MAX_ARGS);
        v.count("env", spec.env().size(), MAX_ENV);
        v.count("nodeSelector", spec.nodeSelector().size(), MAX_SELECTOR);
        v.map("env", spec.env(), ENV_NAME, "must be a letter or _ followed by letters, digits or _");
        spec.env().keySet().stream().filter(key -> perRequest(spec, key)).forEach(key -> v.error("env." + key, perRequest(key)));
        v.map("nodeSelector", spec.nodeSelector(), Pattern.compile("[A-Za-z0-9./_-]{1,253}"),
                "must be 1 to 253 letters, digits, '.', '/', '_' or '-'");
        v.errors.addAll(VolumeRules.check(spec.volumes()));
        return List.copyOf(v.errors);
    }

    /** Whether a node sets {@code name} for each request of {@code spec}: only if it serves HTTP (a job gets no request variables). */
    static boolean perRequest(DeploymentSpec spec, String name) {
        return spec.http() != null && CgiVariables.isPerRequest(name);
    }

    /**
     * Why an env name a node sets for every request ({@link CgiVariables}) is refused: the deployment's value
     * would hide the request's from the module (a node never lets a request replace a deployment's variable).
     */
    static String perRequest(String name) {
        return name.startsWith(CgiVariables.HEADER_PREFIX)
                ? "is set for every request from the client's request header of that name (CGI); choose a name not starting with HTTP_"
                : "is a CGI meta-variable the node sets for every request; choose another name";
    }

    /** Checks a replica count on its own (scale). */
    static List<FieldError> validateReplicas(Integer replicas, int maxReplicas) {
        SpecValidator v = new SpecValidator();
        v.range("replicas", replicas, 0, maxReplicas);
        return List.copyOf(v.errors);
    }

    private void label(String field, String value) {
        if (value == null || !DNS_LABEL.matcher(value).matches()) {
            error(field, "must be a DNS-1123 label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit");
        }
    }

    private void module(String module, Predicate<String> moduleExists) {
        if (module == null) {
            error("module", "is required: the digest of an uploaded module");
        } else if (!DIGEST.matcher(module).matches()) {
            error("module", "must be a digest: sha256: followed by 64 lowercase hex digits");
        } else if (!moduleExists.test(module)) {
            error("module", "no module " + module + " is stored; upload it first");
        }
    }

    private void workload(DeploymentSpec spec) {
        if (spec.http() == null && spec.job() == null) {
            error("http", "exactly one of http and job is required");
        } else if (spec.http() != null && spec.job() != null) {
            error("job", "must not be set together with http: a deployment is either an http handler or a job");
        } else if (spec.servesHttp()) {
            String path = spec.http().path();
            if (path == null || path.isEmpty()) {
                error("http.path", "is required");
            } else if (!PATH.matcher(path).matches() || path.length() > 1024) {
                error("http.path", "must start with / and be a plain URL path (no spaces, query or fragment)");
            } else {
                routePath(path);
            }
        }
    }

    /** Checks the canonical form ({@link RoutePath}), which is what uniqueness and routing see. */
    private void routePath(String path) {
        try {
            String canonical = RoutePath.ofRoute(path);
            if (RoutePath.reserved(canonical)) {
                error("http.path", "is reserved for the node agent");
            }
        } catch (RoutePath.InvalidPathException e) {
            error("http.path", e.getMessage());
        }
    }

    private void limits(Limits limits) {
        range("limits.memoryMiB", limits.memoryMiB(), 1, 4096);
        range("limits.timeoutMs", limits.timeoutMs(), 1, DeploymentSpec.Limits.MAX_TIMEOUT_MS);
        range("limits.maxConcurrency", limits.maxConcurrency(), 1, 1000);
    }

    /** A list or map of the spec: at most {@code max} entries (every list a node receives is bounded). */
    private void count(String field, int size, int max) {
        if (size > max) {
            error(field, "must have at most " + max + " entries");
        }
    }

    private void range(String field, Integer value, int min, int max) {
        if (value == null) {
            error(field, "is required");
        } else if (value < min || value > max) {
            error(field, "must be between " + min + " and " + max);
        }
    }

    private void map(String field, Map<String, String> entries, Pattern keys, String keyRule) {
        entries.forEach((key, value) -> {
            if (!keys.matcher(key).matches()) {
                error(field + "." + key, "key " + keyRule);
            } else {
                require(field + "." + key, value);
            }
        });
    }

    private void require(String field, String value) {
        if (value == null) {
            error(field, "must not be null");
        }
    }

    private void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }
}
