package dev.nanolet.agent.replica;


import dev.nanolet.wire.ModuleDigest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replica lifecycle with fake modules: phases, reasons, events, interruption. */
class ReplicasTest {

    record Sent(UUID replica, Object what) {}

    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final FakeRuntime runtime = new FakeRuntime();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final GuestPool guests = new GuestPool(4, 4, Duration.ofSeconds(2), timer);

    @TempDir
    Path cache;

    Replicas replicas() {
        return ReplicasFixture.replicas(cache, reporter(), runtime, this::module, guests, timer);
    }

    ReplicaReporter reporter() {
        return new ReplicaReporter() {
            public void status(UUID replica, ReplicaStatusReport report) {
                sent.add(new Sent(replica, report));
            }

            public void event(UUID replica, EventReport event) {
                sent.add(new Sent(replica, event));
            }

            public void discard(UUID replica) {}

            public boolean flush(Duration max) {
                return true;
            }
        };
    }

    final Map<String, byte[]> served = new java.util.concurrent.ConcurrentHashMap<>();

    byte[] module(UUID replica, String digest) {
        return served.get(digest);
    }

    Assignment job(String behaviour) {
        byte[] bytes = behaviour.getBytes(StandardCharsets.UTF_8);
        String digest = ModuleDigest.of(bytes);
        served.put(digest, bytes);
        var spec = new DeploymentSpec(digest, null, new DeploymentSpec.JobSpec(DeploymentSpec.RestartPolicy.Never), 1, null, null, null, null);
        return new Assignment(UUID.randomUUID(), "default", behaviour, 1, digest, bytes.length, spec, false);
    }

    Assignment http(String behaviour) {
        Assignment job = job(behaviour);
        var spec = new DeploymentSpec(job.moduleDigest(), new DeploymentSpec.HttpSpec("/" + behaviour), null, 1, null, null, null, null);
        return new Assignment(UUID.randomUUID(), "default", behaviour, 1, job.moduleDigest(), job.moduleSize(), spec, false);
    }

    /** What was reported about {@code a}, in order: {@code status <phase>} and {@code event <reason>}. */
    List<String> reports(Assignment a) {
        return sent.stream().filter(s -> s.replica().equals(a.replicaId()))
                .map(s -> s.what() instanceof ReplicaStatusReport r ? "status " + r.phase() : "event " + ((EventReport) s.what()).reason())
                .toList();
    }

    List<ReplicaStatusReport> statuses(Assignment a) {
        return sent.stream().filter(s -> s.replica().equals(a.replicaId()) && s.what() instanceof ReplicaStatusReport)
                .map(s -> (ReplicaStatusReport) s.what()).toList();
    }

    @AfterEach
    void stop() {
        guests.close();
        timer.shutdownNow();
    }

    @Test
    void compilerWarningsBecomeWarningEventsAndATrapFailsTheJob() {
        runtime.warnings = List.of("function 7 runs in the interpreter");
        runtime.behaviours.put("trap", inv -> new RunResult(RunResult.Outcome.TRAP, -1, "unreachable"));
        Assignment a = job("trap");
        replicas().apply(new ReplicaAction.Start(a));
        await().until(() -> !statuses(a).isEmpty() && statuses(a).getLast().phase() == ReplicaPhase.Failed);
        assertThat(statuses(a).getLast()).isEqualTo(new ReplicaStatusReport(ReplicaPhase.Failed, "Trap", "unreachable", 0));
        assertThat(sent).contains(new Sent(a.replicaId(), new EventReport("Warning", "CompilerWarning", "function 7 runs in the interpreter")));
    }

    /**
     * An Error out of a job's run outside the engine's own catch (a class the node cannot load, in the bindings or the
     * runtime) fails the job as any trap does: the pool's FutureTask swallowed it, so the replica stayed Running for
     * ever with nothing in its status or the node's log.
     */
    @Test
    void anErrorOutOfAJobsRunFailsTheJob() {
        runtime.behaviours.put("broken", inv -> {
            throw new NoClassDefFoundError("dev/nanolet/Missing");
        });
        Assignment a = job("broken");
        replicas().apply(new ReplicaAction.Start(a));
        await().until(() -> !statuses(a).isEmpty() && statuses(a).getLast().phase() == ReplicaPhase.Failed);
        assertThat(statuses(a).getLast()).isEqualTo(new ReplicaStatusReport(ReplicaPhase.Failed, "Trap", "the node failed to run the job", 0));
    }

    @Test
    void terminateInterruptsARunningGuestAndReportsTerminating() {
        var interrupted = new AtomicBoolean();
        runtime.behaviours.put("block", inv -> untilInterrupted(interrupted));
        Assignment a = job("block");
        Replicas replicas = replicas();
        replicas.apply(new ReplicaAction.Start(a));
        await().until(() -> !statuses(a).isEmpty() && statuses(a).getLast().phase() == ReplicaPhase.Running);

        replicas.apply(new ReplicaAction.Terminate(a));
        await().untilTrue(interrupted);
        assertThat(statuses(a).getLast().phase()).isEqualTo(ReplicaPhase.Terminating);
        assertThat(replicas.find(a.replicaId()).orElseThrow().phase()).isEqualTo(ReplicaPhase.Terminating);
    }

    /**
     * An http replica reports Pulling only while its module is fetched and compiled, never Starting,
     * and its Running report comes before its events: with the module compiled here already it is the
     * first report (each is a call to the platform, and other nodes route to it only once it is Running).
     */
    @Test
    void anHttpReplicaReportsRunningFirstOnceItsModuleIsCompiledHere() {
        runtime.behaviours.put("serve", inv -> new RunResult(RunResult.Outcome.EXITED, 0, null));
        Replicas replicas = replicas();
        Assignment first = http("serve");
        Assignment second = http("serve");
        replicas.apply(new ReplicaAction.Start(first));
        replicas.apply(new ReplicaAction.Start(second));

        assertThat(reports(first)).containsExactly("status Pulling", "status Running", "event Pulled", "event Started");
        assertThat(reports(second)).containsExactly("status Running", "event Pulled", "event Started");
        assertThat(replicas.serving()).extracting(LocalReplica::id).containsExactlyInAnyOrder(first.replicaId(), second.replicaId());
    }

    /** A new assignment starts before the desired set is written to disk, not after: a slow disk does not hold up the route. */
    @Test
    void aNewAssignmentStartsBeforeTheDesiredSetIsSaved() throws InterruptedException {
        runtime.behaviours.put("serve", inv -> new RunResult(RunResult.Outcome.EXITED, 0, null));
        var release = new CountDownLatch(1);
        var node = ReplicasFixture.node(cache);
        var saved = new SavedAssignments(JsonMapper.builder().build(), node) {
            @Override
            void save(java.util.Collection<Assignment> desired) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.save(desired);
            }
        };
        Replicas replicas = replicas();
        var reconciler = new Reconciler(replicas, saved);
        try {
            Assignment a = http("serve");
            reconciler.put(a);
            await().until(() -> replicas.serving().stream().anyMatch(r -> r.id().equals(a.replicaId())));
            release.countDown();
            await().until(() -> saved.load().orElse(List.of()).stream().anyMatch(s -> s.replicaId().equals(a.replicaId())));
        } finally {
            release.countDown();
            reconciler.close();
        }
    }

    @Test
    void unknownBytesAreAnInvalidModule() {
        Assignment a = job("no such behaviour");
        replicas().apply(new ReplicaAction.Start(a));
        await().until(() -> !statuses(a).isEmpty() && statuses(a).getLast().phase() == ReplicaPhase.Failed);
        assertThat(statuses(a).getLast().reason()).isEqualTo("InvalidModule");
    }

    @Test
    void aVolumeNameThatIsNotALabelFailsTheReplicaBeforeItRunsAndMakesNoDirectory() {
        runtime.behaviours.put("ok", inv -> new RunResult(RunResult.Outcome.EXITED, 0, null));
        Assignment ok = job("ok");
        var spec = new DeploymentSpec(ok.moduleDigest(), null, ok.spec().job(), 1, null, null, null, null, null, null,
                List.of(new DeploymentSpec.Volume("../../escape", "/data")));
        Assignment a = new Assignment(UUID.randomUUID(), "default", "ok", 1, ok.moduleDigest(), 0, spec, false);
        replicas().apply(new ReplicaAction.Start(a));
        await().until(() -> !statuses(a).isEmpty() && statuses(a).getLast().phase() == ReplicaPhase.Failed);
        assertThat(statuses(a).getLast().reason()).isEqualTo("VolumeFailed");
        assertThat(statuses(a)).extracting(ReplicaStatusReport::phase).doesNotContain(ReplicaPhase.Running);
        assertThat(cache.resolve("volumes")).doesNotExist();
    }

    /**
     * Pulling is reported only when the module is fetched: a second replica of a module the node already has
     * goes Scheduled → Starting, and so does a replica an agent starts again after its own restart, which the
     * platform still has Running (Running → Pulling is refused with 409; before, every replica of a dense node
     * sent one refused report after a restart).
     */
    @Test
    void aModuleAlreadyOnTheNodeIsNotPulledAgain() {
        runtime.behaviours.put("ok", inv -> new RunResult(RunResult.Outcome.EXITED, 0, null));
        Replicas replicas = replicas();
        Assignment first = job("ok");
        replicas.apply(new ReplicaAction.Start(first));
        await().until(() -> !statuses(first).isEmpty() && statuses(first).getLast().phase() == ReplicaPhase.Succeeded);
        Assignment second = job("ok");
        replicas.apply(new ReplicaAction.Start(second));
        await().until(() -> !statuses(second).isEmpty() && statuses(second).getLast().phase() == ReplicaPhase.Succeeded);

        assertThat(statuses(first)).extracting(ReplicaStatusReport::phase).startsWith(ReplicaPhase.Pulling, ReplicaPhase.Starting);
        assertThat(statuses(second)).extracting(ReplicaStatusReport::phase)
                .startsWith(ReplicaPhase.Starting).doesNotContain(ReplicaPhase.Pulling);
        assertThat(sent).contains(new Sent(second.replicaId(),
                new EventReport("Normal", "Pulled", "module " + second.moduleDigest() + " already present on node")));
    }

    /**
     * Before, request meters, binding meters and the shared concurrency slots of a deployment stayed after its
     * last replica left the node: a tenant that creates and deletes deployments grew the node's heap with each name.
     */
    @Test
    void whatTheNodeKeepsPerDeploymentGoesWithItsLastReplica() {
        runtime.behaviours.put("kept", inv -> RunResult.exited(0));
        runtime.behaviours.put("gone", inv -> RunResult.exited(0));
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        var pools = new dev.nanolet.agent.bindings.BindingPools(dev.nanolet.agent.bindings.BindingProperties.DEFAULTS, registry);
        var metrics = new dev.nanolet.agent.metrics.RequestMetrics(registry, pools);
        Replicas replicas = ReplicasFixture.replicas(cache, reporter(), runtime, this::module, guests, timer, pools, metrics);
        Assignment kept = http("kept");
        Assignment gone = http("gone");
        replicas.apply(new ReplicaAction.Start(kept));
        replicas.apply(new ReplicaAction.Start(gone));
        metrics.record("default", "kept", 200, Duration.ofMillis(1));
        metrics.record("default", "gone", 500, Duration.ofMillis(1));
        assertThat(registry.find("nanolet.requests").tag("deployment", "gone").timer()).isNotNull();

        replicas.apply(new ReplicaAction.Terminate(gone));
        replicas.apply(new ReplicaAction.Forget(gone.replicaId()));

        assertThat(registry.find("nanolet.requests").tag("deployment", "gone").timer()).isNull();
        assertThat(registry.find("nanolet.request.errors").tag("deployment", "gone").counter()).isNull();
        assertThat(registry.find("nanolet.requests").tag("deployment", "kept").timer().count()).isEqualTo(1);
        assertThat(metrics.usage().deployments()).extracting(dev.nanolet.wire.NodeUsage.DeploymentMetrics::name).containsExactly("kept");
        assertThat(replicas.slotsHeld()).isEqualTo(1);
    }

    /** Before, a replica could fill the node's data disk through its volumes: nothing measured them. */
    @Test
    void aReplicaWhoseVolumesGoOverTheNodesLimitFailsAndItsRunStops() throws Exception {
        var interrupted = new AtomicBoolean();
        runtime.behaviours.put("fill", inv -> untilInterrupted(interrupted));
        runtime.behaviours.put("small", inv -> untilInterrupted(new AtomicBoolean()));
        Assignment fill = withVolume(job("fill"));
        Assignment small = withVolume(job("small"));
        Replicas replicas = replicas();
        replicas.apply(new ReplicaAction.Start(fill));
        replicas.apply(new ReplicaAction.Start(small));
        await().until(() -> replicas.find(fill.replicaId()).orElseThrow().phase() == ReplicaPhase.Running
                && replicas.find(small.replicaId()).orElseThrow().phase() == ReplicaPhase.Running);
        Path volumes = cache.resolve("volumes");
        java.nio.file.Files.write(volumes.resolve(fill.replicaId() + "/data/blob"), new byte[2 << 20]);
        java.nio.file.Files.write(volumes.resolve(small.replicaId() + "/data/blob"), new byte[1000]);
        var props = new dev.nanolet.agent.config.VolumeProperties(org.springframework.util.unit.DataSize.ofMegabytes(1), Duration.ofSeconds(10));
        var limits = new VolumeLimits(replicas, new Volumes(ReplicasFixture.node(cache), props), props);

        limits.check();

        await().untilTrue(interrupted);
        assertThat(statuses(fill).getLast().phase()).isEqualTo(ReplicaPhase.Failed);
        assertThat(statuses(fill).getLast().reason()).isEqualTo("VolumeLimitExceeded");
        assertThat(reports(fill)).contains("event VolumeLimitExceeded");
        assertThat(replicas.find(small.replicaId()).orElseThrow().phase()).isEqualTo(ReplicaPhase.Running);
        replicas.apply(new ReplicaAction.Terminate(small));
    }

    /**
     * A job the node's memory for guests cannot start yet waits, Starting with reason NodeMemory (reported once), and
     * runs once there is room: no restart counted, never Failed (with restartPolicy Never it used to fail for good).
     */
    @Test
    void aJobRefusedAtStartForTheNodesMemoryWaitsAndRunsOnceThereIsRoom() {
        var attempts = new AtomicInteger();
        runtime.refusals.put("waits", inv -> attempts.incrementAndGet() <= 2 ? othersHoldTheMemory() : null);
        runtime.behaviours.put("waits", inv -> RunResult.exited(0));
        Assignment a = job("waits");
        replicas().apply(new ReplicaAction.Start(a));
        await().until(() -> !statuses(a).isEmpty() && statuses(a).getLast().phase() == ReplicaPhase.Succeeded);

        assertThat(attempts).hasValue(3);
        assertThat(statuses(a)).extracting(ReplicaStatusReport::phase)
                .endsWith(ReplicaPhase.Starting, ReplicaPhase.Starting, ReplicaPhase.Running, ReplicaPhase.Succeeded);
        assertThat(statuses(a)).contains(new ReplicaStatusReport(ReplicaPhase.Starting, "NodeMemory",
                "waiting for the node's memory for guests: others hold it", 0));
        assertThat(statuses(a).getLast().restarts()).isZero();
        assertThat(reports(a)).containsSubsequence("event NodeMemory", "status Running", "event Started")
                .containsOnlyOnce("event Started");
    }

    @Test
    void aJobWaitingForTheNodesMemoryStopsTryingOnceStopped() {
        var attempts = new AtomicInteger();
        runtime.refusals.put("never", inv -> {
            attempts.incrementAndGet();
            return othersHoldTheMemory();
        });
        runtime.behaviours.put("never", inv -> RunResult.exited(0));
        Assignment a = job("never");
        Replicas replicas = replicas();
        replicas.apply(new ReplicaAction.Start(a));
        await().until(() -> attempts.get() >= 2);

        replicas.apply(new ReplicaAction.Terminate(a));
        int stoppedAt = attempts.get();
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(30))
                .until(() -> attempts.get() <= stoppedAt + 1); // (one attempt may have been under way); it tries every second
        assertThat(statuses(a).getLast().phase()).isEqualTo(ReplicaPhase.Terminating);
        assertThat(statuses(a)).extracting(ReplicaStatusReport::phase).doesNotContain(ReplicaPhase.Running, ReplicaPhase.Failed);
    }

    private static RunResult othersHoldTheMemory() {
        return new RunResult(RunResult.Outcome.NODE_MEMORY, -1, "others hold it");
    }

    /** A guest that runs until its thread is interrupted, and says so in {@code interrupted}. */
    private static RunResult untilInterrupted(AtomicBoolean interrupted) {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            interrupted.set(true);
        }
        return new RunResult(RunResult.Outcome.TIMEOUT, -1, "interrupted");
    }

    private static Assignment withVolume(Assignment a) {
        DeploymentSpec s = a.spec();
        var spec = new DeploymentSpec(s.module(), s.http(), s.job(), s.replicas(), null, null, null, null, null, null,
                List.of(new DeploymentSpec.Volume("data", "/data")));
        return new Assignment(a.replicaId(), a.namespace(), a.deployment(), a.revision(), a.moduleDigest(), a.moduleSize(), spec, false);
    }
}
