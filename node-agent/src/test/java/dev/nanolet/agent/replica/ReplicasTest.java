package dev.nanolet.agent.replica;

import dev.nanolet.agent.bindings.BindingPools;
import dev.nanolet.agent.bindings.BindingProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.nanolet.wire.ModuleDigest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.config.DataPlaneProperties;
import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.RestartProperties;
import dev.nanolet.agent.logs.LogStore;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

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
        ReplicaReporter reporter = new ReplicaReporter() {
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
        var transitions = new Transitions(reporter, Clock.systemUTC());
        var node = new NodeProperties("n", Map.of(), 1, 1, 8181, null, cache);
        var store = new ModuleStore(d -> module(d), runtime, node);
        var pools = new BindingPools(BindingProperties.DEFAULTS, new SimpleMeterRegistry());
        var jobs = new Jobs(guests, timer, new RestartProperties(Duration.ofMillis(10), Duration.ofMillis(40)), transitions, pools);
        var logs = new LogStore(new DataPlaneProperties(DataSize.ofKilobytes(1), DataSize.ofKilobytes(1), 1, 1, Duration.ZERO, 10), Clock.systemUTC());
        return new Replicas(store, jobs, transitions, logs, Runnable::run, new Volumes(node), pools);
    }

    final Map<String, byte[]> served = new java.util.concurrent.ConcurrentHashMap<>();

    byte[] module(String digest) {
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

    @Test
    void terminateInterruptsARunningGuestAndReportsTerminating() {
        var interrupted = new AtomicBoolean();
        runtime.behaviours.put("block", inv -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return new RunResult(RunResult.Outcome.TIMEOUT, -1, "interrupted");
        });
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
        var node = new NodeProperties("n", Map.of(), 1, 1, 8181, null, cache);
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
}
