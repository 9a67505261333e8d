package dev.nanolet.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * What every {@link ControlPlane} adapter must do, seen from both sides: the node's (the port) and
 * the control plane's (what an operator or the platform would see). An adapter's test extends this
 * and supplies the adapter and a view of its upstream.
 */
public abstract class ControlPlaneContract {

    protected static final Duration CALL = Duration.ofSeconds(20);
    protected final RecordingDesiredState desired = new RecordingDesiredState();
    private ControlPlane adapter;
    private Disposable watching;

    /** A fresh adapter for this node, delivering to {@code desired}. */
    protected abstract ControlPlane adapter(RecordingDesiredState desired);

    /** Whether the upstream knows this node (registered). */
    protected abstract boolean nodeKnown();

    /** A value that changes each time the upstream sees the lease renewed. */
    protected abstract Object leaseMark();

    /** Makes the upstream want {@code example} run on this node as an HTTP handler at {@code path}; answers the replica id. */
    protected abstract UUID assignHttp(String name, String example, String path);

    /** Makes the upstream stop wanting the replica. */
    protected abstract void unassign(UUID replica);

    /** The replica's phase as the upstream shows it, or null. */
    protected abstract ReplicaPhase shownPhase(UUID replica);

    /** The reasons of the events the upstream holds about the replica. */
    protected abstract List<String> shownEventReasons(UUID replica);

    @BeforeEach
    void start() {
        adapter = adapter(desired);
    }

    @AfterEach
    void stopWatching() {
        if (watching != null) {
            watching.dispose();
        }
    }

    protected ControlPlane adapter() {
        return adapter;
    }

    private void watch() {
        watching = adapter.watch().subscribe(x -> {}, e -> {});
    }

    @Test
    void registerMakesTheNodeKnownUpstream() {
        adapter.register().block(CALL);
        assertThat(nodeKnown()).isTrue();
    }

    @Test
    void aRenewedLeaseIsSeenUpstream() {
        adapter.register().block(CALL);
        adapter.renewLease(new dev.nanolet.wire.NodeUsage(List.of())).block(CALL);
        Object first = leaseMark();
        await().atMost(CALL).untilAsserted(() -> {
            adapter.renewLease(new dev.nanolet.wire.NodeUsage(List.of())).block(CALL);
            assertThat(leaseMark()).isNotEqualTo(first);
        });
        assertThat(adapter.leaseRenewInterval()).isPositive();
    }

    @Test
    void theWatchDeliversWhatIsAssignedBeforeAndAfterAndWhatIsTakenAway() {
        adapter.register().block(CALL);
        UUID before = assignHttp("before", "hello.wasm", "/before");
        watch();
        await().atMost(CALL).until(() -> desired.desired.containsKey(before));
        assertThat(desired.desired.get(before).spec().http().path()).isEqualTo("/before");

        UUID after = assignHttp("after", "hello.wasm", "/after");
        await().atMost(CALL).until(() -> desired.desired.containsKey(after));
        unassign(before);
        await().atMost(CALL).until(() -> !desired.desired.containsKey(before)
                || desired.desired.get(before).terminating());
    }

    @Test
    void statusAndEventsAreShownUpstream() {
        adapter.register().block(CALL);
        UUID id = assignHttp("shown", "hello.wasm", "/shown");
        watch();
        await().atMost(CALL).until(() -> desired.desired.containsKey(id));

        adapter.event(id, new EventReport("Normal", "Started", "serving http on /shown")).block(CALL);
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0)).block(CALL);

        await().atMost(CALL).until(() -> shownPhase(id) == ReplicaPhase.Running);
        await().atMost(CALL).until(() -> shownEventReasons(id).contains("Started"));
    }

    @Test
    void theModuleOfADeliveredAssignmentCanBeFetchedByteExact() {
        adapter.register().block(CALL);
        UUID id = assignHttp("fetched", "hello.wasm", "/fetched");
        watch();
        await().atMost(CALL).until(() -> desired.desired.containsKey(id));
        Assignment a = desired.desired.get(id);

        assertThat(adapter.fetch(id, a.moduleDigest())).isEqualTo(Fixtures.bytes("hello.wasm"));
    }

    @Test
    void routesAreAnsweredAndLeavingDoesNotFail() {
        adapter.register().block(CALL);
        assertThat(adapter.routes().block(CALL)).isNotNull();
        adapter.leave().block(CALL);
        assertThat(adapter.describe()).isNotBlank();
    }
}
