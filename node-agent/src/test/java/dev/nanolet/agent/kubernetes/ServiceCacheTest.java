package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.EnvironmentBinding;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** The Services' informer holds of each Service what its variables need, and logs a refused list once per outage. */
@ExtendWith(OutputCaptureExtension.class)
class ServiceCacheTest {

    /** A context with the agent's application.yml, and so its logging levels. */
    @Configuration(proxyBeanMethods = false)
    static class Nothing {}

    private final MockCluster cluster = new MockCluster();
    /** Tries a failed list again after 50 ms, doubling: several retries within a second. */
    private final KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(cluster.client.getConfiguration())
            .withWatchReconnectInterval(50).withWatchReconnectLimit(-1).build()).build();

    @AfterEach
    void close() {
        client.close();
        cluster.close();
    }

    private void web() {
        cluster.client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("web").withNamespace("default").addToLabels("app", "web")
                    .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"a whole copy\":\"" + "x".repeat(10_000) + "\"}")
                .endMetadata()
                .withNewSpec().withClusterIP("10.0.0.7").addToSelector("app", "web")
                    .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
                .endSpec().build()).create();
    }

    @Test
    void eachServiceIsHeldAsItsVariablesNeedItAndNoMore() {
        web();
        try (var cache = new ServiceCache(client)) {
            cache.start().join();

            List<Service> held = cache.services("default");
            assertThat(held).singleElement().satisfies(s -> {
                assertThat(s.getMetadata().getName()).isEqualTo("web");
                assertThat(s.getMetadata().getNamespace()).isEqualTo("default");
                assertThat(s.getSpec().getClusterIP()).isEqualTo("10.0.0.7");
                assertThat(s.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(80));
                assertThat(s.getMetadata().getLabels()).isNullOrEmpty();
                assertThat(s.getMetadata().getAnnotations()).isNullOrEmpty();
                assertThat(s.getSpec().getSelector()).isNullOrEmpty();
            });
            assertThat(cache.service("default", "web")).get().extracting(s -> s.getSpec().getClusterIP()).isEqualTo("10.0.0.7");
        }
    }

    @Test
    void aListRefusedAgainAndAgainIsLoggedOnceInOneLineAndItsEndOnce(CapturedOutput output) throws InterruptedException {
        web();
        cluster.forbidden = r -> r.startsWith("GET /api/v1/services");
        try (var agent = EnvironmentBinding.run(Nothing.class, Map.of()); var cache = new ServiceCache(client)) {
            cache.start();
            List<String> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                cluster.requests(seen);
                return seen.stream().filter(r -> r.startsWith("GET /api/v1/services")).count() >= 4;
            });
            cluster.forbidden = r -> false;
            await().atMost(Duration.ofSeconds(30)).until(() -> output.getAll().contains("the cluster's Services are listed and watched again"));

            assertThat(output.getAll().lines().filter(l -> l.contains("cannot list or watch the cluster's Services")).toList()).singleElement()
                    .satisfies(l -> assertThat(l).contains("WARN", "403", "list and watch on services"));
            assertThat(output.getAll()).doesNotContain("will retry").doesNotContain("\tat io.fabric8");
        }
    }
}
