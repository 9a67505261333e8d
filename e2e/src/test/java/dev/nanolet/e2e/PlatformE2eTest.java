package dev.nanolet.e2e;

import static dev.nanolet.e2e.ApiClient.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.wire.DeploymentSpec.RestartPolicy;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.Replica;
import dev.nanolet.wire.ReplicaPhase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One real platform-api on a real PostgreSQL and two real node agents ({@code zone=a}, {@code zone=b}),
 * shared by the tests in order; each test works in its own namespace. The last two are the fault
 * suite's process faults under HTTP load: {@code kill -9} of platform-api (no data-plane request
 * fails; a new instance takes over and reaches the nodes), then {@code kill -9} of a node (its
 * replicas run on the other node within lease + 5 s; the survivor answers throughout).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformE2eTest {
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
        await("both nodes Ready").atMost(Duration.ofSeconds(30))
                .until(() -> api.nodes().stream().filter(n -> n.ready()).count() == 2);
        hello = api.upload(Paths.example("hello")).digest();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    @Order(1)
    void httpDeploymentAnswersThroughEitherNodeAndScalesToZero() {
        api.apply("scale", "hello", Specs.http(hello, "/scale-test", 3));
        List<Replica> replicas = awaitRunning("scale", "hello", 3);
        assertThat(replicas).extracting(Replica::node).isSubsetOf("node-a", "node-b");
        assertThat(api.get("scale", "hello").status().ready()).isEqualTo(3);
        for (ServiceProcess node : List.of(nodeA, nodeB)) {
            awaitAnswer(node, "/scale-test", 200);
        }

        api.scale("scale", "hello", 1);
        String runsIt = awaitRunning("scale", "hello", 1).getFirst().node();
        ServiceProcess other = runsIt.equals("node-a") ? nodeB : nodeA;
        awaitAnswer(other, "/scale-test", 200);

        api.scale("scale", "hello", 0);
        await("no replicas left").atMost(DEPLOY).until(() -> api.replicas("scale", "hello").isEmpty());
        for (ServiceProcess node : List.of(nodeA, nodeB)) {
            awaitAnswer(node, "/scale-test", 404);
        }
        assertThat(api.delete("scale", "hello")).isLessThan(300);
    }

    @Test
    @Order(2)
    void jobSucceedsOrFailsWithItsExitCode() {
        String job = api.upload(Paths.example("job")).digest();
        api.apply("jobs", "ok", Specs.job(job, RestartPolicy.Never, "0"));
        api.apply("jobs", "three", Specs.job(job, RestartPolicy.Never, "3"));

        Replica ok = awaitOnlyReplica("jobs", "ok", ReplicaPhase.Succeeded);
        Replica three = awaitOnlyReplica("jobs", "three", ReplicaPhase.Failed);

        assertThat(ok.restarts()).isZero();
        assertThat(three.reason()).isEqualTo("ExitCode");
        assertThat(three.message()).containsPattern("\\b3\\b");
        assertThat(three.restarts()).isZero();
    }

    @Test
    @Order(3)
    void onFailureRestartsInCrashLoopBackOffWithGrowingDelay() {
        String job = api.upload(Paths.example("job")).digest();
        api.apply("crash", "loop", Specs.job(job, RestartPolicy.OnFailure, "1"));
        Map<Integer, Long> firstSeenMillis = new TreeMap<>();
        Set<ReplicaPhase> phases = EnumSet.noneOf(ReplicaPhase.class);
        long t0 = System.nanoTime();
        await("4 restarts (backoff 1 s, 2 s, 4 s, 4 s)").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    List<Replica> replicas = api.replicas("crash", "loop");
                    if (replicas.size() != 1) {
                        return false;
                    }
                    Replica r = replicas.getFirst();
                    phases.add(r.phase());
                    firstSeenMillis.putIfAbsent(r.restarts(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                    return r.restarts() >= 4;
                });

        System.out.println("restart count first seen at (ms since apply): " + firstSeenMillis);
        assertThat(phases).contains(ReplicaPhase.CrashLoopBackOff);
        List<Long> gaps = gaps(firstSeenMillis);
        assertThat(gaps).as("ms between restarts 1→2, 2→3, 3→4 seen at %s", firstSeenMillis).hasSizeGreaterThanOrEqualTo(3);
        long oneToTwo = gaps.get(gaps.size() - 3);
        long twoToThree = gaps.get(gaps.size() - 2);
        long threeToFour = gaps.get(gaps.size() - 1);
        assertThat(twoToThree).as("the delay grows (%s)", gaps).isGreaterThan(oneToTwo + 800);
        assertThat(threeToFour).as("the delay stops at the 4 s maximum (%s)", gaps).isBetween(3_000L, 6_500L);
        Replica last = api.replicas("crash", "loop").getFirst();
        assertThat(last.reason() + " " + last.message()).isNotBlank();
        assertThat(api.events("crash", "loop")).isNotEmpty();
        api.delete("crash", "loop");
    }

    /** Gaps between the first sightings of consecutive restart counts from 1 on. */
    private static List<Long> gaps(Map<Integer, Long> firstSeen) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 2; firstSeen.containsKey(i); i++) {
            if (firstSeen.containsKey(i - 1)) {
                gaps.add(firstSeen.get(i) - firstSeen.get(i - 1));
            }
        }
        return gaps;
    }

    @Test
    @Order(4)
    void runawayModuleTimesOutWhileAnotherRouteOnTheSameNodeAnswers() throws Exception {
        String spin = api.upload(Paths.example("spin")).digest();
        api.apply("runaway", "spin", Specs.http(spin, "/runaway/spin", 1, Map.of("zone", "a"), 1000));
        api.apply("runaway", "hello", Specs.http(hello, "/runaway/hello", 1, Map.of("zone", "a"), null));
        assertThat(awaitRunning("runaway", "spin", 1).getFirst().node()).isEqualTo("node-a");
        assertThat(awaitRunning("runaway", "hello", 1).getFirst().node()).isEqualTo("node-a");
        awaitAnswer(nodeA, "/runaway/hello", 200);

        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> runaway = ApiClient.HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(nodeA.url() + "/runaway/spin")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> meanwhile = get(nodeA.url() + "/runaway/hello");

        assertThat(meanwhile.statusCode()).isEqualTo(200);
        assertThat(meanwhile.body()).contains("Hello");
        assertThat(runaway.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
        assertThat(get(nodeA.url() + "/runaway/hello").statusCode()).isEqualTo(200);
        api.delete("runaway", "spin");
        api.delete("runaway", "hello");
    }

    @Test
    @Order(5)
    void killingPlatformApiUnderLoadFailsNoDataPlaneRequestAndANewInstanceReachesTheNodes() {
        api.apply("apikill", "hello", Specs.http(hello, "/apikill", 2));
        awaitRunning("apikill", "hello", 2);
        awaitAnswer(nodeA, "/apikill", 200);
        awaitAnswer(nodeB, "/apikill", 200);

        try (Load load = Load.start(List.of(nodeA.url() + "/apikill", nodeB.url() + "/apikill"), 5_000, Duration.ofSeconds(90))) {
            await("load under way").atMost(Duration.ofSeconds(10)).until(() -> load.answered() >= 50);
            platform.api().kill();
            int atKill = load.answered();
            await("load goes on for longer than a lease without platform-api").atMost(Duration.ofSeconds(30))
                    .until(() -> load.answered() >= atKill + (LocalPlatform.LEASE_SECONDS + 2) * 1000 / (int) Load.PERIOD.toMillis());

            platform.startApi();
            await("both nodes renew their lease with the new platform-api").atMost(Duration.ofSeconds(20))
                    .until(() -> api.nodes().stream().filter(NodeInfo::ready).count() == 2);
            api.apply("apikill", "after", Specs.http(hello, "/apikill-after", 2));
            awaitRunning("apikill", "after", 2);
            awaitAnswer(nodeA, "/apikill-after", 200);
            awaitAnswer(nodeB, "/apikill-after", 200);
            load.stop();
            assertThat(load.failures()).as("data-plane requests while platform-api was killed and replaced: %s", load).isEmpty();
            assertThat(load.ok()).isGreaterThan(300);
        }
    }

    @Test
    @Order(6)
    void killingANodeUnderLoadMovesItsReplicasWithinLeasePlusFiveSecondsAndTheSurvivorKeepsAnswering() {
        api.apply("nodekill", "hello", Specs.http(hello, "/nodekill", 2));
        List<Replica> before = awaitRunning("nodekill", "hello", 2);
        assertThat(before).extracting(Replica::node).containsExactlyInAnyOrder("node-a", "node-b");
        awaitAnswer(nodeA, "/nodekill", 200);

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

    private static List<Replica> awaitRunning(String ns, String name, int n) {
        return Replicas.awaitRunning(api, ns, name, n, DEPLOY);
    }

    private static Replica awaitOnlyReplica(String ns, String name, ReplicaPhase phase) {
        return await(ns + "/" + name + " " + phase).atMost(DEPLOY).pollInterval(Duration.ofMillis(200))
                .until(() -> api.replicas(ns, name), rs -> rs.size() == 1 && rs.getFirst().phase() == phase).getFirst();
    }

    private static void awaitAnswer(ServiceProcess node, String path, int status) {
        Replicas.awaitAnswer(node, path, status);
    }
}
