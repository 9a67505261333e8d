package dev.nanolet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.EnvironmentBinding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Every env variable of the node agent reaches its property, through application.yml as shipped. */
class EnvironmentBindingTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({NodeProperties.class, PlatformProperties.class, AuthProperties.class,
        RestartProperties.class, DataPlaneProperties.class})
    @Import(LabelsConverter.class)
    static class PropertiesOnly {}

    @Test
    void everyNanoletVariableBinds() {
        Map<String, Object> variables = Map.ofEntries(
                Map.entry("NANOLET_PLATFORM_URL", "http://platform:9000"),
                Map.entry("NANOLET_NODE_TOKEN", "secret"),
                Map.entry("NANOLET_NODE_NAME", "n7"),
                Map.entry("NANOLET_NODE_LABELS", "zone=a, disk=ssd"),
                Map.entry("NANOLET_NODE_INSTANCES", "12"),
                Map.entry("NANOLET_NODE_MEMORY_MIB", "2048"),
                Map.entry("NANOLET_NODE_PORT", "9191"),
                Map.entry("NANOLET_NODE_ADDRESS", "http://n7:9191/"),
                Map.entry("NANOLET_NODE_DATA_DIR", "/var/lib/nanolet"),
                Map.entry("NANOLET_RESTART_BACKOFF_BASE", "2s"),
                Map.entry("NANOLET_RESTART_BACKOFF_MAX", "1m"),
                Map.entry("NANOLET_LEASE_RENEW_INTERVAL", "3s"),
                Map.entry("NANOLET_LEASE_DURATION", "9s"),
                Map.entry("NANOLET_MAX_REQUEST_BYTES", "1KB"),
                Map.entry("NANOLET_MAX_RESPONSE_BYTES", "2KB"),
                Map.entry("NANOLET_GUEST_THREADS", "3"),
                Map.entry("NANOLET_SHUTDOWN_GRACE", "7s"));
        try (var ctx = EnvironmentBinding.run(PropertiesOnly.class, variables)) {
            var node = ctx.getBean(NodeProperties.class);
            assertThat(node).isEqualTo(new NodeProperties("n7", Map.of("zone", "a", "disk", "ssd"), 12, 2048, 9191,
                    "http://n7:9191", Path.of("/var/lib/nanolet")));
            var platform = ctx.getBean(PlatformProperties.class);
            assertThat(platform.url()).isEqualTo("http://platform:9000");
            assertThat(platform.leaseRenewInterval()).isEqualTo(Duration.ofSeconds(3));
            assertThat(platform.leaseDuration()).isEqualTo(Duration.ofSeconds(9));
            assertThat(ctx.getBean(AuthProperties.class).nodeToken()).isEqualTo("secret");
            assertThat(ctx.getBean(RestartProperties.class)).isEqualTo(new RestartProperties(Duration.ofSeconds(2), Duration.ofMinutes(1)));
            var data = ctx.getBean(DataPlaneProperties.class);
            assertThat(data.maxRequestBytes().toBytes()).isEqualTo(1024);
            assertThat(data.maxResponseBytes().toBytes()).isEqualTo(2048);
            assertThat(data.guestThreads()).isEqualTo(3);
            assertThat(data.gracePeriod()).isEqualTo(Duration.ofSeconds(7));
            assertThat(ctx.getEnvironment().getProperty("server.port")).isEqualTo("9191");
            assertThat(ctx.getEnvironment().getProperty("spring.lifecycle.timeout-per-shutdown-phase")).isEqualTo("7s");
        }
    }

    @Test
    void defaultsMatchTheDocs() {
        try (var ctx = EnvironmentBinding.run(PropertiesOnly.class, Map.of("NANOLET_NODE_NAME", "n1"))) {
            var node = ctx.getBean(NodeProperties.class);
            assertThat(node.port()).isEqualTo(8181);
            assertThat(node.address()).isEqualTo("http://localhost:8181");
            assertThat(node.labels()).isEmpty();
            assertThat(node.dataDir()).isEqualTo(Path.of(System.getProperty("user.home"), ".nanolet", "nodes", "n1"));
            assertThat(ctx.getBean(RestartProperties.class)).isEqualTo(new RestartProperties(Duration.ofSeconds(10), Duration.ofSeconds(300)));
            assertThat(ctx.getBean(PlatformProperties.class).leaseRenewInterval()).isEqualTo(Duration.ofSeconds(5));
        }
    }
}
