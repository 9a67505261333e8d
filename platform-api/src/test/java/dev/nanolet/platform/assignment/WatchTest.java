package dev.nanolet.platform.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ControlPassTestBase;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.SecondInstance;
import dev.nanolet.platform.SseClient;
import dev.nanolet.platform.TestApi;
import dev.nanolet.platform.TestDeployments;
import dev.nanolet.platform.replica.AssignmentLog;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.AssignmentSnapshot;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

@PlatformApiTest
@TestPropertySource(properties = {"nanolet.control.enabled=true", "nanolet.nodes.lease-duration=5m"})
class WatchTest extends ControlPassTestBase {
    @Autowired Environment environment;
    @Autowired AssignmentLog log;

    private SseClient watch(int onPort, String node, String lastEventId) {
        return SseClient.open("http://localhost:" + onPort + "/api/v1/nodes/" + node + "/assignments?watch=true",
                api.credential(node), lastEventId);
    }

    /** The resource version in an event id ({@code <epoch>.<version>}). */
    private static long version(SseClient.Event e) {
        return Long.parseLong(e.id().substring(e.id().lastIndexOf('.') + 1));
    }

    private Assignment assignment(SseClient.Event e) {
        return json.readValue(e.data(), Assignment.class);
    }

    @Test
    void snapshotThenChangesThenResumeFromLastEventId() {
        api.register("watch-1", Map.of("node", "watch-1"), 10, 4096);
        SseClient.Event snapshotEvent;
        SseClient.Event added1;
        try (SseClient watch = watch(port, "watch-1", null)) {
            assertThat(watch.status()).isEqualTo(200);
            snapshotEvent = watch.nextChange();
            assertThat(snapshotEvent.name()).isEqualTo("snapshot");
            assertThat(json.readValue(snapshotEvent.data(), AssignmentSnapshot.class).replicas()).isEmpty();

            long id = deployments.create("default", "watched", on("node", "watch-1", TestDeployments.http("/watched", 2)));
            added1 = watch.nextChange();
            SseClient.Event added2 = watch.nextChange();
            assertThat(added1.name()).isEqualTo("added");
            assertThat(added2.name()).isEqualTo("added");
            assertThat(version(added2)).isGreaterThan(version(added1)).isGreaterThan(version(snapshotEvent));
            Assignment a = assignment(added1);
            assertThat(a.namespace()).isEqualTo("default");
            assertThat(a.deployment()).isEqualTo("watched");
            assertThat(a.spec().http().path()).isEqualTo("/watched");
            assertThat(a.moduleSize()).isEqualTo(8);
            assertThat(a.terminating()).isFalse();

            AssignmentSnapshot json1 = api.get("/api/v1/nodes/watch-1/assignments", AssignmentSnapshot.class);
            assertThat(json1.replicas()).hasSize(2);
            assertThat(json1.resourceVersion()).isEqualTo(version(added2));

            deployments.scale(id, 1);
            SseClient.Event modified = watch.nextChange();
            assertThat(modified.name()).isEqualTo("modified");
            assertThat(assignment(modified).terminating()).isTrue();
            assertThat(api.report("watch-1", assignment(modified).replicaId(), ReplicaPhase.Terminating).status()).isEqualTo(204);
            SseClient.Event deleted = watch.nextChange();
            assertThat(deleted.name()).isEqualTo("deleted");
            assertThat(assignment(deleted).replicaId()).isEqualTo(assignment(modified).replicaId());
        }

        try (SseClient resumed = watch(port, "watch-1", added1.id())) {
            assertThat(resumed.nextChange().name()).isEqualTo("added");
            assertThat(resumed.nextChange().name()).isEqualTo("modified");
            assertThat(resumed.nextChange().name()).isEqualTo("deleted");
        }

        log.prune(java.time.Instant.now().plusSeconds(1));
        try (SseClient tooOld = watch(port, "watch-1", added1.id())) {
            assertThat(tooOld.status()).isEqualTo(410);
        }
        try (SseClient relisted = watch(port, "watch-1", null)) {
            SseClient.Event fresh = relisted.nextChange();
            assertThat(fresh.name()).isEqualTo("snapshot");
            assertThat(json.readValue(fresh.data(), AssignmentSnapshot.class).replicas()).hasSize(1);
        }
    }

    /**
     * Each way between two instances: a change this one makes reaches a watcher of the other, and one the other makes
     * reaches a watcher here resumed from the other's event id, each within {@link SseClient#next}'s 10 s, before the
     * stream's own read at its 15 s heartbeat could find it. The resumed watch opens at once (its {@code resumed}
     * comment); before, with nothing new to send, it sent no headers until that heartbeat.
     */
    @Test
    void aChangeMadeByAnotherInstanceReachesAWatcherOfThisOne() {
        api.register("watch-2", Map.of("node", "watch-2"), 10, 4096);
        try (ConfigurableApplicationContext second = SecondInstance.start(environment);
                SseClient watch = watch(SecondInstance.port(second), "watch-2", null)) {
            assertThat(watch.nextChange().name()).isEqualTo("snapshot");
            long id = deployments.create("default", "elsewhere", on("node", "watch-2", TestDeployments.http("/elsewhere", 1)));
            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> deployments.replicas(id).stream().anyMatch(r -> r.nodeName() != null));
            SseClient.Event added = watch.nextChange();
            assertThat(added.name()).isEqualTo("added");
            assertThat(assignment(added).deployment()).isEqualTo("elsewhere");

            try (SseClient watchHere = watch(port, "watch-2", added.id())) {
                TestApi secondApi = api.at(SecondInstance.port(second));
                assertThat(secondApi.report("watch-2", assignment(added).replicaId(), ReplicaPhase.Terminating).status()).isEqualTo(204);
                SseClient.Event deleted = watchHere.nextChange();
                assertThat(deleted.name()).isEqualTo("deleted");
                assertThat(assignment(deleted).replicaId()).isEqualTo(assignment(added).replicaId());
            }
        }
    }

    @Test
    void snapshotsOmitFinishedReplicasAndUnknownNodesAre404() {
        api.register("watch-3", Map.of("node", "watch-3"), 10, 4096);
        long id = deployments.create("default", "jobs", on("node", "watch-3", TestDeployments.job(null, 1)));
        await().until(() -> deployments.replicas(id).stream().anyMatch(r -> "watch-3".equals(r.nodeName())));
        var replica = deployments.replicas(id).getFirst().id();
        assertThat(api.report("watch-3", replica, ReplicaPhase.Running).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/nodes/watch-3/assignments", AssignmentSnapshot.class).replicas()).hasSize(1);
        assertThat(api.report("watch-3", replica, ReplicaPhase.Succeeded).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/nodes/watch-3/assignments", AssignmentSnapshot.class).replicas()).isEmpty();
        assertThat(api.admin("GET", "/api/v1/nodes/nobody/assignments", null).status()).isEqualTo(404);
    }
}
