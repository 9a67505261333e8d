package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ModuleDigest;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The reconcile loop with many assignments at once, as a dense node gets them from the watch. */
class ReconcilerTest {

    @TempDir
    Path dir;

    final FakeRuntime runtime = new FakeRuntime();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final GuestPool guests = new GuestPool(2, 2, Duration.ofSeconds(2), timer);
    final byte[] module = "serve".getBytes(StandardCharsets.UTF_8);
    final String digest = ModuleDigest.of(module);
    final java.util.Set<UUID> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Counts saves; the first one waits until {@link #release} opens, holding the loop while changes queue up. */
    final class HeldSaves extends SavedAssignments {
        final AtomicInteger saves = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HeldSaves() {
            super(JsonMapper.builder().build(), ReplicasFixture.node(dir));
        }

        @Override
        void save(Collection<Assignment> desired) {
            if (saves.incrementAndGet() == 1) {
                entered.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.save(desired);
        }
    }

    Replicas replicas() {
        runtime.behaviours.put("serve", inv -> RunResult.exited(0));
        ReplicaReporter quiet = new ReplicaReporter() {
            public void status(UUID replica, ReplicaStatusReport report) {
                reported.add(replica);
            }

            public void event(UUID replica, EventReport event) {}

            public void discard(UUID replica) {}

            public boolean flush(Duration max) {
                return true;
            }
        };
        return ReplicasFixture.replicas(dir, quiet, runtime, (r, d) -> module, guests, timer);
    }

    Assignment http(int i) {
        var spec = new DeploymentSpec(digest, new DeploymentSpec.HttpSpec("/d/" + i), null, 1, null, null, null, null);
        return new Assignment(UUID.randomUUID(), "default", "d-" + i, 1, digest, module.length, spec, false);
    }

    @AfterEach
    void stop() {
        guests.close();
        timer.shutdownNow();
    }

    /**
     * 1,000 {@code added} events queued while the loop is busy are saved and diffed once, not once each:
     * before, every event wrote the whole desired set to disk and diffed it against every replica, which
     * made a burst of n assignments cost n² (about 12.5 million assignments serialized for 5,000).
     */
    @Test
    void aBurstOfAddedAssignmentsIsSavedAndDiffedOnceForTheWholeBurst() throws InterruptedException {
        Replicas replicas = replicas();
        HeldSaves saved = new HeldSaves();
        try (Reconciler reconciler = new Reconciler(replicas, saved)) {
            List<Assignment> burst = IntStream.range(0, 1000).mapToObj(this::http).toList();
            reconciler.put(burst.getFirst());
            assertThat(saved.entered.await(20, TimeUnit.SECONDS)).isTrue();
            burst.subList(1, burst.size()).forEach(reconciler::put);
            saved.release.countDown();

            await().atMost(Duration.ofSeconds(30)).until(() -> replicas.serving().size() == burst.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> saved.load().map(List::size).orElse(0) == burst.size());
            assertThat(saved.saves.get()).as("saves of the desired set for 1,000 assignments").isLessThanOrEqualTo(2);
            assertThat(replicas.all()).allMatch(r -> r.phase() == ReplicaPhase.Running);
        }
    }

    /**
     * A delete queued behind its own add is applied with it: the diff sees neither, so the replica is never
     * started (before, it was started, reported and forgotten again).
     */
    @Test
    void anAssignmentAddedAndDeletedInOneBurstIsNeverStarted() throws InterruptedException {
        Replicas replicas = replicas();
        HeldSaves saved = new HeldSaves();
        try (Reconciler reconciler = new Reconciler(replicas, saved)) {
            Assignment kept = http(1);
            Assignment gone = http(2);
            reconciler.put(kept);
            assertThat(saved.entered.await(20, TimeUnit.SECONDS)).isTrue();
            reconciler.put(gone);
            reconciler.remove(gone.replicaId());
            saved.release.countDown();

            await().atMost(Duration.ofSeconds(30)).until(() -> saved.saves.get() >= 2
                    && saved.load().orElse(List.of()).stream().map(Assignment::replicaId).toList().equals(List.of(kept.replicaId())));
            await().atMost(Duration.ofSeconds(30)).until(() -> replicas.serving().size() == 1);
            assertThat(replicas.find(gone.replicaId())).isEmpty();
            assertThat(reported).contains(kept.replicaId()).doesNotContain(gone.replicaId());
        }
    }
}
