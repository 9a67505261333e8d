package dev.nanolet.packaging;

import static dev.nanolet.packaging.Chart.container;
import static dev.nanolet.packaging.Chart.env;
import static dev.nanolet.packaging.Chart.find;
import static dev.nanolet.packaging.Chart.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** helm/nanolet: lint, and what `helm template` renders for the defaults and other combinations. */
class ChartTest {

    @Test
    void lintsStrictlyClean() {
        var result = Chart.helm().lint().strict().call();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void defaultsRenderTheWholePlatformWithNodeAgentsAsVirtualKubelets() {
        List<HasMetadata> items = render(Map.of());

        assertThat(find(items, Deployment.class, "-platform-api")).get()
                .satisfies(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(1));
        assertThat(find(items, Deployment.class, "-admin-ui")).isPresent();
        assertThat(find(items, StatefulSet.class, "-postgresql")).get()
                .satisfies(s -> assertThat(s.getSpec().getVolumeClaimTemplates()).hasSize(1));
        assertThat(find(items, PodDisruptionBudget.class, "")).isEmpty();
        assertThat(find(items, Ingress.class, "")).isEmpty();

        StatefulSet nodes = find(items, StatefulSet.class, "-node").orElseThrow();
        assertThat(nodes.getSpec().getReplicas()).isEqualTo(2);
        var agent = container(items, "node-agent");
        assertThat(env(agent, "NANOLET_CONTROL_PLANE")).contains("kubernetes");
        assertThat(agent.getEnv()).filteredOn(e -> e.getName().equals("NANOLET_NODE_NAME"))
                .singleElement().satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name"));
        assertThat(env(agent, "NANOLET_KUBELET_TLS_CERT")).contains("/etc/nanolet/kubelet-tls/tls.crt");
        assertThat(env(agent, "NANOLET_PLATFORM_URL")).isEmpty();
        assertThat(find(items, Secret.class, "-kubelet-tls")).get()
                .satisfies(s -> assertThat(s.getData()).containsKeys("tls.crt", "tls.key"));
    }

    @Test
    void runtimeClassSendsPodsToTheWasmNodes() {
        RuntimeClass rc = find(render(Map.of()), RuntimeClass.class, "nanolet").orElseThrow();

        assertThat(rc.getHandler()).isEqualTo("nanolet");
        assertThat(rc.getScheduling().getNodeSelector()).containsEntry("kubernetes.io/arch", "wasm32-wasi");
        assertThat(rc.getScheduling().getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("kubernetes.io/arch");
            assertThat(t.getValue()).isEqualTo("wasm32-wasi");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
    }

    /**
     * The node agent's ClusterRole grants what the agent calls and nothing more: the requests it makes (seen on the mock
     * API server, docs/kubernetes.md "Install"). A list or watch of secrets, which the agent never makes, hands over
     * every Secret of the cluster; so would write verbs it never uses on pods or nodes.
     */
    @Test
    void nodeAgentsMayDoWhatTheAgentCallsAndNothingMore() {
        ClusterRole role = find(render(Map.of()), ClusterRole.class, "-node").orElseThrow();

        assertThat(role.getRules().stream().flatMap(r -> r.getApiGroups().stream().flatMap(g -> r.getResources().stream()
                .flatMap(res -> r.getVerbs().stream().map(v -> (g.isEmpty() ? "" : g + "/") + res + " " + v)))))
                .containsExactlyInAnyOrder("nodes get", "nodes create", "nodes patch", "nodes/status patch",
                        "coordination.k8s.io/leases get", "coordination.k8s.io/leases create", "coordination.k8s.io/leases patch",
                        "pods get", "pods list", "pods watch", "pods delete", "pods/status patch", "events create",
                        "secrets get", "configmaps get", "services list", "services watch");
    }

    @Test
    void threeApiReplicasGetADisruptionBudget() {
        List<HasMetadata> items = render(Map.of("platformApi.replicas", 3));

        assertThat(find(items, Deployment.class, "-platform-api").orElseThrow().getSpec().getReplicas()).isEqualTo(3);
        assertThat(find(items, PodDisruptionBudget.class, "-platform-api")).get()
                .satisfies(p -> assertThat(p.getSpec().getMinAvailable().getIntVal()).isEqualTo(1));
    }

    @Test
    void externalDatabaseReplacesTheBundledOne() {
        List<HasMetadata> items = render(Chart.COMBINATIONS.get("external database"));

        assertThat(find(items, StatefulSet.class, "-postgresql")).isEmpty();
        var api = container(items, "platform-api");
        assertThat(env(api, "NANOLET_DB_URL")).contains("jdbc:postgresql://db.example.com:5432/nanolet");
        assertThat(api.getEnv()).filteredOn(e -> e.getName().equals("NANOLET_DB_PASSWORD"))
                .singleElement().satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("nanolet-db"));
        assertThat(find(items, Secret.class, "-db")).isEmpty();
    }

    @Test
    void ingressServesTheDashboardAndTheApi() {
        Ingress ingress = find(render(Chart.COMBINATIONS.get("ingress on")), Ingress.class, "").orElseThrow();

        var rule = ingress.getSpec().getRules().getFirst();
        assertThat(rule.getHost()).isEqualTo("nanolet.example.com");
        assertThat(rule.getHttp().getPaths()).extracting(p -> p.getPath() + " -> " + p.getBackend().getService().getName())
                .containsExactly("/api -> demo-nanolet-platform-api", "/ -> demo-nanolet-admin-ui");
        assertThat(ingress.getSpec().getTls()).singleElement().satisfies(t -> assertThat(t.getSecretName()).isEqualTo("nanolet-tls"));
    }

    @Test
    void theDashboardTrustsTheProxiesGivenAndOtherwiseNone() {
        assertThat(env(container(render(Map.of()), "admin-ui"), "NANOLET_UI_TRUSTED_PROXIES")).isEmpty();

        var ui = container(render(Map.of("adminUi.trustedProxies[0]", "10.244.0.0/16", "adminUi.trustedProxies[1]", "fd00::/8")), "admin-ui");

        assertThat(env(ui, "NANOLET_UI_TRUSTED_PROXIES")).contains("10.244.0.0/16,fd00::/8");
    }

    /**
     * admin-ui's "try it" calls the route from its own pod (docs/admin-ui.md), where its own default,
     * 127.0.0.1:8181, is nothing: by default it calls the node agents' routes Service, on that Service's port.
     */
    @Test
    void theDashboardTriesRoutesThroughTheNodeAgentsServiceUnlessGivenAnotherUrl() {
        List<HasMetadata> items = render(Map.of("nodeAgents.service.port", 9181));
        URI route = URI.create(env(container(items, "admin-ui"), "NANOLET_ROUTE_URL")
                .orElseThrow(() -> new AssertionError("no NANOLET_ROUTE_URL: admin-ui would call 127.0.0.1:8181, its own pod")));

        Service routes = find(items, Service.class, route.getHost()).orElseThrow(() -> new AssertionError("no Service " + route.getHost()));
        assertThat(route.getScheme()).isEqualTo("http");
        assertThat(routes.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "node-agent");
        assertThat(routes.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(route.getPort()));
        assertThat(route.getPort()).isEqualTo(9181);

        assertThat(env(container(render(Map.of("adminUi.routeUrl", "http://wasm.example.com")), "admin-ui"), "NANOLET_ROUTE_URL"))
                .contains("http://wasm.example.com");
        assertThat(env(container(render(Map.of("nodeAgents.enabled", false)), "admin-ui"), "NANOLET_ROUTE_URL")).isEmpty();
    }

    @Test
    void nodesServeMetricsToTheNetworksAllowedAndOtherwiseToLoopbackOnly() {
        assertThat(env(container(render(Map.of()), "node-agent"), "NANOLET_METRICS_ALLOW")).isEmpty();

        var agent = container(render(Map.of("nodeAgents.metricsAllow[0]", "10.0.0.0/8", "nodeAgents.metricsAllow[1]", "fd00::/8")), "node-agent");

        assertThat(env(agent, "NANOLET_METRICS_ALLOW")).contains("10.0.0.0/8,fd00::/8");
    }

    @Test
    void nodeAgentsOffLeavesNoNodeObjects() {
        List<HasMetadata> items = render(Map.of("nodeAgents.enabled", false));

        assertThat(items).noneMatch(i -> i.getMetadata().getName().contains("-node"));
        assertThat(find(items, Deployment.class, "-platform-api")).isPresent();
    }

    @Test
    void platformModeNodesRegisterWithTheApiUsingTheNodeToken() {
        var agent = container(render(Chart.COMBINATIONS.get("nodes in platform mode")), "node-agent");

        assertThat(env(agent, "NANOLET_PLATFORM_URL")).contains("http://demo-nanolet-platform-api:8090");
        assertThat(env(agent, "NANOLET_NODE_TOKEN")).get().asString().contains("demo-nanolet-auth");
        assertThat(env(agent, "NANOLET_KUBELET_PORT")).isEmpty();
    }

    @Test
    void everyPodRunsAsNonRootWithoutPrivilegeEscalation() {
        for (var combination : Chart.COMBINATIONS.entrySet()) {
            for (HasMetadata item : render(combination.getValue())) {
                Chart.podSpec(item).ifPresent(spec -> {
                    String where = combination.getKey() + ": " + item.getKind() + " " + item.getMetadata().getName();
                    assertThat(spec.getSecurityContext().getRunAsNonRoot()).as(where).isTrue();
                    spec.getContainers().forEach(c -> {
                        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(where).isFalse();
                        assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(where).containsExactly("ALL");
                        if (!(item instanceof Pod) && !c.getName().equals("postgresql")) {
                            assertThat(c.getResources().getLimits()).as(where).containsKey("memory");
                        }
                    });
                });
            }
        }
    }

    @Test
    void serviceProbesAskActuator() {
        List<HasMetadata> items = render(Map.of());

        for (String service : List.of("platform-api", "node-agent")) {
            var c = container(items, service);
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        }
        assertThat(container(items, "admin-ui").getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health");
    }

    @Test
    void aNewInstallGeneratesRandomTokens() {
        Secret first = find(render(Map.of()), Secret.class, "-auth").orElseThrow();
        Secret second = find(render(Map.of()), Secret.class, "-auth").orElseThrow();

        assertThat(first.getData().get("admin-token")).isNotEqualTo(second.getData().get("admin-token"))
                .isNotEqualTo(first.getData().get("node-token"));
        assertThat(decode(first.getData().get("admin-token"))).hasSize(40);
    }

    @Test
    void aNewInstallGeneratesASecretsKeyOf32BytesThatPlatformApiMustRead() {
        List<HasMetadata> items = render(Map.of());
        Secret first = find(items, Secret.class, "-auth").orElseThrow();
        Secret second = find(render(Map.of()), Secret.class, "-auth").orElseThrow();

        // the Secret's data is base64 of the variable's value, which is itself base64 of 32 bytes
        assertThat(Base64.getDecoder().decode(decode(first.getData().get("secrets-key")))).hasSize(32);
        assertThat(first.getData().get("secrets-key")).isNotEqualTo(second.getData().get("secrets-key"));
        var key = secretsKeyRef(container(items, "platform-api"));
        assertThat(key.getName()).isEqualTo(first.getMetadata().getName());
        assertThat(key.getKey()).isEqualTo("secrets-key");
        assertThat(key.getOptional()).as("a generated key is required").isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void anExistingAuthSecretMayLeaveOutTheSecretsKey() {
        var key = secretsKeyRef(container(render(Map.of("auth.existingSecret", "mine")), "platform-api"));

        assertThat(key.getName()).isEqualTo("mine");
        assertThat(key.getOptional()).isTrue();
    }

    @Test
    void anUpgradeKeepsTheSecretsKeyAndAddsOneToAnAuthSecretFromBeforeIt() {
        KubernetesClient cluster = ChartCluster.client();
        Secret older = secret("demo-nanolet-auth", Map.of("admin-token", "kept-admin", "node-token", "kept-node"));
        cluster.resource(older).create();
        try {
            Map<String, String> added = find(render(Map.of()), Secret.class, "-auth").orElseThrow().getData();
            assertThat(added).containsEntry("admin-token", encode("kept-admin"));
            assertThat(Base64.getDecoder().decode(decode(added.get("secrets-key")))).hasSize(32);

            cluster.resource(secret("demo-nanolet-auth", Map.of("admin-token", "kept-admin", "node-token", "kept-node",
                    "secrets-key", "a2VwdC1zZWNyZXRzLWtleS1vZi0zMi1ieXRlcy0hISE="))).update();
            assertThat(find(render(Map.of()), Secret.class, "-auth").orElseThrow().getData())
                    .containsEntry("secrets-key", encode("a2VwdC1zZWNyZXRzLWtleS1vZi0zMi1ieXRlcy0hISE="));
        } finally {
            cluster.resource(older).delete();
        }
    }

    /**
     * docs/secrets.md's rotation starts platform-api with the old key as NANOLET_SECRETS_KEY_PREVIOUS: the chart reads it
     * from key secrets-key-previous of the auth secret when the operator put one there, and an upgrade meanwhile keeps it
     * (the chart renders the auth secret's data, so a key it did not know was dropped and the stored secrets unreadable).
     */
    @Test
    void aRotationsPreviousKeyIsReadFromTheAuthSecretAndAnUpgradeKeepsIt() {
        var previous = secretsKeyRef(container(render(Map.of()), "platform-api"), "NANOLET_SECRETS_KEY_PREVIOUS");
        assertThat(previous.getKey()).isEqualTo("secrets-key-previous");
        assertThat(previous.getOptional()).as("none but while rotating").isTrue();
        assertThat(find(render(Map.of()), Secret.class, "-auth").orElseThrow().getData()).doesNotContainKey("secrets-key-previous");

        KubernetesClient cluster = ChartCluster.client();
        Secret rotating = secret("demo-nanolet-auth", Map.of("admin-token", "kept-admin", "node-token", "kept-node",
                "secrets-key", "bmV3LXNlY3JldHMta2V5LW9mLTMyLWJ5dGVzLSEhISE=",
                "secrets-key-previous", "a2VwdC1zZWNyZXRzLWtleS1vZi0zMi1ieXRlcy0hISE="));
        cluster.resource(rotating).create();
        try {
            assertThat(find(render(Map.of()), Secret.class, "-auth").orElseThrow().getData())
                    .containsEntry("secrets-key", encode("bmV3LXNlY3JldHMta2V5LW9mLTMyLWJ5dGVzLSEhISE="))
                    .containsEntry("secrets-key-previous", encode("a2VwdC1zZWNyZXRzLWtleS1vZi0zMi1ieXRlcy0hISE="));
        } finally {
            cluster.resource(rotating).delete();
        }
    }

    private static io.fabric8.kubernetes.api.model.SecretKeySelector secretsKeyRef(io.fabric8.kubernetes.api.model.Container c) {
        return secretsKeyRef(c, "NANOLET_SECRETS_KEY");
    }

    private static io.fabric8.kubernetes.api.model.SecretKeySelector secretsKeyRef(io.fabric8.kubernetes.api.model.Container c,
            String variable) {
        return c.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst().orElseThrow()
                .getValueFrom().getSecretKeyRef();
    }

    @Test
    void anUpgradeKeepsTheTokensAndTheDatabasePassword() {
        KubernetesClient cluster = ChartCluster.client();
        List<Secret> existing = List.of(
                secret("demo-nanolet-auth", Map.of("admin-token", "kept-admin", "node-token", "kept-node")),
                secret("demo-nanolet-db", Map.of("password", "kept-password")));
        existing.forEach(s -> cluster.resource(s).create());
        try {
            List<HasMetadata> items = render(Map.of());

            assertThat(find(items, Secret.class, "-auth").orElseThrow().getData())
                    .containsEntry("admin-token", encode("kept-admin")).containsEntry("node-token", encode("kept-node"));
            assertThat(find(items, Secret.class, "-db").orElseThrow().getData()).containsEntry("password", encode("kept-password"));
            assertThat(find(items, Secret.class, "-auth").orElseThrow().getMetadata().getAnnotations())
                    .containsEntry("helm.sh/resource-policy", "keep");
        } finally {
            existing.forEach(s -> cluster.resource(s).delete());
        }
    }

    private static Secret secret(String name, Map<String, String> values) {
        var data = new java.util.HashMap<String, String>();
        values.forEach((k, v) -> data.put(k, encode(v)));
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(Chart.NAMESPACE).endMetadata().withData(data).build();
    }

    private static String encode(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    /** What {@code helm install --dry-run} prints with these --set values: the manifests and then the NOTES. */
    private static String installOutput(Map<String, Object> values) {
        ChartCluster.client();
        var install = Chart.helm().install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE).clientOnly().dryRun();
        values.forEach(install::set);
        return install.call().getOutput();
    }

    @Test
    void notesTellHowToSignIn() {
        String output = installOutput(Map.of());

        assertThat(output).contains(
                "kubectl -n nanolet get secret demo-nanolet-auth -o jsonpath='{.data.admin-token}' | base64 -d",
                "port-forward svc/demo-nanolet-admin-ui 8080:8080",
                "spec.runtimeClassName: nanolet",
                "helm test demo");
    }

    /**
     * Behind the Ingress with no trusted proxy the dashboard sees one client, the controller: its sign-in throttle locks
     * out everyone at once; and it ignores the controller's X-Forwarded-Proto, so behind TLS its cookie lacks Secure.
     */
    @Test
    void notesWarnWhenTheDashboardIsBehindTheIngressAndTrustsNoProxy() {
        String warning = "WARNING: the dashboard is behind the Ingress but adminUi.trustedProxies is empty";

        assertThat(installOutput(Map.of("ingress.enabled", true))).contains(warning, "lock everyone out",
                "session cookie lacks Secure and it sends no HSTS", "Set adminUi.trustedProxies\nto the Ingress controller's addresses",
                "as narrow as possible");
        assertThat(installOutput(Chart.COMBINATIONS.get("ingress on"))).as("trusted proxies set").contains("open https://nanolet.example.com/")
                .doesNotContain(warning);
        assertThat(installOutput(Map.of())).as("no Ingress").doesNotContain(warning);
        assertThat(installOutput(Map.of("ingress.enabled", true, "adminUi.enabled", false))).as("no dashboard").doesNotContain(warning);
    }

    /** The Ingress routes /api to platform-api whether or not the dashboard is installed; / only to the dashboard. */
    @Test
    void notesSendToTheApiThroughTheIngressAndToNoDashboardThatIsNotInstalled() {
        Map<String, Object> noDashboard = new HashMap<>(Chart.COMBINATIONS.get("ingress on"));
        noDashboard.put("adminUi.enabled", false);
        String output = installOutput(noDashboard);

        assertThat(output).contains("The dashboard is not installed (adminUi.enabled=false). The admin token, for the REST API:",
                        "get secret demo-nanolet-auth", "curl -H \"Authorization: Bearer $TOKEN\" https://nanolet.example.com/api/v1/nodes")
                .doesNotContain("Sign in to the dashboard", "open https://", "port-forward svc/demo-nanolet-admin-ui");
        assertThat(installOutput(Chart.COMBINATIONS.get("ingress on"))).as("with the dashboard")
                .contains("Sign in to the dashboard", "open https://nanolet.example.com/", "https://nanolet.example.com/api/v1/nodes");
        assertThat(installOutput(Map.of("adminUi.enabled", false))).as("no Ingress, no dashboard")
                .contains("The dashboard is not installed", "port-forward svc/demo-nanolet-platform-api 8090:")
                .doesNotContain("Sign in to the dashboard", "port-forward svc/demo-nanolet-admin-ui");
    }
}
