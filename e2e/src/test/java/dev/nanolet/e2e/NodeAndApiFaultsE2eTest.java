package dev.nanolet.e2e;

import static dev.nanolet.e2e.ApiClient.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.Replica;
import dev.nanolet.wire.ReplicaPhase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults on real processes under HTTP load: {@code kill -9} of platform-api (the data plane does
 * not notice; a new instance takes over), then {@code kill -9} of a node (its replicas run on the
 * other node within lease + 5 s; the survivor answers throughout).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeAndApiFaultsE2eTest {
    @RegisterExtension
    static final LocalPlatform platform = new LocalPlatform();
    static final Duration DEPLOY = Duration.ofSeconds(60);
    static ServiceProcess nodeA;
    static ServiceProcess nodeB;
    static ApiClient api;
    static String hello;

    @BeforeAll
    static void start() {
        platform.startApi();
        List<ServiceProcess> nodes = platform.startNodes("node-a zone=a", "node-b zone=b");
        nodeA = nodes.get(0);
        nodeB = nodes.get(1);
        api = platform.client();
        await("both nodes Ready").atMost(Duration.ofSeconds(30)).until(() -> api.nodes().stream().filter(NodeInfo::ready).count() == 2);
        hello = api.upload(Paths.example("hello")).digest();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    @Order(1)
    void killingPlatformApiUnderLoadFailsNoDataPlaneRequestAndANewInstanceReachesTheNodes() {
        api.apply("apikill", "hello", Specs.http(hello, "/apikill", 2));
        Replicas.awaitRunning(api, "apikill", "hello", 2, DEPLOY);
        Replicas.awaitAnswer(nodeA, "/apikill", 200);
        Replicas.awaitAnswer(nodeB, "/apikill", 200);

        try (Load load = Load.start(List.of(nodeA.url() + "/apikill", nodeB.url() + "/apikill"), 2_000, Duration.ofSeconds(40))) {
            await("load under way").atMost(Duration.ofSeconds(10)).until(() -> load.answered() >= 50);
            platform.api().kill();
            int atKill = load.answered();
            await("load goes on for longer than a lease without platform-api").atMost(Duration.ofSeconds(30))
                    .until(() -> load.answered() >= atKill + (LocalPlatform.LEASE_SECONDS + 2) * 1000 / (int) Load.PERIOD.toMillis());

            platform.startApi();
            await("both nodes renew their lease with the new platform-api").atMost(Duration.ofSeconds(20))
                    .until(() -> api.nodes().stream().filter(NodeInfo::ready).count() == 2);
            api.apply("apikill", "after", Specs.http(hello, "/apikill-after", 2));
            Replicas.awaitRunning(api, "apikill", "after", 2, DEPLOY);
            Replicas.awaitAnswer(nodeA, "/apikill-after", 200);
            Replicas.awaitAnswer(nodeB, "/apikill-after", 200);
            load.stop();
            assertThat(load.failures()).as("data-plane requests while platform-api was killed and replaced: %s", load).isEmpty();
            assertThat(load.ok()).isGreaterThan(300);
        }
    }

    @Test
    @Order(2)
    void killingANodeUnderLoadMovesItsReplicasWithinLeasePlusFiveSecondsAndTheSurvivorKeepsAnswering() {
        api.apply("nodekill", "hello", Specs.http(hello, "/nodekill", 2));
        List<Replica> before = Replicas.awaitRunning(api, "nodekill", "hello", 2, DEPLOY);
        assertThat(before).extracting(Replica::node).containsExactlyInAnyOrder("node-a", "node-b");
        Replicas.awaitAnswer(nodeA, "/nodekill", 200);

        try (Load load = Load.start(List.of(nodeA.url() + "/nodekill"), 2_000, Duration.ofSeconds(40))) {
            await("load under way").atMost(Duration.ofSeconds(10)).until(() -> load.answered() >= 50);
            nodeB.kill();
            long killed = System.nanoTime();

            await("both replicas Running on node-a").atMost(Duration.ofSeconds(LocalPlatform.LEASE_SECONDS + 5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> api.replicas("nodekill", "hello").stream()
                            .filter(r -> r.phase() == ReplicaPhase.Running && r.node().equals("node-a")).count() == 2);
            System.out.printf("node-b's replica Running on node-a %d ms after kill -9%n", (System.nanoTime() - killed) / 1_000_000);
            int atMove = load.answered();
            await("the survivor answers on after the move").atMost(Duration.ofSeconds(10)).until(() -> load.answered() >= atMove + 50);
            load.stop();
            assertThat(load.failures()).as("requests to the survivor: %s", load).isEmpty();
        }
        assertThat(get(nodeA.url() + "/nodekill").body()).contains("Hello");
    }
}
