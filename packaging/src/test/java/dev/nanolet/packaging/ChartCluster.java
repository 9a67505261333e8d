package dev.nanolet.packaging;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * The cluster the bundled Helm talks to while rendering: helm-java's {@code template} evaluates the
 * chart's {@code lookup} calls against a cluster (the Helm CLI's does not), so every render goes to
 * one fabric8 CRUD mock server of this JVM, through the kubeconfig the build points KUBECONFIG at.
 * Tests create objects on it to see what the chart does when they exist (kept secrets).
 */
final class ChartCluster {
    private static KubernetesMockServer server;
    private static KubernetesClient client;

    private ChartCluster() {}

    static synchronized KubernetesClient client() {
        if (client == null) {
            // CRUD storage, plus the discovery document Helm's lookup asks for first
            Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
            server = new KubernetesMockServer(
                    new Context(), new MockWebServer(), expectations, new KubernetesMixedDispatcher(expectations), true);
            server.init();
            var discovery = new APIResourceListBuilder()
                    .withGroupVersion("v1")
                    .addNewResource().withName("secrets").withKind("Secret").withNamespaced(true)
                    .withVerbs("get", "list", "create", "delete").withSingularName("secret").endResource()
                    .build();
            for (String path : List.of("/api/v1", "/api/v1?timeout=32s")) {
                server.expect().get().withPath(path).andReturn(200, discovery).always();
            }
            client = server.createClient();
            writeKubeconfig(server.url("/"));
        }
        return client;
    }

    private static void writeKubeconfig(String url) {
        Path path = Path.of(System.getenv().getOrDefault("KUBECONFIG", "target/kubeconfig"));
        String config = """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: mock, user: {token: mock}}]
                contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: %s}}]
                current-context: mock
                """.formatted(url.replaceAll("/$", ""), Chart.NAMESPACE);
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.writeString(path, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
