package dev.nanolet.agent.control;

import dev.nanolet.agent.FakePlatform;
import dev.nanolet.agent.NodeAgentApplication;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A whole agent started outside the test context cache, against a {@link FakePlatform}, with short retries and lease.
 * It runs on Reactor Netty's global event loops and disposes them when it stops or closes (Spring Boot gives loops of their
 * own only to the test framework's contexts, {@code AgentTestBase}'s): a server of the same test on them, such as
 * {@code HttpServer.create()} without {@code runOn}, stops answering with it. {@link FakePlatform} has loops of its own.
 */
final class StandaloneAgent {
    private StandaloneAgent() {}

    static ConfigurableApplicationContext start(FakePlatform platform, String name, Path dataDir) {
        return new SpringApplicationBuilder(NodeAgentApplication.class).run(
                "--server.port=0",
                "--nanolet.platform.url=" + platform.url(),
                "--nanolet.node.name=" + name,
                "--nanolet.node.data-dir=" + dataDir,
                "--nanolet.auth.node-token=" + FakePlatform.TOKEN,
                "--nanolet.platform.retry-min=50ms",
                "--nanolet.platform.retry-max=300ms",
                "--nanolet.platform.lease-renew-interval=200ms",
                "--nanolet.data-plane.grace-period=1s");
    }

    static WebTestClient.ResponseSpec get(ConfigurableApplicationContext agent, String path) {
        int port = ((WebServerApplicationContext) agent).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(20)).build()
                .get().uri(path).exchange();
    }
}
