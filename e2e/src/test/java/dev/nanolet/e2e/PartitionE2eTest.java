package dev.nanolet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.testsupport.TcpProxy;
import dev.nanolet.wire.DeploymentSpec.RestartPolicy;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.Replica;
import dev.nanolet.wire.ReplicaPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node cut from platform-api (a TCP proxy between them that the test cuts) past its lease, then
 * back: it keeps serving its http replica meanwhile, fences its job when its lease runs out, the
 * platform replaces both on the other node (the job only after the fence margin), and on return
 * the node stops what was replaced at once. The ticks that each run of the job prints (with the
 * guest's own clock) prove that the two runs never overlapped.
 */
class PartitionE2eTest {
    private static final Pattern TICK = Pattern.compile("tick (\\d+)");
    /**
     * How soon after the partition ends node-p must stop its replaced replica: it learns of it at its first lease renewal
     * (one a second) and the printed time is about that; the bound is not 5 s, which the delays of a CI machine that runs
     * two builds at once can use up.
     */
    static final Duration RETURN = Duration.ofSeconds(10);

    @RegisterExtension
    static final LocalPlatform platform = new LocalPlatform();
    static TcpProxy proxy;
    static ApiClient api;

    @BeforeAll
    static void start() {
        platform.startApi();
        proxy = new TcpProxy(platform.apiPort());
        api = platform.client();
    }

    @AfterAll
    static void stop() {
        platform.close();
        proxy.close();
    }

    @Test
    void aPartitionedNodeFencesItsJobAndStopsWhatWasReplacedWhenItReturns() {
        ServiceProcess nodeP = platform.startNodesVia(proxy.url(), "node-p zone=p").getFirst();
        await("node-p Ready").until(() -> api.nodes().stream().anyMatch(NodeInfo::ready));
        String hello = api.upload(Paths.example("hello")).digest();
        String ticker = api.upload(Paths.example("ticker")).digest();
        api.apply("part", "web", Specs.http(hello, "/part-web", 1));
        api.apply("part", "tick", Specs.job(ticker, RestartPolicy.Never, 600_000, "300"));
        UUID oldWeb = Replicas.awaitRunning(api, "part", "web", 1, Duration.ofSeconds(60)).getFirst().id();
        UUID oldJob = Replicas.awaitRunning(api, "part", "tick", 1, Duration.ofSeconds(60)).getFirst().id();
        Set<Long> oldTicks = new ConcurrentSkipListSet<>();
        await("the job ticks on node-p").until(() -> ticks(nodeP, oldJob, oldTicks) && !oldTicks.isEmpty());
        ServiceProcess nodeQ = platform.startNodes("node-q zone=q").getFirst();
        await("node-q Ready").until(() -> api.nodes().stream().filter(NodeInfo::ready).count() == 2);

        try (Load load = Load.start(List.of(nodeP.url() + "/part-web"), 9_000, Duration.ofSeconds(180))) {
            proxy.cut();
            long cut = System.nanoTime();
            Replica newJob = await("the job replaced on node-q").pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        ticks(nodeP, oldJob, oldTicks);
                        return running(api.replicas("part", "tick"), "node-q");
                    }, r -> r != null);
            System.out.printf("job replaced on node-q %d ms after the cut%n", (System.nanoTime() - cut) / 1_000_000);
            assertThat(ticks(nodeP, oldJob, oldTicks)).as("node-p has fenced (stopped and forgotten) its job").isFalse();
            assertThat(nodeP.logTail(400)).contains("lease not renewed for a lease duration: stopping jobs");
            Replica newWeb = await("the http replica replaced on node-q")
                    .until(() -> running(api.replicas("part", "web"), "node-q"), r -> r != null);
            assertThat(newWeb.id()).isNotEqualTo(oldWeb);
            Set<Long> newTicks = new ConcurrentSkipListSet<>();
            await("the new run ticks on node-q")
                    .until(() -> ticks(nodeQ, newJob.id(), newTicks) && !newTicks.isEmpty());
            assertThat(ticks(nodeP, oldWeb, new ConcurrentSkipListSet<>())).as("node-p still has its http replica (static stability)").isTrue();
            int answeredCut = load.answered();

            proxy.restore();
            long restored = System.nanoTime();
            await("node-p stops its replaced http replica on return").atMost(RETURN).pollInterval(Duration.ofMillis(50))
                    .until(() -> !ticks(nodeP, oldWeb, new ConcurrentSkipListSet<>()));
            System.out.printf("node-p stopped its replaced replica %d ms after the partition ended%n", (System.nanoTime() - restored) / 1_000_000);
            await("node-p Ready again").until(() -> api.nodes().stream().filter(NodeInfo::ready).count() == 2);
            await("node-p never runs the old job again").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> !ticks(nodeP, oldJob, oldTicks));
            await("node-p forwards the route to node-q").until(() -> load.answered() >= answeredCut + 100);
            load.stop();
            ticks(nodeQ, newJob.id(), newTicks);
            assertThat(load.failures()).as("node-p's route during the partition and after: %s", load).isEmpty();
            assertThat(oldTicks.stream().max(Long::compare).orElseThrow())
                    .as("the old run's last tick is before the new run's first (the runs never overlap)")
                    .isLessThan(newTicks.stream().min(Long::compare).orElseThrow());
            assertThat(api.replicas("part", "tick")).extracting(Replica::id).containsExactly(newJob.id());
        }
    }

    private static final Pattern LOGS_TOKEN = Pattern.compile("\"logsToken\"\\s*:\\s*\"([^\"]+)\"");

    private static Replica running(List<Replica> replicas, String node) {
        return replicas.stream().filter(r -> r.phase() == ReplicaPhase.Running && node.equals(r.node())).findFirst().orElse(null);
    }

    /** The token a node accepts for its logs endpoint: platform-api issued it at registration, the node keeps it in its data directory. */
    private static String logsToken(ServiceProcess node) {
        try {
            String credential = Files.readString(Path.of(node.env("NANOLET_NODE_DATA_DIR"), "node-credential.json"));
            Matcher m = LOGS_TOKEN.matcher(credential);
            assertThat(m.find()).as("a logs token in %s's credential file", node.name()).isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds the ticks in the replica's log on {@code node} to {@code into}; false if the node has no such replica (404). */
    private static boolean ticks(ServiceProcess node, UUID replica, Set<Long> into) {
        HttpResponse<String> r = ApiClient.send(HttpRequest.newBuilder(
                        URI.create(node.url() + "/_nanolet/v1/replicas/" + replica + "/logs?tail=100000&follow=false"))
                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + logsToken(node)).GET().build());
        if (r.statusCode() == 404) {
            return false;
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher m = TICK.matcher(r.body());
        while (m.find()) {
            into.add(Long.parseLong(m.group(1)));
        }
        return true;
    }
}
