package dev.nanolet.wire;

import java.util.List;
import java.util.Map;

/**
 * Desired state of a deployment, as a user applies it. Exactly one of {@code http} and
 * {@code job} is set (platform-api validates and answers 422 otherwise; this record
 * accepts anything so that validation can name every field at fault at once).
 *
 * @param module digest of the module to run
 * @param replicas desired number of replicas (0–1000)
 * @param progressDeadlineSeconds how long a rollout may take before its {@code Progressing} condition
 *     turns {@code False} with reason {@code ProgressDeadlineExceeded} (default 600, as Kubernetes)
 * @param bindings outside systems the module reaches by name through the {@code nanolet} host API
 *     (docs/bindings.md); the values they need come from secrets, never from the spec
 * @param volumes directories granted to the module, each private to one replica on its node
 * @param secretEnv environment variables whose values come from a secret in the deployment's namespace
 *     (docs/secrets.md); a user may also write them inside {@code env} as
 *     {@code {"valueFrom": {"secret": …, "key": …}}}, which platform-api moves here; a name is in at most one of the two
 */
public record DeploymentSpec(
        String module,
        HttpSpec http,
        JobSpec job,
        Integer replicas,
        List<String> args,
        Map<String, String> env,
        Limits limits,
        Map<String, String> nodeSelector,
        Integer progressDeadlineSeconds,
        List<Binding> bindings,
        List<Volume> volumes,
        Map<String, SecretKeyRef> secretEnv) {
    /** Kubernetes' default progress deadline. */
    public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

    public DeploymentSpec {
        args = Collections2.list(args);
        env = Collections2.map(env);
        nodeSelector = Collections2.map(nodeSelector);
        limits = limits == null ? Limits.DEFAULT : limits.withDefaults();
        replicas = replicas == null ? 1 : replicas;
        progressDeadlineSeconds = progressDeadlineSeconds == null ? DEFAULT_PROGRESS_DEADLINE_SECONDS : progressDeadlineSeconds;
        bindings = Collections2.list(bindings);
        volumes = Collections2.list(volumes);
        secretEnv = Collections2.map(secretEnv);
    }

    /** A spec without secret env. */
    public DeploymentSpec(String module, HttpSpec http, JobSpec job, Integer replicas, List<String> args,
            Map<String, String> env, Limits limits, Map<String, String> nodeSelector, Integer progressDeadlineSeconds,
            List<Binding> bindings, List<Volume> volumes) {
        this(module, http, job, replicas, args, env, limits, nodeSelector, progressDeadlineSeconds, bindings, volumes, null);
    }

    /** A spec without bindings or volumes. */
    public DeploymentSpec(String module, HttpSpec http, JobSpec job, Integer replicas, List<String> args,
            Map<String, String> env, Limits limits, Map<String, String> nodeSelector, Integer progressDeadlineSeconds) {
        this(module, http, job, replicas, args, env, limits, nodeSelector, progressDeadlineSeconds, null, null);
    }

    /** A spec with the default progress deadline. */
    public DeploymentSpec(String module, HttpSpec http, JobSpec job, Integer replicas, List<String> args,
            Map<String, String> env, Limits limits, Map<String, String> nodeSelector) {
        this(module, http, job, replicas, args, env, limits, nodeSelector, null, null, null);
    }

    /** Whether this spec describes an HTTP handler (else a job). */
    public boolean servesHttp() {
        return http != null;
    }

    /** The same spec with another replica count. */
    public DeploymentSpec withReplicas(int n) {
        return new DeploymentSpec(module, http, job, n, args, env, limits, nodeSelector, progressDeadlineSeconds, bindings, volumes, secretEnv);
    }

    /** The same spec served at another route (every other field kept, so new fields cannot be dropped on the way). */
    public DeploymentSpec withHttp(HttpSpec route) {
        return new DeploymentSpec(module, route, job, replicas, args, env, limits, nodeSelector, progressDeadlineSeconds, bindings, volumes, secretEnv);
    }

    /** The same spec with another progress deadline. */
    public DeploymentSpec withProgressDeadlineSeconds(int seconds) {
        return new DeploymentSpec(module, http, job, replicas, args, env, limits, nodeSelector, seconds, bindings, volumes, secretEnv);
    }

    /**
     * An outside system the module uses by {@code name}.
     *
     * @param type {@code postgres} (a PostgreSQL database) or {@code kv} (a key-value store kept in one)
     * @param secret the secret in the deployment's namespace that holds the connection values
     *     ({@code url}, {@code user}, {@code password})
     */
    public record Binding(String name, String type, String secret) {
        /** What a binding may be called: lower-case letters, digits, {@code -} and {@code _}, at most 63, alphanumeric at both ends. */
        public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9]([-_a-z0-9]{0,61}[a-z0-9])?");
    }

    /** The value of {@code key} in the secret {@code secret} of the deployment's namespace. */
    public record SecretKeyRef(String secret, String key) {}

    /**
     * A directory granted to the module at {@code mountPath} (a guest path): private to one replica on its
     * node, kept across that replica's requests and runs, removed with the replica.
     */
    public record Volume(String name, String mountPath) {}

    /** An HTTP handler served at {@code path} and below (longest prefix wins). */
    public record HttpSpec(String path) {}

    /** A run-to-completion job. */
    public record JobSpec(RestartPolicy restartPolicy) {
        public JobSpec {
            restartPolicy = restartPolicy == null ? RestartPolicy.Never : restartPolicy;
        }
    }

    /** What a node does when a job exits non-zero. */
    public enum RestartPolicy { Never, OnFailure }

    /**
     * Per-instance limits.
     *
     * @param memoryMiB cap on linear memory per instance, and what the scheduler reserves per replica
     * @param timeoutMs wall-clock limit per HTTP request or per job run
     * @param maxConcurrency instances of this deployment that may run at once on each node (its replicas on
     *     one node share the limit; each node counts separately); one more request answers 503
     */
    public record Limits(Integer memoryMiB, Integer timeoutMs, Integer maxConcurrency) {
        public static final Limits DEFAULT = new Limits(64, 10_000, 16);
        /** The largest {@code timeoutMs} platform-api accepts; a node waits for a forwarded answer at most about this long. */
        public static final int MAX_TIMEOUT_MS = 600_000;

        Limits withDefaults() {
            return new Limits(
                    memoryMiB == null ? DEFAULT.memoryMiB : memoryMiB,
                    timeoutMs == null ? DEFAULT.timeoutMs : timeoutMs,
                    maxConcurrency == null ? DEFAULT.maxConcurrency : maxConcurrency);
        }
    }
}
