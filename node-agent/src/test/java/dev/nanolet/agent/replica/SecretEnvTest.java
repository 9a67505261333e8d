package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.logs.LogBuffer;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ResolvedSecrets;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A run's environment is the spec's env with the secret values the platform sent merged over it. */
class SecretEnvTest {
    @Test
    void aJobRunsWithItsSecretEnv() throws Exception {
        DeploymentSpec spec = new DeploymentSpec("sha256:" + "b".repeat(64), null,
                new DeploymentSpec.JobSpec(DeploymentSpec.RestartPolicy.Never), 1, null, Map.of("PLAIN", "p"), null, null,
                null, null, null, Map.of("TOKEN", new DeploymentSpec.SecretKeyRef("api", "token")));
        Assignment a = new Assignment(UUID.randomUUID(), "ns", "job", 1, spec.module(), 8, spec, false,
                new ResolvedSecrets(Map.of("TOKEN", "t0k3n"), Map.of()));
        AtomicReference<Invocation> seen = new AtomicReference<>();
        FakeRuntime runtime = new FakeRuntime();
        runtime.behaviours.put("env", inv -> {
            seen.set(inv);
            return new RunResult(RunResult.Outcome.EXITED, 0, null);
        });
        var replica = new LocalReplica(a, new LogBuffer(a.replicaId(), 10, Clock.systemUTC()), ReplicaPhase.Running, new Semaphore(1));
        replica.module(runtime.compile(spec.module(), "env".getBytes(StandardCharsets.UTF_8)));

        replica.invoke(Map.of(), new byte[0], null);

        assertThat(seen.get().env()).isEqualTo(Map.of("PLAIN", "p", "TOKEN", "t0k3n"));
        assertThat(a.toString()).doesNotContain("t0k3n");
    }
}
