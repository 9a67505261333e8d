package dev.nanolet.agent.kubernetes;

import dev.nanolet.oci.RegistryCredentials;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Config maps and secrets that pods refer to (env values and image pull secrets), read by blocking GETs; and Services
 * (their env), read from their informer's cache ({@link ServiceCache}).
 */
final class ClusterConfig implements PodTranslation.Lookup {

    private final KubernetesClient client;
    private final ServiceCache services;

    /** @param services the Services, read from their informer's cache (started by the caller) */
    ClusterConfig(KubernetesClient client, ServiceCache services) {
        this.client = client;
        this.services = services;
    }

    @Override
    public Optional<Map<String, String>> configMap(String namespace, String name) {
        ConfigMap cm = readable("configmap \"" + Excerpt.of(name) + "\"", "get on configmaps",
                () -> client.configMaps().inNamespace(namespace).withName(name).get());
        return cm == null ? Optional.empty() : Optional.of(cm.getData() == null ? Map.of() : cm.getData());
    }

    @Override
    public List<Service> services(String namespace) {
        return services.services(namespace);
    }

    @Override
    public Optional<Service> service(String namespace, String name) {
        return services.service(namespace, name);
    }

    /**
     * A read the API server refuses (a 403: the node's RBAC lacks {@code verbs}; a 401: it did not take the node's
     * credentials) waits as a missing config map does, saying so in the pod's status, but is read again only on the
     * pod's next event or its resync, not after a back-off as a missing one is: a permission changes only when an
     * operator grants it, and a refusal read again every few seconds would only load the API server. Any other failure
     * (a 5xx, a 429 past the client's retries, no answer) waits saying so too, and is tried again soon ({@link PodTranslation.Unread}).
     */
    private static <T> T readable(String what, String verbs, Supplier<T> read) {
        try {
            return read.get();
        } catch (KubernetesClientException e) {
            throw unreadable(what, verbs, e);
        }
    }

    /** What {@code e}, the API server's refusal or failure of a read of {@code what}, means for the pod ({@link #readable}). */
    static PodTranslation.MissingConfig unreadable(String what, String verbs, KubernetesClientException e) {
        Optional<String> refused = refusal(e.getCode(), verbs);
        if (refused.isPresent()) {
            return new PodTranslation.MissingConfig(what + " cannot be read for the container's env: " + refused.get()
                    + " (" + e.getCode() + ")", PodTranslation.Retry.ON_EVENT);
        }
        return unread(what, e.getCode() > 0 ? "HTTP " + e.getCode() : Excerpt.of(e.getMessage()));
    }

    /**
     * What an answer {@code code} of the API server says the node must be given, if it is a refusal: for a 403 the
     * permission {@code verbs}, for a 401 credentials it takes; nothing for any other failure (a 5xx, a timeout), which
     * no permission mends.
     */
    static Optional<String> refusal(int code, String verbs) {
        return switch (code) {
            case 403 -> Optional.of("the node agent's service account needs " + verbs);
            case 401 -> Optional.of("the API server did not take the node agent's credentials");
            default -> Optional.empty();
        };
    }

    static PodTranslation.Unread unread(String what, String why) {
        return new PodTranslation.Unread(what + " cannot be read now (" + why + "): trying again shortly");
    }

    @Override
    public Optional<Map<String, String>> secret(String namespace, String name) {
        return readable("secret \"" + Excerpt.of(name) + "\"", "get on secrets", () -> read(namespace, name));
    }

    private Optional<Map<String, String>> read(String namespace, String name) {
        Secret s = client.secrets().inNamespace(namespace).withName(name).get();
        if (s == null) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (s.getStringData() != null) {
            values.putAll(s.getStringData());
        }
        return Optional.of(values);
    }

    /** The credentials for {@code registry} in the first of {@code pod}'s own {@code imagePullSecrets} that has some; null if none does. */
    RegistryCredentials credentials(Pod pod, String registry) {
        List<LocalObjectReference> refs = pod.getSpec().getImagePullSecrets();
        for (LocalObjectReference ref : refs == null ? List.<LocalObjectReference>of() : refs) {
            // not a pod's env: a failure is the pull's, told as its own
            Optional<Map<String, String>> secret = read(pod.getMetadata().getNamespace(), ref.getName());
            Optional<String> json = secret.map(s -> s.getOrDefault(".dockerconfigjson", s.get(".dockercfg")));
            if (json.isPresent()) {
                RegistryCredentials c = RegistryCredentials.fromDockerConfig(json.get()).get(registry);
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }
}
