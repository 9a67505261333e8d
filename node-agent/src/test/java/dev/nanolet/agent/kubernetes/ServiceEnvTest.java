package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.nanolet.agent.control.RecordingDesiredState;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The variables a kubelet gives a container for Services, read from their informer's cache when the pod is accepted. */
class ServiceEnvTest {

    private final MockCluster cluster = new MockCluster();
    /** Made at its first use, after the test's Services: the informer has listed them. */
    private ClusterConfig config;

    private ClusterConfig config() {
        if (config == null) {
            config = cluster.config();
        }
        return config;
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private void service(String namespace, String name, String clusterIp, ServicePort... ports) {
        cluster.client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).endMetadata().withNewSpec().withClusterIP(clusterIp).withPorts(ports).endSpec().build()).create();
    }

    private static ServicePort port(String name, int port, String protocol) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol(protocol).build();
    }

    private static PodBuilder pod(Boolean links) {
        return MockCluster.pod("web-1", MockCluster.NODE, "registry.example/hello:v1", "Never").editMetadata().withNamespace("shop")
                .endMetadata().editSpec().withEnableServiceLinks(links).endSpec();
    }

    private Map<String, String> env(Pod pod) {
        return ((PodTranslation.Run) PodTranslation.translate(pod, 1, "10.1.2.3", config())).assignment().spec().env();
    }

    @Test
    void aPodSeesItsNamespacesServicesAndTheApiServersNamedAsAKubeletNamesThem() {
        service("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP"));
        service("shop", "web-api", "10.96.3.4", port("http", 80, "TCP"), port("dns", 53, "UDP"));
        service("shop", "otp", "fd00::5", port(null, 8443, null), port("9000-metrics", 9000, "TCP"));
        service("shop", "headless", "None", port("http", 80, "TCP"));
        service("other", "elsewhere", "10.96.9.9", port("http", 80, "TCP"));
        Pod pod = pod(null).editSpec().editFirstContainer().withArgs("--api=$(KUBERNETES_SERVICE_HOST):$(WEB_API_SERVICE_PORT)")
                .withEnv(new EnvVarBuilder().withName("URL").withValue("http://$(WEB_API_SERVICE_HOST):$(WEB_API_SERVICE_PORT)/").build(),
                        new EnvVarBuilder().withName("WEB_API_SERVICE_PORT").withValue("8080").build())
                .endContainer().endSpec().build();

        var a = ((PodTranslation.Run) PodTranslation.translate(pod, 1, "10.1.2.3", config())).assignment();

        assertThat(a.spec().env()).containsOnly(
                entry("URL", "http://10.96.3.4:80/"), // references see the Services' variables
                entry("WEB_API_SERVICE_PORT", "8080"), // explicit env wins
                entry("KUBERNETES_SERVICE_HOST", "10.96.0.1"), entry("KUBERNETES_SERVICE_PORT", "443"),
                entry("KUBERNETES_SERVICE_PORT_HTTPS", "443"), entry("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
                entry("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"), entry("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
                entry("KUBERNETES_PORT_443_TCP_PORT", "443"), entry("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"),
                entry("WEB_API_SERVICE_HOST", "10.96.3.4"), entry("WEB_API_SERVICE_PORT_HTTP", "80"),
                entry("WEB_API_SERVICE_PORT_DNS", "53"), entry("WEB_API_PORT", "tcp://10.96.3.4:80"),
                entry("WEB_API_PORT_80_TCP", "tcp://10.96.3.4:80"), entry("WEB_API_PORT_80_TCP_PROTO", "tcp"),
                entry("WEB_API_PORT_80_TCP_PORT", "80"), entry("WEB_API_PORT_80_TCP_ADDR", "10.96.3.4"),
                entry("WEB_API_PORT_53_UDP", "udp://10.96.3.4:53"), entry("WEB_API_PORT_53_UDP_PROTO", "udp"),
                entry("WEB_API_PORT_53_UDP_PORT", "53"), entry("WEB_API_PORT_53_UDP_ADDR", "10.96.3.4"),
                entry("OTP_SERVICE_HOST", "fd00::5"), entry("OTP_SERVICE_PORT", "8443"), entry("OTP_PORT", "tcp://[fd00::5]:8443"),
                entry("OTP_PORT_8443_TCP", "tcp://[fd00::5]:8443"), entry("OTP_PORT_8443_TCP_PROTO", "tcp"),
                entry("OTP_PORT_8443_TCP_PORT", "8443"), entry("OTP_PORT_8443_TCP_ADDR", "fd00::5"),
                // a port's name may begin with a digit: named as a kubelet names it, no _ put before the digit
                entry("OTP_SERVICE_PORT_9000_METRICS", "9000"), entry("OTP_PORT_9000_TCP", "tcp://[fd00::5]:9000"),
                entry("OTP_PORT_9000_TCP_PROTO", "tcp"), entry("OTP_PORT_9000_TCP_PORT", "9000"), entry("OTP_PORT_9000_TCP_ADDR", "fd00::5"));
        // command and args see the whole env, explicit values included
        assertThat(a.spec().args()).containsExactly("--api=10.96.0.1:8080");
    }

    @Test
    void withoutServiceLinksOnlyTheApiServersAreGivenAndANamespacesOwnKubernetesServiceIsALink() {
        service("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP"));
        service("shop", "kubernetes", "10.0.0.9", port("https", 443, "TCP"));
        service("shop", "web-api", "10.96.3.4", port("http", 80, "TCP"));

        Map<String, String> unlinked = env(pod(false).build());
        assertThat(unlinked).hasSize(8).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1").doesNotContainKey("WEB_API_SERVICE_HOST");
        Map<String, String> linked = env(pod(true).build());
        assertThat(linked).containsEntry("KUBERNETES_SERVICE_HOST", "10.0.0.9").containsEntry("WEB_API_SERVICE_HOST", "10.96.3.4");
    }

    /**
     * An HTTP pod is not given a Service's variable that the node sets for each request: a Service named server gives
     * SERVER_PORT, a CGI meta-variable, and one named http-proxy HTTP_PROXY_* names, read as request headers. A job
     * pod, which serves no request, is given them all.
     */
    @Test
    void anHttpPodIsNotGivenServiceVariablesThatTheNodeSetsForEachRequest() {
        service("shop", "server", "10.96.3.4", port(null, 80, null));
        service("shop", "http-proxy", "10.96.3.5", port(null, 3128, null));
        Pod http = pod(null).editMetadata().addToAnnotations(PodTranslation.ROUTE, "/shop").endMetadata()
                .editSpec().withRestartPolicy("Always").endSpec().build();

        assertThat(env(http)).containsEntry("SERVER_SERVICE_HOST", "10.96.3.4").containsEntry("SERVER_PORT_80_TCP_PORT", "80")
                .doesNotContainKey("SERVER_PORT").noneSatisfy((name, value) -> assertThat(name).startsWith("HTTP_PROXY_"));
        assertThat(env(pod(null).build())).containsEntry("SERVER_PORT", "tcp://10.96.3.4:80")
                .containsEntry("HTTP_PROXY_SERVICE_HOST", "10.96.3.5");
    }

    /**
     * A pod not started yet is weighed on each of its events and resyncs: one that waits for a config map lists no
     * Services each time (a namespace's whole list, read for nothing), only once its env resolves.
     */
    @Test
    void aPodWaitingForAConfigMapReadsNoServices() {
        service("shop", "web-api", "10.96.3.4", port("http", 80, "TCP"));
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        PodTranslation.Lookup counting = new PodTranslation.Lookup() {
            @Override
            public java.util.Optional<Map<String, String>> configMap(String namespace, String name) {
                return config().configMap(namespace, name);
            }

            @Override
            public java.util.Optional<Map<String, String>> secret(String namespace, String name) {
                return config().secret(namespace, name);
            }

            @Override
            public java.util.List<io.fabric8.kubernetes.api.model.Service> services(String namespace) {
                reads.incrementAndGet();
                return config().services(namespace);
            }

            @Override
            public java.util.Optional<io.fabric8.kubernetes.api.model.Service> service(String namespace, String name) {
                reads.incrementAndGet();
                return config().service(namespace, name);
            }
        };
        Pod pod = pod(null).editSpec().editFirstContainer().withEnv(new EnvVarBuilder().withName("LEVEL").withNewValueFrom()
                .withNewConfigMapKeyRef("level", "settings", null).endValueFrom().build()).endContainer().endSpec().build();

        assertThat(PodTranslation.translate(pod, 1, "10.1.2.3", counting))
                .isEqualTo(new PodTranslation.Wait("CreateContainerConfigError", "configmap \"settings\" not found", PodTranslation.Retry.MISSING));
        assertThat(reads).hasValue(0);

        cluster.client.configMaps().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("settings").endMetadata().addToData("level", "debug").build()).create();
        assertThat(((PodTranslation.Run) PodTranslation.translate(pod, 1, "10.1.2.3", counting)).assignment().spec().env())
                .containsEntry("LEVEL", "debug").containsEntry("WEB_API_SERVICE_HOST", "10.96.3.4");
        assertThat(reads).hasValue(2); // the namespace's list and default's kubernetes, once
    }

    /**
     * Pods are weighed with no request for Services: those are read from the informer's cache, listed once (in pages of
     * {@value ServiceCache#PAGE}) and watched. Each pod's evaluation listed its namespace's Services, and read default's
     * kubernetes Service (seen failing: 2 requests a pod).
     */
    @Test
    void weighingPodsReadsNoServicesFromTheApiServer() {
        service("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP"));
        service("shop", "web-api", "10.96.3.4", port("http", 80, "TCP"));
        config();
        AtomicInteger reads = new AtomicInteger();
        cluster.failing = r -> r.startsWith("GET ") && r.contains("/services") && reads.incrementAndGet() < 0;

        for (int i = 0; i < 3; i++) {
            assertThat(env(pod(null).build())).containsEntry("WEB_API_SERVICE_HOST", "10.96.3.4").containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        }
        assertThat(reads).hasValue(0);
    }

    /** A Service created after the first list reaches the cache by its watch: a pod weighed after sees it. */
    @Test
    void aServiceCreatedAfterTheFirstListIsSeenByThePodsWeighedAfter() {
        config();
        service("shop", "late", "10.96.3.9", port("http", 80, "TCP"));

        QuickPolls.await().atMost(Duration.ofSeconds(30)).until(() -> env(pod(null).build()).containsKey("LATE_SERVICE_HOST"));
    }

    /**
     * Services not listed yet (the API server has not answered the informer's list) make the pod wait as for a failed
     * read, weighed again soon, not run without its variables: as a kubelet fails a start until its informer synced.
     */
    @Test
    void servicesNotListedYetMakeThePodWaitToBeWeighedAgainSoon() {
        cluster.silent = r -> r.startsWith("GET /api/v1/services");
        try (ServiceCache services = new ServiceCache(cluster.client)) {
            services.start();
            assertThat(PodTranslation.translate(pod(null).build(), 1, "10.1.2.3", new ClusterConfig(cluster.client, services)))
                    .isEqualTo(new PodTranslation.Wait("CreateContainerConfigError",
                            "services cannot be read now (not listed yet): trying again shortly", PodTranslation.Retry.UNREAD));
        }
    }

    /**
     * An agent whose RBAC may not list and watch Services: the pod waits and its status says why, as for a config map
     * the node may not read, not "trying again shortly" for ever.
     */
    @Test
    void servicesTheNodeMayNotListMakeThePodWaitSayingSo() {
        cluster.forbidden = r -> r.startsWith("GET /api/v1/services");
        try (ServiceCache services = new ServiceCache(cluster.client)) {
            services.start();
            ClusterConfig refused = new ClusterConfig(cluster.client, services);
            QuickPolls.await().atMost(Duration.ofSeconds(30)).until(() -> PodTranslation.translate(pod(null).build(), 1, "10.1.2.3", refused)
                    .equals(new PodTranslation.Wait("CreateContainerConfigError", "services cannot be read for the"
                            + " container's env: the node agent's service account needs list and watch on services (403)")));
        }
    }

    /**
     * The Services' first list refused, then allowed (an operator granted list and watch): the start the pods' watch
     * waits for completes at the refusal, not only once listed (it completed only once listed, so the pods' watch waited
     * its 5 s: seen failing), and the informer lists them by itself after its back-off, the pods weighed after seeing
     * them.
     */
    @Test
    void servicesRefusedAtFirstEndTheFirstListsWaitAndAreListedOnceAllowed() {
        service("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP"));
        cluster.forbidden = r -> r.startsWith("GET /api/v1/services");
        try (ServiceCache services = new ServiceCache(cluster.client)) {
            var first = services.start();
            QuickPolls.await().atMost(Duration.ofSeconds(30)).until(first::isDone);

            cluster.forbidden = r -> false;
            ClusterConfig granted = new ClusterConfig(cluster.client, services);
            QuickPolls.await().atMost(Duration.ofMinutes(2)).until(() -> PodTranslation.translate(pod(null).build(), 1, "10.1.2.3", granted)
                    instanceof PodTranslation.Run run && run.assignment().spec().env().containsKey("KUBERNETES_SERVICE_HOST"));
        }
    }

    /**
     * 150 Services of one unnamed port (7 variables each) and the API server's (8): 141 of the namespace's fit in the
     * 1000, taken whole by name after it; the pod runs with them and is told once of the 9 left out.
     */
    @Test
    void servicesPastTheBoundAreLeftOutWholeAndThePodIsToldOnce() {
        service("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP"));
        for (int i = 0; i < 150; i++) {
            service("shop", String.format("s%03d", i), "10.96.1." + (i + 1), port(null, 80, null));
        }
        RecordingDesiredState desired = new RecordingDesiredState();
        HeldRoutes routes = new HeldRoutes();
        TrackedPods pods = new TrackedPods();
        Clock clock = Clock.systemUTC();
        EventRecorder events = new EventRecorder(cluster.client, MockCluster.NODE, clock);
        PodEvaluation evaluation = new PodEvaluation(pods, routes, new PodDeletion(cluster.client, clock, id -> true, cluster.timer, Runnable::run, cluster.writes()),
                new PodStatusWriter(cluster.client, "10.1.2.3", clock), events, config(), "10.1.2.3", 10, new ReadRetries(cluster.timer, Runnable::run, desired), cluster.writes(), new PendingReads(Runnable::run));
        PodChanges changes = new PodChanges(MockCluster.NODE, pods, routes, desired, evaluation, new RouteWaits(pods, routes, evaluation, desired));
        Pod pod = cluster.create(pod(null).build());

        changes.changed(pod);
        changes.changed(cluster.get("shop", "web-1"));
        // a new image resolves the env anew, the same Services left out: not told again
        Pod edited = cluster.get("shop", "web-1");
        edited.getSpec().getContainers().getFirst().setImage("registry.example/hello:v2");
        changes.changed(edited);

        Map<String, String> env = desired.desired.get(Pods.uid(pod)).spec().env();
        assertThat(desired.desired.get(Pods.uid(pod)).moduleDigest()).isEqualTo("registry.example/hello:v2");
        assertThat(env).hasSize(8 + 141 * 7).containsKeys("KUBERNETES_SERVICE_HOST", "S140_SERVICE_HOST").doesNotContainKey("S141_SERVICE_HOST");
        events.close(); // posts the events still queued
        assertThat(cluster.client.v1().events().inNamespace("shop").list().getItems()).filteredOn(e -> ServiceEnv.REASON.equals(e.getReason()))
                .singleElement().satisfies(e -> assertThat(e.getMessage()).isEqualTo("the variables of 9 of the 151 Services a kubelet gives"
                        + " were left out: a Wasm node gives at most 1000 variables for Services, taken whole by name; use the Services'"
                        + " DNS names or set enableServiceLinks: false"));
    }
}
