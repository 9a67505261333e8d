package dev.nanolet.agent.replica;

import dev.nanolet.agent.bindings.BindingPools;
import dev.nanolet.agent.bindings.BindingProperties;
import dev.nanolet.agent.config.DataPlaneProperties;
import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.RestartProperties;
import dev.nanolet.agent.config.VolumeProperties;
import dev.nanolet.agent.logs.LogStore;
import dev.nanolet.agent.metrics.RequestMetrics;
import dev.nanolet.agent.runtime.WasmRuntime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.util.unit.DataSize;

/** {@link Replicas} wired as the agent wires them, with the lifecycle steps run on the calling thread. */
public final class ReplicasFixture {
    private ReplicasFixture() {}

    /**
     * Replicas whose module always exits 0, for tests outside this package (routing): {@link #serve} starts an
     * http replica at a path (it is Running when the call returns), {@link #forget} removes it.
     */
    public static final class Serving implements AutoCloseable {
        private static final byte[] MODULE = "serve".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        private static final String DIGEST = dev.nanolet.wire.ModuleDigest.of(MODULE);
        private final ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final GuestPool guests = new GuestPool(1, 1, Duration.ofSeconds(2), timer);
        private final Replicas replicas;

        public Serving(Path dataDir) {
            FakeRuntime runtime = new FakeRuntime();
            runtime.behaviours.put("serve", inv -> dev.nanolet.agent.runtime.RunResult.exited(0));
            this.replicas = ReplicasFixture.replicas(dataDir, QUIET, runtime, (r, d) -> MODULE, guests, timer);
        }

        public Replicas replicas() {
            return replicas;
        }

        public dev.nanolet.wire.Assignment serve(String path) {
            var spec = new dev.nanolet.wire.DeploymentSpec(DIGEST, new dev.nanolet.wire.DeploymentSpec.HttpSpec(path), null, 1,
                    null, null, null, null);
            var a = new dev.nanolet.wire.Assignment(java.util.UUID.randomUUID(), "default", "d" + Math.abs(path.hashCode()), 1,
                    DIGEST, MODULE.length, spec, false);
            replicas.apply(new ReplicaAction.Start(a));
            return a;
        }

        public void forget(java.util.UUID replica) {
            replicas.apply(new ReplicaAction.Forget(replica));
        }

        @Override
        public void close() {
            guests.close();
            timer.shutdownNow();
        }
    }

    /** A reporter that keeps nothing, for tests that look at something other than what is reported. */
    static final ReplicaReporter QUIET = new ReplicaReporter() {
        public void status(java.util.UUID replica, dev.nanolet.wire.ReplicaStatusReport report) {}

        public void event(java.util.UUID replica, dev.nanolet.wire.EventReport event) {}

        public void discard(java.util.UUID replica) {}

        public boolean flush(Duration max) {
            return true;
        }
    };

    static NodeProperties node(Path dataDir) {
        return new NodeProperties("n", Map.of(), 1, 1, 8181, null, dataDir);
    }

    static Replicas replicas(Path dataDir, ReplicaReporter reporter, WasmRuntime runtime, ModuleSource source, GuestPool guests,
            ScheduledExecutorService timer) {
        var registry = new SimpleMeterRegistry();
        var pools = new BindingPools(BindingProperties.DEFAULTS, registry);
        return replicas(dataDir, reporter, runtime, source, guests, timer, pools, new RequestMetrics(registry, pools));
    }

    /** As above, with the binding pools and request meters given (to look at what the node keeps per deployment). */
    static Replicas replicas(Path dataDir, ReplicaReporter reporter, WasmRuntime runtime, ModuleSource source, GuestPool guests,
            ScheduledExecutorService timer, BindingPools pools, RequestMetrics metrics) {
        var transitions = new Transitions(reporter, Clock.systemUTC());
        var node = node(dataDir);
        var store = new ModuleStore(source, runtime, node);
        var jobs = new Jobs(guests, timer, new RestartProperties(Duration.ofMillis(10), Duration.ofMillis(40)), transitions, pools);
        var logs = new LogStore(new DataPlaneProperties(DataSize.ofKilobytes(1), DataSize.ofKilobytes(1), 1, 1, Duration.ZERO, 10),
                Clock.systemUTC());
        return new Replicas(store, jobs, transitions, logs, Runnable::run, new Volumes(node, new VolumeProperties(DataSize.ofGigabytes(1), Duration.ofSeconds(10))), pools, metrics);
    }
}
