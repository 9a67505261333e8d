package dev.nanolet.e2e;

import static dev.nanolet.e2e.ApiClient.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.wire.DeploymentSpec.RestartPolicy;
import dev.nanolet.wire.Event;
import dev.nanolet.wire.LogLine;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.Replica;
import dev.nanolet.wire.ReplicaPhase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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
        List<ServiceProcess> nodes = platform.start("node-a zone=a", "node-b zone=b");
        nodeA = nodes.get(0);
        nodeB = nodes.get(1);
        api = platform.client();
        await("both nodes Ready")
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

    /**
     * The back-off is read from what the node says, not timed from here: a poll that the machine's load
     * delays would stretch or shrink the gaps it saw. The node names each delay in a {@code BackOff} event
     * (repeats of one within ten seconds are held back) and in the replica's message while it waits.
     */
    @Test
    @Order(3)
    void onFailureRestartsInCrashLoopBackOffWithGrowingDelay() {
        String job = api.upload(Paths.example("job")).digest();
        api.apply("crash", "loop", Specs.job(job, RestartPolicy.OnFailure, "1"));
        Replica waiting = await("4 restarts (back-off 1 s, 2 s, 4 s, 4 s) and the wait for the fifth")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.replicas("crash", "loop"), rs -> rs.size() == 1 && rs.getFirst().restarts() >= 4
                        && rs.getFirst().phase() == ReplicaPhase.CrashLoopBackOff)
                .getFirst();
        assertThat(waiting.reason()).isEqualTo("BackOff");
        assertThat(waiting.message()).as("the delay after the fourth restart stops at the 4 s maximum")
                .startsWith("back-off 4s restarting failed job");
        await("the node's BackOff events").until(() -> backOffs("crash", "loop").size() >= 3);
        List<String> delays = backOffs("crash", "loop");
        assertThat(delays).as("each delay the node named, in order: it doubles from 1 s").startsWith("1s", "2s", "4s");
        assertThat(delays.subList(2, delays.size())).as("and stops at the 4 s maximum").containsOnly("4s");
        // the node stamps each line its guest writes: a run ends after its last line, the next starts once the delay is
        // over, so however loaded the machine, the gap between two runs' last lines is at least the delay between them
        List<Instant> runsEnded = await("the five runs' last lines")
                .until(() -> api.logs("crash", "loop", 1000).stream().filter(l -> l.line().equals("job finished"))
                        .map(LogLine::time).sorted().toList(), ends -> ends.size() >= 5);
        for (int run = 1; run <= 4; run++) {
            assertThat(Duration.between(runsEnded.get(run - 1), runsEnded.get(run)))
                    .as("from run %d's last line to run %d's (%s)", run, run + 1, runsEnded)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(Math.min(4, 1L << (run - 1))));
        }
        api.delete("crash", "loop");
    }

    private static final Pattern NAMED_DELAY = Pattern.compile("^restarting failed job in (\\S+)");

    /**
     * The delays named by the deployment's BackOff events, oldest first: one per distinct delay, as the
     * node holds back a repeat within ten seconds and platform-api counts repeats in one event.
     */
    private static List<String> backOffs(String ns, String name) {
        return api.events(ns, name).stream().filter(e -> "BackOff".equals(e.reason()))
                .sorted(Comparator.comparingLong(Event::id)).map(e -> NAMED_DELAY.matcher(e.message()))
                .map(m -> m.find() ? m.group(1) : "unnamed").toList();
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

        try (Load load = Load.start(List.of(nodeA.url() + "/apikill", nodeB.url() + "/apikill"), 9_000, Duration.ofSeconds(180))) {
            await("load under way").until(() -> load.answered() >= 50);
            platform.api().kill();
            int atKill = load.answered();
            await("load goes on for longer than a lease without platform-api").atMost(Duration.ofSeconds(30))
                    .until(() -> load.answered() >= atKill + (LocalPlatform.LEASE_SECONDS + 2) * 1000 / (int) Load.PERIOD.toMillis());

            platform.startApi();
            await("both nodes renew their lease with the new platform-api")
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

        try (Load load = Load.start(List.of(nodeA.url() + "/nodekill"), 6_000, Duration.ofSeconds(120))) {
            await("load under way").until(() -> load.answered() >= 50);
            nodeB.kill();
            long killed = System.nanoTime();

            // What this proves is that the replicas move once the lease expires: not at the node's 30 s retry, and not only
            // at a second lease's expiry (about 8 s and a control pass), which + 5 s leaves no room for. The seconds past
            // the lease are a control pass, the start on node-a and its report: 4.6-6.0 s after the kill in all at load
            // 13-20 (the lease ran out 3-4 s after it), so + 5 s leaves 3 s for a slower machine.
            await("both replicas Running on node-a").atMost(Duration.ofSeconds(LocalPlatform.LEASE_SECONDS + 5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> api.replicas("nodekill", "hello").stream()
                            .filter(r -> r.phase() == ReplicaPhase.Running && r.node().equals("node-a")).count() == 2);
            System.out.printf("node-b's replica Running on node-a %d ms after kill -9%n", (System.nanoTime() - killed) / 1_000_000);
            int atMove = load.answered();
            await("the survivor answers on after the move").until(() -> load.answered() >= atMove + 50);
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
