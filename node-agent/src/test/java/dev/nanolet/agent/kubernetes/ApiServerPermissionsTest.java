package dev.nanolet.agent.kubernetes;

import static dev.nanolet.agent.kubernetes.QuickPolls.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.control.RecordingDesiredState;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart's ClusterRole for node agents (helm/nanolet) grants what the agent asks of the API server, and nothing
 * more: every request of a node's life (register, run a pod that names a config map, a secret and a pull secret, refuse
 * one, report, renew, drain and delete, leave, register again after a restart) is taken as the API server's authorizer
 * takes it (resource, subresource and verb) and compared with the chart's rules. A fabric8 call that needs a verb the
 * chart does not grant fails here, not with a 403 in a user's cluster.
 */
class ApiServerPermissionsTest {

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Path TEMPLATE = Path.of("..", "helm", "nanolet", "templates", "node-agent.yaml");
    /** The grace period of the test's own delete of pod web (a user's {@code kubectl delete}); the agent's is 0. */
    private static final long USERS_GRACE = 30;

    @Test
    void theChartsClusterRoleGrantsExactlyWhatTheAgentAsks() throws IOException {
        Set<String> asked = new ConcurrentSkipListSet<>();
        try (MockCluster cluster = new MockCluster()) {
            String image = cluster.image("web", "hello.wasm");
            Pod web = cluster.create(webPodWithItsConfig(cluster, image));
            cluster.create(MockCluster.pod("init", MockCluster.NODE, image, "Never")
                    .editSpec().addNewInitContainer().withName("i").withImage(image).endInitContainer().endSpec().build());
            cluster.failing = request -> {
                if (!usersDelete(request)) {
                    asked.add(Rbac.of(request));
                }
                return false;
            };
            RecordingDesiredState desired = new RecordingDesiredState();
            // behind, so that the drain does not end at once for a grace period the mock dates from now
            var adapter = cluster.adapter(desired, id -> true, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-30)));
            adapter.register().block(CALL);
            var watching = adapter.watch().subscribe(x -> {}, e -> {});
            UUID id = UUID.fromString(web.getMetadata().getUid());
            await().atMost(CALL).until(() -> desired.desired.containsKey(id));
            adapter.fetch(id, image);
            adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0)).block(CALL);
            adapter.renewLease(new NodeUsage(List.of())).block(CALL);
            cluster.client.pods().inNamespace("default").withName("web").withGracePeriod(USERS_GRACE).delete();
            await().atMost(CALL).until(() -> desired.desired.get(id).terminating());
            adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Terminating, "Stopped", "stopped", 0)).block(CALL);
            await().atMost(CALL).until(() -> asked.containsAll(Set.of("pods delete", "events create", "pods watch", "services watch")));
            adapter.leave().block(CALL);
            watching.dispose();
            adapter.close();
            try (var restarted = cluster.adapter(new RecordingDesiredState(), i -> true)) {
                restarted.register().block(CALL);
            }
        }

        assertThat(asked).isEqualTo(granted());
    }

    /**
     * The test's own graceful delete of pod web, which reaches the mock server as the agent's requests do (they share a
     * client): not the agent's, which must be seen asking {@code pods delete} itself once the drain ends.
     */
    private static boolean usersDelete(String request) {
        return request.startsWith("DELETE /api/v1/namespaces/default/pods/web ") && request.contains("\"gracePeriodSeconds\":" + USERS_GRACE + ",");
    }

    /** Pod {@code web} on this node, whose env names a config map and a secret, with a pull secret; all three exist. */
    private static Pod webPodWithItsConfig(MockCluster cluster, String image) {
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("settings").endMetadata().addToData("greeting", "hi").build()).create();
        cluster.client.secrets().inNamespace("default").resource(new SecretBuilder()
                .withNewMetadata().withName("creds").endMetadata().addToStringData("token", "t").build()).create();
        cluster.client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("pull").endMetadata()
                .withType("kubernetes.io/dockerconfigjson").addToStringData(".dockerconfigjson", "{\"auths\":{}}").build()).create();
        return MockCluster.pod("web", MockCluster.NODE, image, "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, "/web").addToFinalizers("nanolet.dev/test-keep").endMetadata()
                .editSpec().addNewImagePullSecret("pull").editFirstContainer()
                    .addNewEnv().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef("greeting", "settings", false).endValueFrom().endEnv()
                    .addNewEnv().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef("token", "creds", false).endValueFrom().endEnv()
                .endContainer().endSpec().build();
    }

    /** The chart's ClusterRole rules (literal YAML in the template, after {@code rules:}) as "resource verb" pairs. */
    private static Set<String> granted() throws IOException {
        String template = Files.readString(TEMPLATE);
        int rules = template.indexOf("\nrules:\n", template.indexOf("kind: ClusterRole\n"));
        String yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: node}"
                + template.substring(rules, template.indexOf("\n---", rules));
        try (var offline = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build()) {
            ClusterRole role = offline.getKubernetesSerialization().unmarshal(yaml, ClusterRole.class);
            return role.getRules().stream().flatMap(r -> r.getApiGroups().stream().flatMap(g -> r.getResources().stream()
                    .flatMap(res -> r.getVerbs().stream().map(v -> Rbac.resource(g, res) + " " + v)))).collect(Collectors.toSet());
        }
    }
}
