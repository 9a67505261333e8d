package dev.nanolet.platform.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.SseClient;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestApiBase;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.ReplicaPhase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** A change to the route table reaches every node's watch as a {@code routes} event, not only the node that runs the route. */
@PlatformApiTest
// its own context, so its own database: a context shared with other classes carries their deployments, whose
// replicas and route changes reach these watches too ("nothing changed yet" would then race them)
@TestPropertySource(properties = {"nanolet.control.enabled=true", "nanolet.nodes.lease-duration=5m", "nanolet.test-context=route-watch"})
class RouteWatchTest extends TestApiBase {
    /** Registers {@code node} and watches its assignments, past the snapshot. */
    private SseClient watching(TestApi api, String node) throws InterruptedException {
        api.register(node, Map.of("node", node), 10, 4096);
        SseClient watch = SseClient.open("http://localhost:" + port + "/api/v1/nodes/" + node + "/assignments?watch=true",
                api.credential(node), null);
        assertThat(watch.next().name()).isEqualTo("snapshot");
        return watch;
    }

    /** Deployment {@code name} at {@code /name}, its replicas all on {@code node}. */
    private void deployOn(String name, int replicas, String node) {
        new TestDeployments(jdbc, json).create("default", name, TestDeployments.withSelector(
                TestDeployments.http("/" + name, replicas), Map.of("node", node), 64));
    }

    /** The next event that is not a {@code routes} one... or the {@code routes} one, whichever {@code name} asks for. */
    private static SseClient.Event nextNamed(SseClient watch, String name) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            SseClient.Event e = watch.poll(Duration.ofSeconds(1));
            if (e != null && e.name().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no " + name + " event within 20 s");
    }

    @Test
    void aReplicaThatStartsOrStopsRunningIsAnnouncedToEveryNode() throws InterruptedException {
        try (SseClient runs = watching(api, "rw-runs"); SseClient other = watching(api, "rw-other")) {
            deployOn("rw", 1, "rw-runs");
            Assignment added = json.readValue(nextNamed(runs, "added").data(), Assignment.class);
            assertThat(api.report("rw-runs", added.replicaId(), ReplicaPhase.Pulling).status()).isEqualTo(204);
            assertThat(other.poll(Duration.ofMillis(500))).as("nothing the route table shows changed yet").isNull();

            assertThat(api.report("rw-runs", added.replicaId(), ReplicaPhase.Running).status()).isEqualTo(204);
            assertThat(nextNamed(other, "routes").data()).isEqualTo("{}");
            nextNamed(runs, "routes");

            jdbc.sql("UPDATE deployments SET spec = jsonb_set(spec, '{replicas}', '0') WHERE name = 'rw'").update();
            jdbc.sql("NOTIFY nanolet_control").update();
            assertThat(json.readValue(nextNamed(runs, "modified").data(), Assignment.class).terminating()).isTrue();
            nextNamed(other, "routes");
        }
    }

    @Test
    void aChangeThatLeavesTheRouteTableAsItWasIsNotAnnounced() throws InterruptedException {
        try (SseClient runs = watching(api, "rw-two"); SseClient other = watching(api, "rw-idle")) {
            deployOn("rw2", 2, "rw-two");
            Assignment first = json.readValue(nextNamed(runs, "added").data(), Assignment.class);
            Assignment second = json.readValue(nextNamed(runs, "added").data(), Assignment.class);
            assertThat(api.report("rw-two", first.replicaId(), ReplicaPhase.Running).status()).isEqualTo(204);
            nextNamed(other, "routes");

            assertThat(api.report("rw-two", second.replicaId(), ReplicaPhase.Running).status()).isEqualTo(204);
            assertThat(other.poll(Duration.ofSeconds(1))).as("/rw2 is still served by rw-two alone: nothing to fetch").isNull();

            jdbc.sql("UPDATE deployments SET http_path = '/rw2-moved' WHERE name = 'rw2'").update();
            nextNamed(other, "routes");
        }
    }
}
