package dev.nanolet.e2e;

import static dev.nanolet.e2e.ApiClient.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.wire.DeploymentSpec.RestartPolicy;
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
 * shared by the tests in order; each test works in its own namespace. The last two tests kill a
 * node and stop platform-api, so they run last.
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
    void replicasOfAKilledNodeRunOnTheOtherNodeWithinLeasePlusFiveSeconds() {
        api.apply("failover", "hello", Specs.http(hello, "/failover", 2));
        List<Replica> before = awaitRunning("failover", "hello", 2);
        boolean bRunsSome = before.stream().anyMatch(r -> r.node().equals("node-b"));
        ServiceProcess victim = bRunsSome ? nodeB : nodeA;
        String survivor = bRunsSome ? "node-a" : "node-b";

        victim.kill();

        await("both replicas Running on " + survivor).atMost(Duration.ofSeconds(LocalPlatform.LEASE_SECONDS + 5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> api.replicas("failover", "hello").stream()
                        .filter(r -> r.phase() == ReplicaPhase.Running && r.node().equals(survivor)).count() == 2);
        awaitAnswer(survivor.equals("node-a") ? nodeA : nodeB, "/failover", 200);
    }

    @Test
    @Order(6)
    void routeKeepsAnsweringWhilePlatformApiIsDown() {
        ServiceProcess node = nodeA.alive() ? nodeA : nodeB;
        api.apply("static", "hello", Specs.http(hello, "/static", 1));
        awaitRunning("static", "hello", 1);
        awaitAnswer(node, "/static", 200);

        platform.api().kill();

        await("the route answers for longer than a lease").during(Duration.ofSeconds(LocalPlatform.LEASE_SECONDS + 2))
                .atMost(Duration.ofSeconds(LocalPlatform.LEASE_SECONDS + 6)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(node.url() + "/static").statusCode() == 200);
        assertThat(node.alive()).isTrue();
    }

    private static List<Replica> awaitRunning(String ns, String name, int n) {
        return await(ns + "/" + name + ": " + n + " replicas Running").atMost(DEPLOY).pollInterval(Duration.ofMillis(200))
                .until(() -> api.replicas(ns, name), rs -> rs.size() == n && rs.stream().allMatch(r -> r.phase() == ReplicaPhase.Running));
    }

    private static Replica awaitOnlyReplica(String ns, String name, ReplicaPhase phase) {
        return await(ns + "/" + name + " " + phase).atMost(DEPLOY).pollInterval(Duration.ofMillis(200))
                .until(() -> api.replicas(ns, name), rs -> rs.size() == 1 && rs.getFirst().phase() == phase).getFirst();
    }

    private static void awaitAnswer(ServiceProcess node, String path, int status) {
        await(node.name() + path + " answers " + status).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    HttpResponse<String> r = get(node.url() + path);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
                    if (status == 200) {
                        assertThat(r.body()).contains("Hello");
                    }
                });
    }
}
