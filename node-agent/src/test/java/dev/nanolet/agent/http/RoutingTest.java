package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.replica.ReplicasFixture;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.Route;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing over many routes, as a dense node has them: the longest route on whole segments, local before
 * remote, and every change of the local replicas or of the route table seen by the next request (the
 * routes are indexed once per change, not read again per request).
 */
class RoutingTest {
    static final String SELF = "http://localhost:8181";

    @TempDir
    Path dir;

    ReplicasFixture.Serving serving;
    final RouteTable table = new RouteTable();

    Routing routing() {
        serving = new ReplicasFixture.Serving(dir);
        return new Routing(serving.replicas(), table, new NodeProperties("n", Map.of(), 1, 1, 8181, SELF, dir));
    }

    @AfterEach
    void stop() {
        if (serving != null) {
            serving.close();
        }
    }

    @Test
    void theLongestRouteOnWholeSegmentsWinsAmongThousandsOfLocalAndRemoteRoutes() {
        Routing routing = routing();
        for (int i = 0; i < 2000; i++) {
            serving.serve("/d/" + i);
        }
        serving.serve("/d/7/deeper");
        table.update(List.of(new Route("/r", "default", "r", List.of("http://other:8181")),
                new Route("/d/3", "default", "d3", List.of(SELF)),
                new Route("/", "default", "root", List.of("http://root:8181"))));

        assertThat(routing.resolve("/d/1234")).isInstanceOfSatisfying(Routing.Local.class, l -> assertThat(l.route()).isEqualTo("/d/1234"));
        assertThat(routing.resolve("/d/1234/x/y/")).isInstanceOfSatisfying(Routing.Local.class, l -> assertThat(l.route()).isEqualTo("/d/1234"));
        assertThat(routing.resolve("/d/7/deeper/x")).isInstanceOfSatisfying(Routing.Local.class,
                l -> assertThat(l.route()).isEqualTo("/d/7/deeper"));
        assertThat(routing.resolve("/d/7/deep")).isInstanceOfSatisfying(Routing.Local.class, l -> assertThat(l.route()).isEqualTo("/d/7"));
        assertThat(routing.resolve("/r/x")).isEqualTo(new Routing.Remote("/r", "http://other:8181"));
        assertThat(routing.resolve("/d/20000")).as("no local /d/20000; /d is no route; / is remote")
                .isEqualTo(new Routing.Remote("/", "http://root:8181"));
    }

    @Test
    void aReplicaThatStopsServingAndARefreshedTableAreSeenByTheNextRequest() {
        Routing routing = routing();
        Assignment a = serving.serve("/a");
        assertThat(routing.resolve("/a/x")).isInstanceOf(Routing.Local.class);

        serving.forget(a.replicaId());
        assertThat(routing.resolve("/a/x")).isEqualTo(new Routing.None());

        table.update(List.of(new Route("/a", "default", "a", List.of("http://other:8181", SELF))));
        assertThat(routing.resolve("/a/x")).isEqualTo(new Routing.Remote("/a", "http://other:8181"));

        serving.serve("/a");
        assertThat(routing.resolve("/a")).isInstanceOfSatisfying(Routing.Local.class, l -> assertThat(l.replicas()).hasSize(1));

        table.update(List.of());
        serving.forget(serving.replicas().serving().getFirst().id());
        assertThat(routing.resolve("/a")).isEqualTo(new Routing.None());
    }
}
