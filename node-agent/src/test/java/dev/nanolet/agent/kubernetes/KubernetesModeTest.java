package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import dev.nanolet.agent.NodeAgentApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole node agent in Kubernetes mode (real HTTP, real Chicory) against the CRUD mock API server and a
 * real registry: a pod answers over the data plane and is Ready with the four conditions, its logs come
 * through the kubelet API over TLS, exec is refused clearly, a failing job crash-loops with exit codes,
 * and a deleted pod stops answering.
 */
class KubernetesModeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static MockCluster cluster;
    /** Its own context, not the test framework's cache: a cached context paused for another would stop its reconciler. */
    private static ConfigurableApplicationContext agent;
    private static int port;
    private static KubeletApi kubelet;

    @BeforeAll
    static void start() throws Exception {
        cluster = new MockCluster();
        System.setProperty("kubernetes.master", cluster.client.getMasterUrl().toString());
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.trust.certificates", "true");
        Path cache = Files.createTempDirectory("nanolet-kube-mode");
        agent = new SpringApplicationBuilder(NodeAgentApplication.class).run(
                "--server.port=0",
                "--nanolet.control-plane=kubernetes",
                "--nanolet.node.name=" + MockCluster.NODE,
                "--nanolet.node.data-dir=" + cache,
                "--nanolet.kubernetes.node-ip=127.0.0.1",
                "--nanolet.kubernetes.kubelet-port=0",
                "--nanolet.kubernetes.lease-duration=4s",
                "--nanolet.platform.retry-min=50ms",
                "--nanolet.platform.retry-max=300ms",
                "--nanolet.restart.backoff.base=300ms",
                "--nanolet.restart.backoff.max=1200ms",
                "--nanolet.data-plane.grace-period=2s");
        port = ((WebServerApplicationContext) agent).getWebServer().getPort();
        kubelet = agent.getBean(KubeletApi.class);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        cluster.close();
    }

    private static final HttpClient http = dev.nanolet.testsupport.InsecureHttp.client();

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> conditions(Pod p) {
        return p.getStatus().getConditions().stream().collect(Collectors.toMap(PodCondition::getType, PodCondition::getStatus));
    }

    private static boolean phase(String name, String phase) {
        Pod p = cluster.get(name);
        return p != null && p.getStatus() != null && phase.equals(p.getStatus().getPhase());
    }

    @Test
    void theNodeRegistersReadyAndAnHttpPodAnswersIsReadyAndStopsWhenDeleted() throws Exception {
        await().atMost(WAIT).until(() -> cluster.client.nodes().withName(MockCluster.NODE).get() != null);
        Pod pod = MockCluster.pod("hello", MockCluster.NODE, cluster.image("hello", "hello.wasm"), "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, "/hello").endMetadata().build();
        cluster.create(pod);

        await().atMost(WAIT).until(() -> phase("hello", "Running") && conditions(cluster.get("hello")).get("Ready").equals("True"));
        Pod running = cluster.get("hello");
        assertThat(conditions(running)).containsAllEntriesOf(Map.of("PodScheduled", "True", "Initialized", "True", "ContainersReady", "True"));
        assertThat(running.getStatus().getPodIP()).isEqualTo("127.0.0.1");
        assertThat(running.getStatus().getContainerStatuses().getFirst().getImageID()).matches(".*/hello@sha256:[0-9a-f]{64}");
        assertThat(get("http://127.0.0.1:" + port + "/hello").body()).contains("Hello from Wasm");
        await().atMost(WAIT).until(() -> cluster.client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals("hello")).map(e -> e.getReason()).collect(Collectors.toSet())
                .containsAll(java.util.Set.of("Pulling", "Pulled", "Started")));

        cluster.client.pods().inNamespace("default").withName("hello").delete();
        await().atMost(WAIT).until(() -> get("http://127.0.0.1:" + port + "/hello").statusCode() == 404);
    }

    @Test
    void aFailingJobCrashLoopsWithItsExitCodeAndItsLogsComeThroughTheKubeletApi() throws Exception {
        Pod pod = MockCluster.pod("crash", MockCluster.NODE, cluster.image("job", "job.wasm"), "OnFailure")
                .editSpec().editFirstContainer().withArgs("3").endContainer().endSpec().build();
        cluster.create(pod);

        // one snapshot of the pod: with a short back-off the next restart may already be ContainerCreating
        Pod crashLooping = await().atMost(WAIT).until(() -> cluster.get("crash"), p -> p.getStatus() != null
                && p.getStatus().getContainerStatuses() != null
                && p.getStatus().getContainerStatuses().getFirst().getRestartCount() >= 1
                && p.getStatus().getContainerStatuses().getFirst().getState().getWaiting() != null
                && "CrashLoopBackOff".equals(p.getStatus().getContainerStatuses().getFirst().getState().getWaiting().getReason()));
        var status = crashLooping.getStatus().getContainerStatuses().getFirst();
        assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(conditions(crashLooping)).containsEntry("Ready", "False");

        String base = "https://127.0.0.1:" + kubelet.port();
        var logs = get(base + "/containerLogs/default/crash/main?tailLines=5");
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(logs.body()).contains("arg[1]=3");
        assertThat(get(base + "/containerLogs/default/nope/main").statusCode()).isEqualTo(404);
        var exec = get(base + "/exec/default/crash/main?command=sh");
        assertThat(exec.statusCode()).isEqualTo(501);
        assertThat(exec.body()).contains("not supported");
    }
}
