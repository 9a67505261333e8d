package dev.nanolet.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.FakePlatform;
import dev.nanolet.agent.config.AuthProperties;
import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.PlatformProperties;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

/** The platform-api adapter against an in-process platform speaking the node protocol. */
class PlatformControlPlaneTest extends ControlPlaneContract {

    private final FakePlatform platform = new FakePlatform();

    /** The adapter for {@code platform}, as the agent wires it. */
    static PlatformControlPlane adapter(FakePlatform platform, RecordingDesiredState desired) {
        var props = new PlatformProperties(platform.url(), Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMillis(250),
                Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofSeconds(45), Duration.ofSeconds(15));
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("nanolet-adapter");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var node = new NodeProperties("n1", Map.of(), 1, 64, 8181, null, dataDir);
        var json = JsonMapper.builder().build();
        var client = new PlatformClient(WebClient.builder(), props, new NodeIdentity(node, new AuthProperties(FakePlatform.TOKEN), json),
                node, json);
        var fence = new LeaseFence(Clock.systemUTC(), props);
        return new PlatformControlPlane(client, new AssignmentWatch(desired, json, fence), props, node, fence, desired);
    }

    @Test
    void aRoutesEventAsksForTheRouteTableAndLeavesTheAssignmentsAndTheResumePointAlone() {
        var desired = new RecordingDesiredState();
        var adapter = adapter(platform, desired);
        adapter.register().block();
        UUID id = assignHttp("r", "hello.wasm", "/r");
        List<Boolean> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var watching = adapter.watch().subscribe(seen::add, e -> { });
        try {
            await().until(() -> desired.desired.containsKey(id) && !seen.isEmpty());
            int before = seen.size();
            int snapshots = desired.snapshots.get();
            platform.announceRoutes();
            await().until(() -> seen.size() == before + 1);
            assertThat(seen.getLast()).as("the route table is wanted").isTrue();
            assertThat(desired.desired).containsOnlyKeys(id);
            assertThat(desired.snapshots.get()).isEqualTo(snapshots);
        } finally {
            watching.dispose();
        }
    }

    @Test
    void aSnapshotAsksForTheRouteTableButAChangeOfTheNodesOwnAssignmentsDoesNot() {
        var desired = new RecordingDesiredState();
        var adapter = adapter(platform, desired);
        adapter.register().block();
        List<Boolean> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var watching = adapter.watch().subscribe(seen::add, e -> { });
        try {
            await().until(() -> desired.snapshots.get() == 1 && seen.size() == 1);
            assertThat(seen.getFirst()).as("after a snapshot, announcements may have been missed").isTrue();
            UUID id = assignHttp("own", "hello.wasm", "/own");
            await().until(() -> desired.desired.containsKey(id) && seen.size() == 2);
            unassign(id);
            await().until(() -> !desired.desired.containsKey(id) && seen.size() == 3);
            assertThat(seen.subList(1, 3)).as("its own replicas are routed here without the table").containsExactly(false, false);
        } finally {
            watching.dispose();
        }
    }

    @Override
    protected ControlPlane adapter(RecordingDesiredState desired) {
        return adapter(platform, desired);
    }

    @AfterEach
    void close() {
        platform.close();
    }

    @Override
    protected boolean nodeKnown() {
        return platform.registrations.stream().anyMatch(r -> r.name().equals("n1"));
    }

    @Override
    protected Object leaseMark() {
        return platform.leases.size();
    }

    @Override
    protected UUID assignHttp(String name, String example, String path) {
        byte[] bytes = Fixtures.bytes(example);
        String digest = Fixtures.digest(bytes);
        platform.modules.put(digest, bytes);
        var spec = new DeploymentSpec(digest, new DeploymentSpec.HttpSpec(path), null, 1, null, null, null, null);
        var a = new Assignment(UUID.randomUUID(), "default", name, 1, digest, bytes.length, spec, false);
        platform.put(a);
        return a.replicaId();
    }

    @Override
    protected void unassign(UUID replica) {
        platform.delete(replica);
    }

    @Override
    protected ReplicaPhase shownPhase(UUID replica) {
        ReplicaStatusReport last = platform.last(replica);
        return last == null ? null : last.phase();
    }

    @Override
    protected List<String> shownEventReasons(UUID replica) {
        return platform.eventsOf(replica).stream().map(EventReport::reason).toList();
    }
}
