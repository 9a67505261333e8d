package dev.nanolet.agent.kubernetes;

import static dev.nanolet.agent.kubernetes.QuickPolls.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import dev.nanolet.agent.NodeAgentApplication;
import dev.nanolet.testsupport.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole node agent in Kubernetes mode (real HTTP, real Chicory) against the CRUD mock API server and a
 * real registry: a pod answers over the data plane and is Ready with the four conditions, its logs come
 * through the kubelet API over TLS (with the API server's client certificate) and through {@code kubectl logs},
 * exec is refused clearly, a failing job crash-loops with exit codes, a deleted pod stops answering, a
 * Service's endpoint built from the pod's status is the data plane, and with the API server cut off (a TCP
 * proxy is the agent's only way to it) the node keeps serving and reconciles when it is back.
 */
class KubernetesModeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static MockCluster cluster;
    /** Its own context, not the test framework's cache: a cached context paused for another would stop its reconciler. */
    private static ConfigurableApplicationContext agent;
    private static int port;
    private static KubeletApi kubelet;
    /** The agent's only way to the API server, so that a test can cut it. */
    private static TcpProxy link;
    private static KubeletPki pki;
    /** The API server's kubelet-client certificate. */
    private static KubeletPki.Client apiServer;

    @BeforeAll
    static void start() throws Exception {
        cluster = new MockCluster();
        link = new TcpProxy(cluster.client.getMasterUrl().getPort());
        Path cache = Files.createTempDirectory("nanolet-kube-mode");
        pki = new KubeletPki(cache);
        apiServer = pki.client("kube-apiserver-kubelet-client");
        System.setProperty("kubernetes.master", link.url());
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.trust.certificates", "true");
        agent = new SpringApplicationBuilder(NodeAgentApplication.class).run(
                "--server.port=0",
                "--nanolet.control-plane=kubernetes",
                "--nanolet.node.name=" + MockCluster.NODE,
                "--nanolet.node.data-dir=" + cache,
                "--nanolet.kubernetes.node-ip=127.0.0.1",
                "--nanolet.kubernetes.kubelet-port=" + freePort(),
                "--nanolet.kubernetes.kubelet-client-ca=" + pki.caFile,
                "--nanolet.kubernetes.lease-duration=4s",
                "--nanolet.platform.retry-min=50ms",
                "--nanolet.platform.retry-max=300ms",
                "--nanolet.restart.backoff.base=300ms",
                "--nanolet.restart.backoff.max=1200ms",
                "--nanolet.data-plane.grace-period=2s");
        port = ((WebServerApplicationContext) agent).getWebServer().getPort();
        kubelet = agent.getBean(KubeletApi.class);
    }

    static int freePort() throws java.io.IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        link.close();
        cluster.close();
    }

    private static final HttpClient http = dev.nanolet.testsupport.InsecureHttp.client();

    private static HttpResponse<String> get(String url) throws Exception {
        return get(http, url);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
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

    /** The pods' own writes tried again after a failure, and refused for good, are counted where an operator's scraper looks. */
    @Test
    void thePodsWritesTriedAgainOrGivenUpAreCounted() throws Exception {
        String metrics = get("http://127.0.0.1:" + port + "/actuator/prometheus").body();
        assertThat(metrics).contains("nanolet_kubernetes_writes_retried_total", "nanolet_kubernetes_writes_given_up_total",
                "nanolet_kubernetes_events_dropped_total");
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
        var logs = get(apiServer.http(), base + "/containerLogs/default/crash/main?tailLines=5");
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(logs.body()).contains("arg[1]=3");
        assertThat(get(base + "/containerLogs/default/crash/main?tailLines=5").statusCode()).isEqualTo(401);
        assertThat(get(apiServer.http(), base + "/containerLogs/default/nope/main").statusCode()).isEqualTo(404);
        var exec = get(apiServer.http(), base + "/exec/default/crash/main?command=sh");
        assertThat(exec.statusCode()).isEqualTo(501);
        assertThat(exec.body()).contains("not supported");
    }

    /** The kubelet API's listener has the node's limits ({@code nanolet.http.*}): 16 KB of header fields, not Netty's 8 KB. */
    @Test
    void theKubeletApiTakesTheNodesHeaderLimit() throws Exception {
        assertThat(healthz("x".repeat(12_000)).statusCode()).isEqualTo(200);
        assertThat(healthz("x".repeat(20_000)).statusCode()).isEqualTo(431);
    }

    private static HttpResponse<String> healthz(String big) throws Exception {
        return apiServer.http().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + kubelet.port() + "/healthz"))
                .header("X-Big", big).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A pod's image as the data plane quotes it (its pull's failure, "cannot fetch" and the reference, in the container's
     * waiting message and its Failed event) is quoted by its first characters: an API server takes an image of any
     * length, and one with a space fails its pull at any length.
     */
    @Test
    void aHugeImageIsQuotedByItsFirstCharactersInTheStatusAndEventsOfItsFailedPull() {
        String image = "r.example/" + "ab ".repeat(256 * 1024 / 3);
        cluster.create(MockCluster.pod("spaced", MockCluster.NODE, image, "Never").build());
        try {
            Pod failed = await().atMost(WAIT).until(() -> cluster.get("spaced"), p -> p.getStatus() != null
                    && p.getStatus().getContainerStatuses() != null && p.getStatus().getContainerStatuses().getFirst().getState().getWaiting() != null
                    && "ErrImagePull".equals(p.getStatus().getContainerStatuses().getFirst().getState().getWaiting().getReason()));
            String message = failed.getStatus().getContainerStatuses().getFirst().getState().getWaiting().getMessage();
            assertThat(message.length()).as("the waiting message's length").isLessThan(1024);
            assertThat(message).contains(Excerpt.of(image), "is not an image reference");
            await().atMost(WAIT).until(() -> events("spaced").stream().anyMatch(e -> "Failed".equals(e.getReason())));
            assertThat(events("spaced")).allSatisfy(e -> assertThat(e.getMessage().length()).as(e.getReason()).isLessThan(1024));
        } finally {
            cluster.client.pods().inNamespace("default").withName("spaced").withGracePeriod(0).delete();
        }
    }

    private static List<io.fabric8.kubernetes.api.model.Event> events(String pod) {
        return cluster.client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals(pod)).toList();
    }

    private static Pod httpPod(String name, String image) {
        return MockCluster.pod(name, MockCluster.NODE, image, "Always")
                .editMetadata().addToLabels("app", name).addToAnnotations(PodTranslation.ROUTE, "/" + name).endMetadata()
                .editSpec().editFirstContainer().addNewPort().withName("http").withContainerPort(port).endPort().endContainer().endSpec()
                .build();
    }

    private static boolean ready(String name) {
        Pod p = cluster.get(name);
        return p != null && p.getStatus() != null && p.getStatus().getConditions() != null
                && "True".equals(conditions(p).get("Ready"));
    }

    /**
     * The status of a data-plane path, on a fresh connection: over one kept-alive connection (HTTP/2
     * upgrade offer or HTTP/1.1) the third round of 200, 200, 404 hung its first request for the whole
     * 10 s timeout, with the API server up as well as cut; fresh connections never did (a data-plane
     * keep-alive finding, left to its owner).
     */
    private static String status(String path) {
        long start = System.nanoTime();
        try {
            try (HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                return Integer.toString(get(fresh, "http://127.0.0.1:" + port + path).statusCode());
            }
        } catch (Exception e) {
            return e + " after " + (System.nanoTime() - start) / 1_000_000 + " ms";
        }
    }

    /** The statuses of these paths, asked again and again for this long. */
    private static List<String> sample(Duration period, String... paths) {
        List<String> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        Instant end = Instant.now().plus(period);
        await().atMost(period.multipliedBy(6)).pollInterval(Duration.ofMillis(250)).until(() -> {
            samples.add(String.join(" ", java.util.Arrays.stream(paths).map(KubernetesModeTest::status).toList()));
            return Instant.now().isAfter(end);
        });
        return samples;
    }

    private static int restarts(String name) {
        Pod p = cluster.get(name);
        return p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? 0
                : p.getStatus().getContainerStatuses().getFirst().getRestartCount();
    }

    /** How many times the job has run on the node, from its log lines (each run prints its argv once), read over the kubelet API. */
    private static long runs(String name, String line) throws Exception {
        var logs = get(apiServer.http(), "https://127.0.0.1:" + kubelet.port() + "/containerLogs/default/" + name + "/main");
        return logs.statusCode() != 200 ? 0 : logs.body().lines().filter(l -> l.contains(line)).count();
    }

    @Test
    void withTheApiServerUnreachableTheNodeKeepsServingAndReconcilesWhenItIsBack() throws Exception {
        String image = cluster.image("hello", "hello.wasm");
        cluster.create(httpPod("steady", image));
        cluster.create(httpPod("doomed", image));
        cluster.create(MockCluster.pod("looper", MockCluster.NODE, cluster.image("job", "job.wasm"), "OnFailure")
                .editSpec().editFirstContainer().withArgs("6").endContainer().endSpec().build());
        await().atMost(WAIT).until(() -> ready("steady") && ready("doomed") && restarts("looper") >= 1);
        Instant cutAt = Instant.now();

        link.cut();
        try {
            int restartsSeen = restarts("looper");
            // on the API server while the node cannot see it: a pod bound to it appears, another is deleted
            cluster.create(httpPod("newcomer", image));
            cluster.client.pods().inNamespace("default").withName("doomed").withGracePeriod(0).delete();

            // for longer than the node's lease, it serves what it runs and knows nothing of the changes
            assertThat(sample(Duration.ofSeconds(6), "/steady", "/doomed", "/newcomer")).hasSizeGreaterThan(3).containsOnly("200 200 404");
            // the crash loop goes on locally (its runs counted from the kubelet API, which answers too)
            await().atMost(WAIT).until(() -> runs("looper", "arg[1]=6") >= restartsSeen + 3);
        } finally {
            link.restore();
        }
        long runsAtReturn = runs("looper", "arg[1]=6");

        await().atMost(WAIT).until(() -> status("/newcomer").equals("200") && ready("newcomer"));
        await().atMost(WAIT).until(() -> status("/doomed").equals("404"));
        assertThat(status("/steady")).isEqualTo("200");
        // status catches up: the restarts made during the outage are on the API server
        await().atMost(WAIT).until(() -> restarts("looper") >= runsAtReturn - 1);
        // and the node holds its lease again
        await().atMost(WAIT).until(() -> {
            var lease = cluster.client.leases().inNamespace("kube-node-lease").withName(MockCluster.NODE).get();
            return lease != null && lease.getSpec().getRenewTime().toInstant().isAfter(cutAt.plusSeconds(6));
        });
    }

    private static void greeting(String value) {
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("greeting")
                .endMetadata().addToData("greeting", value).build()).create();
    }

    /** Over a window: pod greeter-env stays Running and Ready (a Service keeps it) and its route answers {@code HTTP_GREETING=value}. */
    private static void servesGreeting(Duration window, String value) {
        await().during(window).atMost(WAIT).until(() -> phase("greeter-env", "Running") && ready("greeter-env")
                && get("http://127.0.0.1:" + port + "/greeter-env").body().contains("HTTP_GREETING=" + value + "\n"));
    }

    /**
     * A container's env is fixed when it starts, as on a kubelet: the config map it came from deleted, then created
     * again with another value, the pod stays Running and Ready, and its route answers with the value it started with.
     */
    @Test
    void aRunningPodServesTheEnvItStartedWithWhenItsConfigMapGoesOrChanges() {
        greeting("hello");
        cluster.create(new PodBuilder(httpPod("greeter-env", cluster.image("echo", "echo.wasm"))).editSpec().editFirstContainer()
                .addNewEnv().withName("HTTP_GREETING").withNewValueFrom().withNewConfigMapKeyRef("greeting", "greeting", false)
                .endValueFrom().endEnv().endContainer().endSpec().build());
        servesGreeting(Duration.ZERO, "hello");

        cluster.client.configMaps().inNamespace("default").withName("greeting").delete();
        cluster.touch("default", "greeter-env"); // a config map's deletion is no pod event: weighed again now, not at its resync
        servesGreeting(Duration.ofSeconds(2), "hello");

        greeting("bonjour");
        cluster.touch("default", "greeter-env");
        servesGreeting(Duration.ofSeconds(2), "hello");
    }

    /**
     * A Service selecting Wasm pods reaches them as kube-proxy would: the endpoints controller makes one
     * address per Ready pod from {@code status.podIP} and resolves the Service's {@code targetPort} (a name)
     * against the pod's container ports; that address and port are the node agent's data plane, which
     * serves the pod's route.
     */
    @Test
    void aServiceEndpointBuiltFromThePodsStatusIsTheDataPlaneServingItsRoute() throws Exception {
        cluster.create(httpPod("greeter", cluster.image("hello", "hello.wasm")));
        Service service = cluster.client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("greeter").endMetadata()
                .withNewSpec().addToSelector("app", "greeter")
                    .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort().endSpec()
                .build()).create();
        await().atMost(WAIT).until(() -> ready("greeter"));

        // the endpoints controller's part: Ready pods matching the selector, targetPort resolved by name
        List<Pod> selected = cluster.client.pods().inNamespace("default").withLabels(service.getSpec().getSelector()).list().getItems()
                .stream().filter(p -> "True".equals(conditions(p).get("Ready"))).toList();
        assertThat(selected).hasSize(1);
        Pod pod = selected.getFirst();
        String targetPort = service.getSpec().getPorts().getFirst().getTargetPort().getStrVal();
        int endpointPort = pod.getSpec().getContainers().getFirst().getPorts().stream()
                .filter(p -> p.getName().equals(targetPort)).findFirst().orElseThrow().getContainerPort();
        EndpointSlice slice = cluster.client.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("greeter-1").addToLabels("kubernetes.io/service-name", "greeter").endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses(pod.getStatus().getPodIP()).withNodeName(pod.getSpec().getNodeName())
                    .withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewPort().withName("http").withPort(endpointPort).withProtocol("TCP").endPort()
                .build()).create();

        // the pod's IP is the node's, and the endpoint is the agent's data plane
        var node = cluster.client.nodes().withName(MockCluster.NODE).get();
        assertThat(pod.getStatus().getPodIP()).isEqualTo(pod.getStatus().getHostIP())
                .isIn(node.getStatus().getAddresses().stream().map(a -> a.getAddress()).toList());
        // kube-proxy's part: a connection to the Service goes to an endpoint address and port
        String endpoint = slice.getEndpoints().getFirst().getAddresses().getFirst() + ":" + slice.getPorts().getFirst().getPort();
        assertThat(endpoint).isEqualTo("127.0.0.1:" + port);
        var answer = get("http://" + endpoint + "/greeter");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("Hello from Wasm");
    }

    /**
     * A pod ported from a cluster whose args and env name its env as {@code $(VAR)}: the module sees them expanded as a
     * kubelet expands them (an escaped or undefined reference as written), and exits with the code an expanded arg gives.
     */
    @Test
    void theModuleSeesItsArgsAndEnvWithTheirReferencesExpanded() throws Exception {
        cluster.create(MockCluster.pod("expander", MockCluster.NODE, cluster.image("job", "job.wasm"), "Never")
                .editSpec().editFirstContainer().withArgs("$(CODE)", "$$(CODE)", "$(UNDEFINED)", "at $(WHERE)")
                .addNewEnv().withName("CODE").withValue("4").endEnv()
                .addNewEnv().withName("WHERE").withValue("$(POD)/$(CODE)").endEnv() // POD comes later: as written
                .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("GREETING").withValue("hi $(POD) from $(WHERE)").endEnv()
                .endContainer().endSpec().build());

        await().atMost(WAIT).until(() -> phase("expander", "Failed"));
        assertThat(cluster.get("expander").getStatus().getContainerStatuses().getFirst().getState().getTerminated().getExitCode()).isEqualTo(4);
        var logs = get(apiServer.http(), "https://127.0.0.1:" + kubelet.port() + "/containerLogs/default/expander/main");
        assertThat(logs.body()).contains("arg[1]=4\n", "arg[2]=$(CODE)\n", "arg[3]=$(UNDEFINED)\n", "arg[4]=at $(POD)/4\n",
                "env WHERE=$(POD)/4\n", "env GREETING=hi expander from $(POD)/4\n");
    }

    /**
     * {@code kubectl logs} as a user runs it, through {@link ApiServerFront} (what kube-apiserver does
     * for pods/log: the node's kubelet endpoint, over TLS with its kubelet-client certificate): tail,
     * timestamps, and follow, which keeps printing the lines of the job's later runs.
     */
    @Test
    void kubectlLogsGoesThroughTheApiServerToTheKubeletApi() throws Exception {
        cluster.create(MockCluster.pod("chatty", MockCluster.NODE, cluster.image("job", "job.wasm"), "OnFailure")
                .editSpec().editFirstContainer().withArgs("9").endContainer().endSpec().build());
        await().atMost(WAIT).until(() -> restarts("chatty") >= 1);
        try (ApiServerFront front = new ApiServerFront(cluster.client, apiServer.keyManagers())) {
            Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: mock, cluster: {server: "%s"}}]
                    users: [{name: dev, user: {token: dev}}]
                    contexts: [{name: mock, context: {cluster: mock, user: dev, namespace: default}}]
                    current-context: mock
                    """.formatted(front.url()));

            Kubectl tail = Kubectl.run(kubeconfig, "logs", "chatty", "--tail=1");
            assertThat(tail.waitFor()).as(tail.output()).isZero();
            assertThat(tail.output().lines().toList()).singleElement().asString().isNotBlank();

            Kubectl stamped = Kubectl.run(kubeconfig, "logs", "chatty", "-c", "main", "--timestamps", "--tail=20");
            assertThat(stamped.waitFor()).as(stamped.output()).isZero();
            assertThat(stamped.output()).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\S+ .*arg\\[1]=9$");

            // follow with no past lines: whatever arrives comes from runs after the request
            Kubectl follow = Kubectl.run(kubeconfig, "logs", "-f", "chatty", "--tail=0");
            try {
                await().atMost(WAIT).until(() -> follow.output().contains("arg[1]=9"));
                long first = follow.output().lines().filter(l -> l.contains("arg[1]=9")).count();
                await().atMost(WAIT).until(() -> follow.output().lines().filter(l -> l.contains("arg[1]=9")).count() > first);
                assertThat(follow.alive()).isTrue();
            } finally {
                follow.destroy();
            }

            Kubectl missing = Kubectl.run(kubeconfig, "logs", "nobody");
            assertThat(missing.waitFor()).isNotZero();
        }
    }
}
