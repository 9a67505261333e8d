package dev.nanolet.agent;

import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A real node agent (real HTTP, real Chicory, the committed {@code examples/*.wasm}) against one
 * {@link FakePlatform} shared by the test classes that extend this.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class AgentTestBase {

    protected static final FakePlatform platform = new FakePlatform();
    protected static final Path cache;

    static {
        try {
            cache = Files.createTempDirectory("nanolet-agent-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Awaitility.setDefaultPollInterval(Duration.ofMillis(50));
    }

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void agent(DynamicPropertyRegistry r) {
        r.add("nanolet.platform.url", platform::url);
        r.add("nanolet.node.name", () -> "n1");
        r.add("nanolet.node.data-dir", cache::toString);
        r.add("nanolet.auth.node-token", () -> FakePlatform.TOKEN);
        r.add("nanolet.platform.lease-renew-interval", () -> "200ms");
        // short enough for FencingTest, in this one context: a second agent context would run on the same fake platform
        r.add("nanolet.platform.lease-duration", () -> "2s");
        r.add("nanolet.platform.routes-refresh-interval", () -> "200ms");
        r.add("nanolet.platform.retry-min", () -> "50ms");
        r.add("nanolet.platform.retry-max", () -> "300ms");
        r.add("nanolet.restart.backoff.base", () -> "300ms");
        r.add("nanolet.restart.backoff.max", () -> "1200ms");
        r.add("nanolet.data-plane.max-request-bytes", () -> "64KB");
        r.add("nanolet.data-plane.max-response-bytes", () -> "256KB");
        r.add("nanolet.data-plane.grace-period", () -> "2s");
        r.add("nanolet.http.body-timeout", () -> "1500ms");
        r.add("nanolet.http.max-headers", () -> "50");
    }

    /**
     * A client of this node. An answer whose body a test does not read still has to be consumed ({@code .expectBody(Void.class)}):
     * WebTestClient leaves it unread, and Netty's leak detector reports its buffers as leaked.
     */
    protected WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(20)).build();
    }

    /** Serves {@code examples/<name>} from the platform and answers its digest. */
    protected static String module(String name) {
        byte[] bytes = Fixtures.bytes(name);
        String digest = Fixtures.digest(bytes);
        platform.modules.put(digest, bytes);
        return digest;
    }

    protected static Assignment http(String deployment, String path, String example, DeploymentSpec.Limits limits) {
        String digest = module(example);
        var spec = new DeploymentSpec(digest, new DeploymentSpec.HttpSpec(path), null, 1, null, Map.of("GREETING", "hi"), limits, null);
        return new Assignment(UUID.randomUUID(), "default", deployment, 1, digest, 0, spec, false);
    }

    protected static Assignment job(String deployment, DeploymentSpec.RestartPolicy policy, String... args) {
        String digest = module("job.wasm");
        var spec = new DeploymentSpec(digest, null, new DeploymentSpec.JobSpec(policy), 1, List.of(args), Map.of(), null, null);
        return new Assignment(UUID.randomUUID(), "default", deployment, 1, digest, 0, spec, false);
    }

    protected static void awaitPhase(UUID replica, ReplicaPhase phase) {
        Awaitility.await().until(() -> platform.last(replica) != null && platform.last(replica).phase() == phase);
    }
}
