package dev.nanolet.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.scheduling.Placement.Candidate;
import dev.nanolet.platform.scheduling.Placement.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static Candidate node(String name, Map<String, String> labels, int instances, int memory, int same) {
        return new Candidate(name, labels, 10, 1000, instances, memory, same);
    }

    @Test
    void onlyNodesWhoseLabelsMatchTheSelector() {
        List<Candidate> nodes = List.of(node("a", Map.of("zone", "x"), 0, 0, 0), node("b", Map.of("zone", "y", "gpu", "no"), 0, 0, 0));
        assertThat(Placement.rank(new Request(Map.of("zone", "y"), 10), nodes)).extracting(Candidate::name).containsExactly("b");
        assertThat(Placement.rank(new Request(Map.of(), 10), nodes)).hasSize(2);
        assertThat(Placement.why(new Request(Map.of("zone", "z"), 10), nodes)).contains("nodeSelector");
    }

    @Test
    void onlyNodesWithRoomForOneInstanceAndTheMemory() {
        List<Candidate> nodes = List.of(node("full", Map.of(), 10, 0, 0), node("tight", Map.of(), 0, 950, 0), node("ok", Map.of(), 9, 900, 0));
        assertThat(Placement.rank(new Request(Map.of(), 100), nodes)).extracting(Candidate::name).containsExactly("ok");
        assertThat(Placement.rank(new Request(Map.of(), 101), nodes)).isEmpty();
        assertThat(Placement.why(new Request(Map.of(), 101), nodes)).contains("lack capacity");
    }

    @Test
    void spreadsADeploymentThenPrefersTheLeastAllocated() {
        List<Candidate> nodes = List.of(node("busy", Map.of(), 8, 0, 0), node("idle", Map.of(), 1, 0, 1), node("half", Map.of(), 5, 0, 0));
        assertThat(Placement.rank(new Request(Map.of(), 10), nodes)).extracting(Candidate::name).containsExactly("half", "busy", "idle");
    }
}
