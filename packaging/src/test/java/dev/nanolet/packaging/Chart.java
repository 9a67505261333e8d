package dev.nanolet.packaging;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** helm/nanolet rendered by the Helm that helm-java bundles, and read back with fabric8. */
final class Chart {
    static final String RELEASE = "demo";
    static final String NAMESPACE = "nanolet";

    /** The value combinations every chart test renders: name → --set values. */
    static final Map<String, Map<String, Object>> COMBINATIONS = Map.of(
            "defaults", Map.of(),
            "external database", Map.of(
                    "postgresql.enabled", false,
                    "externalDatabase.url", "jdbc:postgresql://db.example.com:5432/nanolet",
                    "externalDatabase.existingSecret", "nanolet-db"),
            "three API replicas", Map.of("platformApi.replicas", 3),
            "ingress on", Map.of("ingress.enabled", true, "ingress.host", "nanolet.example.com", "ingress.tlsSecret", "nanolet-tls",
                    "adminUi.trustedProxies[0]", "10.244.0.0/16"),
            "node agents off", Map.of("nodeAgents.enabled", false),
            "nodes in platform mode", Map.of("nodeAgents.controlPlane", "platform", "nodeAgents.persistence.enabled", false));

    private Chart() {}

    static Helm helm() {
        return new Helm(Repo.path("helm/nanolet"));
    }

    /** {@code helm template} with these --set values; throws when Helm refuses them. */
    static String template(Map<String, Object> values) {
        ChartCluster.client();
        var command = helm().template().withName(RELEASE).withNamespace(NAMESPACE);
        values.forEach(command::set);
        return command.call();
    }

    static List<HasMetadata> render(Map<String, Object> values) {
        return parse(template(values));
    }

    static List<HasMetadata> parse(String yaml) {
        try (KubernetesClient offline = new KubernetesClientBuilder().build()) {
            return offline.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> Optional<T> find(List<HasMetadata> items, Class<T> kind, String nameSuffix) {
        return items.stream()
                .filter(kind::isInstance)
                .filter(i -> i.getMetadata().getName().endsWith(nameSuffix))
                .map(i -> (T) i)
                .findFirst();
    }

    /** The pod spec of a workload (Deployment, StatefulSet, Job, Pod), if the item is one. */
    static Optional<PodSpec> podSpec(HasMetadata item) {
        return Optional.ofNullable(switch (item) {
            case Deployment d -> d.getSpec().getTemplate().getSpec();
            case StatefulSet s -> s.getSpec().getTemplate().getSpec();
            case Job j -> j.getSpec().getTemplate().getSpec();
            case Pod p -> p.getSpec();
            default -> null;
        });
    }

    static List<Container> containers(List<HasMetadata> items) {
        return items.stream().flatMap(i -> podSpec(i).stream()).flatMap(s -> s.getContainers().stream()).toList();
    }

    static Container container(List<HasMetadata> items, String name) {
        return containers(items).stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static Optional<String> env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .map(e -> e.getValue() != null ? e.getValue() : "<from " + e.getValueFrom() + ">");
    }
}
