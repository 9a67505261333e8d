package dev.nanolet.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.FakePlatform;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.ReplicaPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: platform-api records the node, then its answer is lost (connection dropped). The agent
 * retries with the credential it generated and kept before registering, is answered again, and the
 * node becomes ready: it renews its lease with that credential and runs its assignments.
 */
class LostRegistrationAnswerTest {

    @Test
    void aRegistrationWhoseAnswerWasLostIsRetriedWithTheSameCredentialAndTheNodeGetsReady(@TempDir Path cache) throws Exception {
        try (FakePlatform platform = new FakePlatform()) {
            lostTwiceThenReady(platform, cache);
        }
    }

    private static void lostTwiceThenReady(FakePlatform platform, Path cache) throws Exception {
        platform.lostRegistrationAnswers.set(2);
        byte[] bytes = Fixtures.bytes("hello.wasm");
        String digest = Fixtures.digest(bytes);
        platform.modules.put(digest, bytes);
        Assignment served = new Assignment(UUID.randomUUID(), "default", "after-lost", 1, digest, bytes.length,
                new DeploymentSpec(digest, new DeploymentSpec.HttpSpec("/after-lost"), null, 1, null, Map.of(), null, null), false);
        platform.put(served);

        try (var agent = StandaloneAgent.start(platform, "lossy", cache)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> platform.last(served.replicaId()) != null
                    && platform.last(served.replicaId()).phase() == ReplicaPhase.Running);
            StandaloneAgent.get(agent, "/after-lost").expectStatus().isOk();
            int renewals = platform.leases.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> platform.leases.size() >= renewals + 2);

            String credential = platform.credential("lossy");
            assertThat(credential).startsWith("nlt_node_").hasSize("nlt_node_".length() + 43);
            assertThat(platform.lostRegistrationAnswers).hasValue(0);
            assertThat(platform.registrations).hasSizeGreaterThanOrEqualTo(3)
                    .as("every bootstrap attempt carries the one credential the node generated")
                    .extracting(NodeRegistration::credential).containsOnly(credential);
            assertThat(platform.registrationTokens).containsOnly("Bearer " + FakePlatform.TOKEN);
            Path file = cache.resolve(NodeIdentity.FILE);
            assertThat(file).content().contains(credential).contains(platform.logsToken("lossy"));
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }
}
