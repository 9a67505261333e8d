package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.FakePlatform;
import dev.nanolet.agent.NodeAgentApplication;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** Shutdown lets an in-flight request finish, then reports every replica Terminating. */
class GracefulShutdownTest {

    @Test
    void finishesInFlightRequestsThenReportsTerminating() throws Exception {
        try (FakePlatform platform = new FakePlatform()) {
            byte[] spin = Fixtures.bytes("spin.wasm");
            String digest = Fixtures.digest(spin);
            platform.modules.put(digest, spin);
            var spec = new DeploymentSpec(digest, new DeploymentSpec.HttpSpec("/spin"), null, 1, null, null,
                    new DeploymentSpec.Limits(16, 1500, 4), null);
            Assignment a = new Assignment(UUID.randomUUID(), "default", "spin", 1, digest, spin.length, spec, false);
            platform.put(a);

            var ctx = new SpringApplicationBuilder(NodeAgentApplication.class).run(
                    "--server.port=0",
                    "--nanolet.node.name=shutdown-node",
                    "--nanolet.node.data-dir=" + Files.createTempDirectory("nanolet-shutdown"),
                    "--nanolet.auth.node-token=" + FakePlatform.TOKEN,
                    "--nanolet.platform.url=" + platform.url(),
                    "--nanolet.platform.retry-min=50ms");
            await().atMost(Duration.ofSeconds(20)).until(() -> platform.last(a.replicaId()) != null
                    && platform.last(a.replicaId()).phase() == ReplicaPhase.Running);
            int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
            CompletableFuture<Integer> inFlight = WebClient.create("http://localhost:" + port).get().uri("/spin")
                    .exchangeToMono(r -> Mono.just(r.statusCode().value())).toFuture();
            LocalReplica replica = ctx.getBean(Replicas.class).find(a.replicaId()).orElseThrow();
            await().until(() -> replica.freeSlots() < 4);

            ctx.close();

            assertThat(inFlight.join()).isEqualTo(504);
            assertThat(platform.last(a.replicaId()).phase()).isEqualTo(ReplicaPhase.Terminating);
            assertThat(platform.last(a.replicaId()).reason()).isEqualTo("NodeShutdown");
        }
    }
}
