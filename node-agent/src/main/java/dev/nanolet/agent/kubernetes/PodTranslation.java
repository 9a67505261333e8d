package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.CgiVariables;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.Digits;
import dev.nanolet.wire.RoutePath;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A pod bound to this node → the assignment the node runs, or why it cannot run it. Pure but for
 * {@link Lookup} (config maps and secrets that env refers to).
 *
 * <ul>
 *   <li>exactly one container, no init containers, not a DaemonSet's pod;
 *   <li>{@code image} → the module (an OCI reference, not a bare {@code sha256:} digest); {@code command} then {@code args} → argv after
 *       argv[0] (the pod's {@link Workload}: its controller's name, a ReplicaSet's Deployment's, else the pod's name);
 *   <li>{@code $(VAR)} in {@code command}, {@code args} and env {@code value}s expanded as a kubelet expands it ({@link Expansion});
 *   <li>the Services' variables a kubelet gives, bounded ({@link ServiceEnv});
 *   <li>{@code env} (value, {@code configMapKeyRef}, {@code secretKeyRef}, {@code fieldRef},
 *       {@code resourceFieldRef}) and {@code envFrom} → environment, resolved when the container starts and fixed while it
 *       runs ({@link StartedEnv});
 *   <li>{@code resources.limits.memory} → the memory limit;
 *   <li>{@code restartPolicy} Never/OnFailure → a job, Always → an HTTP handler whose route is the
 *       {@value #ROUTE} annotation, else {@code /} + the first container port's name, in its canonical form
 *       ({@link RoutePath}; one that has none or is the node agent's own is refused);
 *   <li>{@value #TIMEOUT} (a duration such as {@code 5s}, {@code 500ms} or {@code 1h}; a bare number is ms) and {@value #CONCURRENCY}.
 * </ul>
 */
final class PodTranslation {

    static final String ROUTE = "nanolet.dev/route";
    static final String TIMEOUT = "nanolet.dev/timeout";
    static final String CONCURRENCY = "nanolet.dev/max-concurrency";
    /** The longest route, in characters, as platform-api takes a deployment's. */
    static final int MAX_ROUTE = 1024;
    private static final Pattern FIELD_MAP = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private PodTranslation() {}

    /** Config maps, secrets and Services by namespace and name; empty if they do not exist. Secret values decoded. */
    interface Lookup {
        Optional<Map<String, String>> configMap(String namespace, String name);

        Optional<Map<String, String>> secret(String namespace, String name);

        /** The namespace's Services ({@link ServiceEnv}); none by default. */
        default List<Service> services(String namespace) {
            return List.of();
        }

        /** One Service, the API server's ({@link ServiceEnv#MASTER}); none by default. */
        default Optional<Service> service(String namespace, String name) {
            return Optional.empty();
        }
    }

    /** What becomes of a pod. */
    sealed interface Result {}

    /** Run it; {@code warning}, if not null, is told once in a Warning event {@link ServiceEnv#REASON}. */
    record Run(Assignment assignment, String warning) implements Result {
        Run(Assignment assignment) {
            this(assignment, null);
        }
    }

    /** It can never run here: the pod fails with this reason. */
    record Refuse(String reason, String message) implements Result {}

    /**
     * It cannot run yet (a config map, secret or key missing or not readable; its route taken): the container waits with
     * this reason. The pod is weighed again on its next event or resync, and as {@code retry} says.
     */
    record Wait(String reason, String message, Retry retry) implements Result {
        Wait(String reason, String message) {
            this(reason, message, Retry.ON_EVENT);
        }
    }

    /** When a pod that waits is weighed again besides its next event and resync: after a back-off ({@link ReadRetries}), or not. */
    enum Retry {
        /** Not besides them: a permission the API server refused (granted only by an operator), a route taken (weighed again when freed). */
        ON_EVENT,
        /** After a back-off: what it refers to is missing, and a {@code kubectl apply} or a chart may create it just after the pod. */
        MISSING,
        /** After a back-off: what it refers to could not be read now ({@link Unread}). */
        UNREAD
    }

    /** How a module named by its content alone begins (platform mode's form), which a pod's image must not be. */
    private static final String BARE_DIGEST = "sha256:";

    static Result translate(Pod pod, int revision, String nodeIp, Lookup lookup) {
        return translate(pod, revision, nodeIp, lookup, Optional.empty());
    }

    /** With the env its container {@code started} with, if it did: kept as it is, nothing looked up ({@link StartedEnv}). */
    static Result translate(Pod pod, int revision, String nodeIp, Lookup lookup, Optional<Map<String, String>> started) {
        var spec = pod.getSpec();
        if (owner(pod).map(o -> "DaemonSet".equals(o.getKind())).orElse(false)) {
            return new Refuse("UnsupportedPod", "DaemonSet pods do not run on a Wasm node (they tolerate its taint but are containers)");
        }
        if (spec.getInitContainers() != null && !spec.getInitContainers().isEmpty()) {
            return new Refuse("UnsupportedPod", "init containers are not supported on a Wasm node");
        }
        if (spec.getContainers() == null || spec.getContainers().isEmpty()) { // an API server refuses it, a message stays true
            return new Refuse("UnsupportedPod", "a Wasm pod has exactly one container; this pod has none");
        }
        if (spec.getContainers().size() != 1) {
            return new Refuse("UnsupportedPod", "a Wasm pod has exactly one container; sidecars are not supported");
        }
        Container c = spec.getContainers().getFirst();
        if (c.getImage() == null || c.getImage().isBlank()) {
            return new Refuse("InvalidImageName", "container " + Excerpt.of(c.getName()) + " has no image");
        }
        if (c.getImage().startsWith(BARE_DIGEST)) {
            // the node keeps modules compiled by content digest, whoever pulled them: a bare digest would skip the pull
            return new Refuse("InvalidImageName", "image " + Excerpt.of(c.getImage()) + " is a bare digest: name the module by its"
                    + " repository (registry/repository@sha256:...), so that it is pulled with this pod's imagePullSecrets");
        }
        String policy = spec.getRestartPolicy() == null ? "Always" : spec.getRestartPolicy();
        Map<String, String> annotations = pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
        DeploymentSpec.HttpSpec http = null;
        DeploymentSpec.JobSpec job = null;
        if (policy.equals("Always")) {
            Optional<String> route = route(c, annotations);
            if (route.isEmpty()) {
                return new Refuse("UnsupportedPod", "an HTTP pod (restartPolicy Always) needs a route: annotation " + ROUTE
                        + " or a named container port");
            }
            if (route.get().length() > MAX_ROUTE) { // as platform-api: the node weighs each of its prefixes against its routes
                return new Refuse("UnsupportedPod", "a route of " + route.get().length() + " characters is longer than the "
                        + MAX_ROUTE + " a route may have");
            }
            String path;
            try {
                path = RoutePath.ofRoute(route.get());
            } catch (RoutePath.InvalidPathException e) {
                return new Refuse("UnsupportedPod", "route " + Excerpt.of(route.get()) + ": " + e.getMessage());
            }
            if (RoutePath.reserved(path)) {
                return new Refuse("UnsupportedPod", "route " + Excerpt.of(path) + " is reserved for the node agent");
            }
            http = new DeploymentSpec.HttpSpec(path);
        } else {
            job = new DeploymentSpec.JobSpec(policy.equals("OnFailure")
                    ? DeploymentSpec.RestartPolicy.OnFailure : DeploymentSpec.RestartPolicy.Never);
        }
        DeploymentSpec.Limits limits;
        try {
            limits = new DeploymentSpec.Limits(memoryMiB(c), timeoutMs(annotations.get(TIMEOUT)), concurrency(annotations.get(CONCURRENCY)));
        } catch (IllegalArgumentException e) {
            return new Refuse("UnsupportedPod", e.getMessage());
        }
        Expansion expansion = new Expansion();
        Map<String, String> env;
        String warning = null;
        List<String> args = new ArrayList<>();
        try {
            if (started.isPresent()) {
                env = started.get();
            } else {
                Supplier<ServiceEnv.Links> links = ServiceEnv.lazily(pod, lookup);
                env = env(pod, c, nodeIp, lookup, expansion, links, http != null);
                warning = links.get().warning();
            }
            // as a kubelet: command and args name the container's env, whole (the one it started with, if it did)
            for (String arg : Stream.of(c.getCommand(), c.getArgs()).filter(Objects::nonNull).flatMap(List::stream).toList()) {
                args.add(expansion.expand("args", arg, env));
            }
        } catch (MissingConfig e) {
            return new Wait("CreateContainerConfigError", e.getMessage(), e.retry());
        } catch (IllegalArgumentException e) { // the pod's own spec: it never resolves
            return new Refuse("UnsupportedPod", e.getMessage());
        }
        var deploymentSpec = new DeploymentSpec(c.getImage(), http, job, 1, args, env, limits, null);
        String name = Workload.of(pod, owner(pod).orElse(null));
        return new Run(new Assignment(UUID.fromString(pod.getMetadata().getUid()), pod.getMetadata().getNamespace(), name,
                revision, c.getImage(), 0, deploymentSpec, pod.getMetadata().getDeletionTimestamp() != null), warning);
    }

    private static Optional<OwnerReference> owner(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        if (owners == null) {
            return Optional.empty();
        }
        return owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst();
    }

    private static Optional<String> route(Container c, Map<String, String> annotations) {
        String route = annotations.get(ROUTE);
        if (route != null && !route.isBlank()) {
            return Optional.of(route.startsWith("/") ? route.trim() : "/" + route.trim());
        }
        if (c.getPorts() == null) {
            return Optional.empty();
        }
        return c.getPorts().stream().map(ContainerPort::getName).filter(n -> n != null && !n.isBlank()).findFirst().map(n -> "/" + n);
    }

    private static Integer memoryMiB(Container c) {
        if (c.getResources() == null || c.getResources().getLimits() == null || c.getResources().getLimits().get("memory") == null) {
            return null;
        }
        Quantity limit = c.getResources().getLimits().get("memory");
        BigDecimal bytes;
        try {
            bytes = Quantities.amount(limit);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("limits.memory " + Quantities.text(limit) + " is not between 1Mi and 64Gi");
        }
        BigDecimal mib = bytes.divide(BigDecimal.valueOf(1024L * 1024L), 0, RoundingMode.CEILING);
        if (mib.signum() <= 0 || mib.compareTo(BigDecimal.valueOf(65536)) > 0) {
            throw new IllegalArgumentException("limits.memory " + Quantities.text(limit) + " is not between 1Mi and 64Gi");
        }
        return mib.intValueExact();
    }

    private static Integer timeoutMs(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("annotation " + TIMEOUT + " '" + Excerpt.of(value) + "' is not a duration like 5s, 500ms, 2m or 1h");
        }
        Duration unit = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofMillis(1);
        };
        // any number of digits may come, which a long overflows: more than an hour's 7 (in ms) is too long whatever the unit
        String digits = m.group(1).replaceFirst("^0+(?=.)", "");
        long ms = digits.length() > 7 ? Long.MAX_VALUE : Long.parseLong(digits) * unit.toMillis();
        if (ms == 0 || ms > Duration.ofHours(1).toMillis()) {
            throw new IllegalArgumentException("annotation " + TIMEOUT + " '" + Excerpt.of(value) + "' is not between 1ms and 1h");
        }
        return (int) ms;
    }

    private static Integer concurrency(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        long n = Digits.parse(value.trim(), 5).orElse(0);
        if (n >= 1 && n <= 10_000) {
            return (int) n;
        }
        throw new IllegalArgumentException("annotation " + CONCURRENCY + " '" + Excerpt.of(value) + "' is not a number from 1 to 10000");
    }

    /**
     * envFrom, then env in order, each {@code value} with its references to what came before, else to the
     * {@code services}' variables, expanded ({@link Expansion}); then the {@code services}' variables that neither set
     * (read only once the pod's config maps and secrets resolved, unless a reference asked for them before),
     * as a kubelet orders them, but for an {@code http} pod those the node sets for each request ({@link CgiVariables}:
     * a Service named {@code server} gives {@code SERVER_PORT}, one named {@code http-…} names read as headers), which
     * are the request's, not the pod's to be told of ({@link ShadowedEnv}).
     */
    private static Map<String, String> env(Pod pod, Container c, String nodeIp, Lookup lookup, Expansion expansion,
            Supplier<ServiceEnv.Links> services, boolean http) {
        Map<String, String> env = new LinkedHashMap<>();
        String ns = pod.getMetadata().getNamespace();
        if (c.getEnvFrom() != null) {
            for (EnvFromSource from : c.getEnvFrom()) {
                String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                Optional<Map<String, String>> values = Optional.empty();
                if (from.getConfigMapRef() != null) {
                    values = lookup.configMap(ns, from.getConfigMapRef().getName());
                    if (values.isEmpty() && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                        throw new MissingConfig("configmap \"" + Excerpt.of(from.getConfigMapRef().getName()) + "\" not found");
                    }
                } else if (from.getSecretRef() != null) {
                    values = lookup.secret(ns, from.getSecretRef().getName());
                    if (values.isEmpty() && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
                        throw new MissingConfig("secret \"" + Excerpt.of(from.getSecretRef().getName()) + "\" not found");
                    }
                }
                values.ifPresent(v -> v.forEach((k, val) -> env.put(prefix + k, val)));
            }
        }
        if (c.getEnv() != null) {
            for (EnvVar e : c.getEnv()) {
                String value = e.getValueFrom() == null ? expansion.expand("env " + Excerpt.of(e.getName()), e.getValue() == null ? "" : e.getValue(),
                                name -> env.containsKey(name) ? env.get(name) : services.get().env().get(name))
                        : valueFrom(pod, c, e.getName(), e.getValueFrom(), nodeIp, lookup);
                if (value != null) {
                    env.put(e.getName(), value);
                }
            }
        }
        services.get().env().forEach((name, value) -> {
            if (!http || !CgiVariables.isPerRequest(name)) {
                env.putIfAbsent(name, value); // explicit env wins
            }
        });
        return env;
    }

    private static String valueFrom(Pod pod, Container c, String name, EnvVarSource from, String nodeIp, Lookup lookup) {
        String ns = pod.getMetadata().getNamespace();
        if (from.getConfigMapKeyRef() != null) {
            var ref = from.getConfigMapKeyRef();
            return key(lookup.configMap(ns, ref.getName()), "configmap", ref.getName(), ref.getKey(), ref.getOptional());
        }
        if (from.getSecretKeyRef() != null) {
            var ref = from.getSecretKeyRef();
            return key(lookup.secret(ns, ref.getName()), "secret", ref.getName(), ref.getKey(), ref.getOptional());
        }
        if (from.getFieldRef() != null) {
            return field(pod, from.getFieldRef().getFieldPath(), nodeIp);
        }
        if (from.getResourceFieldRef() != null) {
            try {
                return ResourceFields.value(c, from.getResourceFieldRef());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("env " + Excerpt.of(name) + ": " + Excerpt.of(from.getResourceFieldRef().getResource()) + " " + e.getMessage(), e);
            }
        }
        // the pod's spec is fixed: waiting for it would be for ever
        throw new IllegalArgumentException("env " + Excerpt.of(name) + ": this valueFrom is not supported on a Wasm node");
    }

    private static String key(Optional<Map<String, String>> values, String kind, String name, String key, Boolean optional) {
        boolean mayMiss = Boolean.TRUE.equals(optional);
        if (values.isEmpty()) {
            if (mayMiss) {
                return null;
            }
            throw new MissingConfig(kind + " \"" + Excerpt.of(name) + "\" not found");
        }
        String v = values.get().get(key);
        if (v == null && !mayMiss) {
            throw new MissingConfig("couldn't find key " + Excerpt.of(key) + " in " + kind + " " + Excerpt.of(name));
        }
        return v;
    }

    private static String field(Pod pod, String path, String nodeIp) {
        var meta = pod.getMetadata();
        Matcher m = FIELD_MAP.matcher(path);
        if (m.matches()) {
            Map<String, String> map = m.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
            return map == null ? "" : map.getOrDefault(m.group(2), "");
        }
        return switch (path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
            case "status.podIP", "status.hostIP", "status.podIPs", "status.hostIPs" -> nodeIp;
            default -> throw new IllegalArgumentException("fieldRef " + Excerpt.of(path) + " is not supported");
        };
    }

    /**
     * A config map, secret or key that env refers to is missing, or the API server did not give it (the kubelet's
     * CreateContainerConfigError); {@code retry}: when the pod is weighed again.
     */
    static class MissingConfig extends RuntimeException {

        private final Retry retry;

        MissingConfig(String message) {
            this(message, Retry.MISSING);
        }

        MissingConfig(String message, Retry retry) {
            super(message);
            this.retry = retry;
        }

        Retry retry() {
            return retry;
        }
    }

    /** What env refers to could not be read now (the API server failed, not refused): tried again soon. */
    static final class Unread extends MissingConfig {
        Unread(String message) {
            super(message, Retry.UNREAD);
        }
    }
}
