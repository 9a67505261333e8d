package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The index answers what {@link RouteClaims#taken} answers when it scans every claim of another replica, for
 * routes at, above, under and beside one another, claims put, replaced and removed, jobs and pods being deleted.
 */
class RouteIndexTest {

    private static final List<String> ROUTES = List.of("/", "/a", "/a/b", "/a/b/c", "/a/c", "/ab", "/a-b", "/b", "/b/a", "/a/b%20c");
    private static final List<String> NAMESPACES = List.of("a", "a-b", "b");
    private static final List<String> WORKLOADS = List.of("d", "d-x", "e");

    /** An HTTP replica's assignment at {@code route}. */
    static Assignment at(UUID id, String namespace, String workload, String route) {
        return assignment(id, namespace, workload, new DeploymentSpec.HttpSpec(route), false);
    }

    private static Assignment assignment(UUID id, String namespace, String workload, DeploymentSpec.HttpSpec http, boolean terminating) {
        DeploymentSpec.JobSpec job = http == null ? new DeploymentSpec.JobSpec(DeploymentSpec.RestartPolicy.Never) : null;
        return new Assignment(id, namespace, workload, 1, "oci.example/m:1", 0,
                new DeploymentSpec("oci.example/m:1", http, job, 1, List.of(), Map.of(), null, null), terminating);
    }

    private static <T> T any(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static Assignment random(Random random, UUID id) {
        DeploymentSpec.HttpSpec http = random.nextInt(8) == 0 ? null : new DeploymentSpec.HttpSpec(any(random, ROUTES));
        return assignment(id, any(random, NAMESPACES), any(random, WORKLOADS), http, random.nextInt(8) == 0);
    }

    private static Object scan(Map<String, Assignment> claims, Assignment candidate) {
        return RouteClaims.taken(candidate, claims.values().stream().filter(a -> !a.replicaId().equals(candidate.replicaId())).toList());
    }

    @Test
    void answersAsTheScanOfEveryOtherClaimWhateverTheClaimsComeAndGo() {
        Random random = new Random(20261205);
        List<UUID> pods = java.util.stream.Stream.generate(UUID::randomUUID).limit(12).toList();
        Map<String, Assignment> claims = new HashMap<>();
        RouteIndex<String> index = new RouteIndex<>();
        int refusals = 0;
        int free = 0;
        for (int step = 0; step < 5_000; step++) {
            UUID pod = any(random, pods);
            String key = pod + (random.nextBoolean() ? "/accepted" : "/before");
            if (random.nextInt(4) == 0) {
                claims.remove(key);
                index.remove(key);
            } else {
                Assignment a = random(random, pod);
                claims.put(key, a);
                index.put(key, a);
            }
            Assignment candidate = random(random, random.nextBoolean() ? pod : UUID.randomUUID());
            Object expected = scan(claims, candidate);
            assertThat(index.taken(candidate)).as("step %d: %s against %s", step, candidate, claims.values()).isEqualTo(expected);
            refusals += index.taken(candidate).isPresent() ? 1 : 0;
            free += index.taken(candidate).isPresent() ? 0 : 1;
        }
        assertThat(List.of(refusals, free)).as("the walk meets clashes as well as free routes").allMatch(n -> n > 500);
    }

    @Test
    void namesTheOwnerOfTheShortestClashingRouteAndThenTheFirstWorkload() {
        RouteIndex<String> index = new RouteIndex<>();
        index.put("1", at(UUID.randomUUID(), "a", "z", "/shop"));
        index.put("2", at(UUID.randomUUID(), "a-b", "y", "/shop"));
        index.put("3", at(UUID.randomUUID(), "c", "x", "/shop/admin/x"));
        index.put("4", at(UUID.randomUUID(), "c", "w", "/"));

        assertThat(index.taken(at(UUID.randomUUID(), "d", "v", "/shop/admin"))).hasValueSatisfying(m -> assertThat(m)
                .startsWith("route /shop/admin is under /, served on this node by c/w;"));
        index.remove("4");
        assertThat(index.taken(at(UUID.randomUUID(), "d", "v", "/shop/admin"))).hasValueSatisfying(m -> assertThat(m)
                .startsWith("route /shop/admin is under /shop, served on this node by a-b/y;"));
        assertThat(index.taken(at(UUID.randomUUID(), "a-b", "v", "/shop/admin"))).hasValueSatisfying(m -> assertThat(m)
                .startsWith("route /shop/admin is under /shop, served on this node by a/z;"));
        assertThat(index.taken(at(UUID.randomUUID(), "c", "v", "/"))).hasValueSatisfying(m -> assertThat(m)
                .startsWith("route / is above /shop, served on this node by a-b/y;"));
    }

    /**
     * Two routes of the 1024 characters a route may have, quoted whole, and the longest namespace and workload names
     * made a message of 2472 characters, past an event's 1 KiB: each route is quoted by its first 64 characters and length.
     */
    @Test
    void aMessageAboutTheLongestRoutesStaysUnderAnEventsKibibyte() {
        String held = "/" + "a".repeat(1021) + "/b";
        RouteIndex<String> index = new RouteIndex<>();
        index.put("1", at(UUID.randomUUID(), "n".repeat(63), "w".repeat(253), held.substring(0, 1022)));

        assertThat(index.taken(at(UUID.randomUUID(), "other", "v", held))).hasValueSatisfying(m -> {
            assertThat(m).startsWith("route /" + "a".repeat(63) + "… (1024 characters) is under /" + "a".repeat(63)
                    + "… (1022 characters), served on this node by " + "n".repeat(63) + "/" + "w".repeat(253) + ";");
            assertThat(m.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
        });
    }
}
