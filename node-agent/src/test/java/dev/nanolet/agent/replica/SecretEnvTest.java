package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ResolvedSecrets;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A job's environment is the spec's env with the secret values the platform sent merged over it. */
class SecretEnvTest {
    @Test
    void aJobRunsWithItsSecretEnv() {
        DeploymentSpec spec = new DeploymentSpec("sha256:" + "b".repeat(64), null,
                new DeploymentSpec.JobSpec(DeploymentSpec.RestartPolicy.Never), 1, null, Map.of("PLAIN", "p"), null, null,
                null, null, null, Map.of("TOKEN", new DeploymentSpec.SecretKeyRef("api", "token")));
        Assignment a = new Assignment(UUID.randomUUID(), "ns", "job", 1, spec.module(), 8, spec, false,
                new ResolvedSecrets(Map.of("TOKEN", "t0k3n"), Map.of()));
        var invocation = Jobs.invocation(a, java.util.List.of(), new ByteArrayOutputStream(), new ByteArrayOutputStream(), dev.nanolet.agent.runtime.Bindings.NONE);
        assertThat(invocation.env()).isEqualTo(Map.of("PLAIN", "p", "TOKEN", "t0k3n"));
        assertThat(a.toString()).doesNotContain("t0k3n");
    }
}
