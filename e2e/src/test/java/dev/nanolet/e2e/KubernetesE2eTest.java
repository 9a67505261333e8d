package dev.nanolet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.testsupport.registry.LocalRegistry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.nanolet.testsupport.kubernetes.NodeNameSelector;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes mode with real processes: fabric8's mock API server (CRUD mode) started here, a real node
 * agent jar in Kubernetes mode found through a kubeconfig, and Debian's docker-registry on loopback holding
 * Wasm artifacts this test pushes. A pod with {@code runtimeClassName: nanolet} answers over HTTP, is Ready,
 * its logs come through the kubelet API over TLS, deleting it stops it, and a failing job crash-loops
 * with its exit code.
 */
class KubernetesE2eTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String NODE = "wasm-1";
    private static KubernetesMockServer api;
    private static KubernetesClient kube;
    private static LocalRegistry registry;
    private static ServiceProcess agent;
    private static int dataPort;
    private static int kubeletPort;
    /** The kubelet API refuses callers without a client certificate from its client CA or this token. */
    private static final String KUBELET_TOKEN = "e2e-kubelet-token";
    private static final HttpClient http = dev.nanolet.testsupport.InsecureHttp.client();

    @BeforeAll
    static void start() throws IOException {
        KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
        NodeNameSelector.install(crud); // the node lists and watches its pods by spec.nodeName, which the stock mock matches to none
        api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), crud, false);
        api.init(java.net.InetAddress.getLoopbackAddress(), 0);
        kube = api.createClient();
        registry = LocalRegistry.start();
        Path dir = Files.createTempDirectory("nanolet-e2e-kube");
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                users:
                - name: nanolet
                  user:
                    token: e2e
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: nanolet
                    namespace: default
                current-context: mock
                """.formatted(kube.getMasterUrl().toString().replaceFirst("/$", "")));
        dataPort = Paths.freePort();
        kubeletPort = Paths.freePort();
        agent = new ServiceProcess("node-agent-kubernetes", "node-agent", dataPort, Map.of(
                "NANOLET_CONTROL_PLANE", "kubernetes",
                "KUBECONFIG", kubeconfig.toString(),
                "NANOLET_NODE_NAME", NODE,
                "NANOLET_NODE_IP", "127.0.0.1",
                "NANOLET_NODE_PORT", Integer.toString(dataPort),
                "NANOLET_KUBELET_PORT", Integer.toString(kubeletPort),
                "NANOLET_KUBELET_TOKEN", KUBELET_TOKEN,
                "NANOLET_NODE_DATA_DIR", dir.resolve("data").toString(),
                "NANOLET_RESTART_BACKOFF_BASE", "500ms",
                "NANOLET_RESTART_BACKOFF_MAX", "2s")).start();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (kube != null) {
            kube.close();
        }
        if (api != null) {
            api.destroy();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static Pod pod(String name, String image, String restartPolicy) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName(NODE).withRestartPolicy(restartPolicy).withRuntimeClassName("nanolet")
                    .addNewToleration().withKey("kubernetes.io/arch").withValue("wasm32-wasi").withEffect("NoSchedule").endToleration()
                    .addNewContainer().withName("main").withImage(image).endContainer()
                .endSpec().build();
    }

    private static Pod get(String name) {
        return kube.pods().inNamespace("default").withName(name).get();
    }

    private static Map<String, String> conditions(Pod p) {
        return p.getStatus() == null || p.getStatus().getConditions() == null ? Map.of()
                : p.getStatus().getConditions().stream().collect(Collectors.toMap(PodCondition::getType, PodCondition::getStatus));
    }

    private static HttpResponse<String> call(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> kubelet(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + kubeletPort + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + KUBELET_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWasmPodAnswersIsReadyLogsThroughTheKubeletApiAndStopsWhenDeleted() throws Exception {
        await().atMost(WAIT).until(() -> kube.nodes().withName(NODE).get() != null
                && kube.nodes().withName(NODE).get().getStatus() != null);
        registry.pushWasm("hello", "1.0", Files.readAllBytes(Paths.example("hello")));
        Pod pod = new PodBuilder(pod("hello", registry.host() + "/hello:1.0", "Always"))
                .editSpec().editFirstContainer().addNewPort().withName("hello").withContainerPort(dataPort).endPort().endContainer().endSpec()
                .build();
        kube.pods().inNamespace("default").resource(pod).create();

        await().atMost(WAIT).until(() -> "True".equals(conditions(get("hello")).get("Ready")));
        assertThat(conditions(get("hello"))).containsAllEntriesOf(Map.of("PodScheduled", "True", "Initialized", "True", "ContainersReady", "True"));
        assertThat(get("hello").getStatus().getPodIP()).isEqualTo("127.0.0.1");
        var answer = call("http://127.0.0.1:" + dataPort + "/hello");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("Hello from Wasm");

        var logs = kubelet("/containerLogs/default/hello/main?tailLines=10");
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(call("https://127.0.0.1:" + kubeletPort + "/containerLogs/default/hello/main").statusCode()).isEqualTo(401);

        kube.pods().inNamespace("default").withName("hello").delete();
        await().atMost(WAIT).until(() -> call("http://127.0.0.1:" + dataPort + "/hello").statusCode() == 404);
    }

    @Test
    void aFailingJobShowsCrashLoopBackOffWithItsExitCodeAndItsOutputInTheLogs() throws Exception {
        registry.pushWasm("job", "1.0", Files.readAllBytes(Paths.example("job")));
        Pod pod = new PodBuilder(pod("failing", registry.host() + "/job:1.0", "OnFailure"))
                .editSpec().editFirstContainer().withArgs("7").endContainer().endSpec().build();
        kube.pods().inNamespace("default").resource(pod).create();

        await().atMost(WAIT).until(() -> {
            Pod p = get("failing");
            return p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                    && p.getStatus().getContainerStatuses().getFirst().getRestartCount() >= 1
                    && p.getStatus().getContainerStatuses().getFirst().getState().getWaiting() != null
                    && "CrashLoopBackOff".equals(p.getStatus().getContainerStatuses().getFirst().getState().getWaiting().getReason());
        });
        var c = get("failing").getStatus().getContainerStatuses().getFirst();
        assertThat(c.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(7);
        assertThat(c.getImageID()).matches(".*/job@sha256:[0-9a-f]{64}");

        var logs = kubelet("/containerLogs/default/failing/main?tailLines=20");
        assertThat(logs.body()).contains("arg[1]=7");
    }
}
