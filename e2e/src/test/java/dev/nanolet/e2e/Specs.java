package dev.nanolet.e2e;

import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentSpec.HttpSpec;
import dev.nanolet.wire.DeploymentSpec.JobSpec;
import dev.nanolet.wire.DeploymentSpec.Limits;
import dev.nanolet.wire.DeploymentSpec.RestartPolicy;
import java.util.List;
import java.util.Map;

/** Deployment specs the tests apply. */
final class Specs {
    private Specs() {}

    static DeploymentSpec http(String module, String path, int replicas) {
        return http(module, path, replicas, Map.of(), null);
    }

    static DeploymentSpec http(String module, String path, int replicas, Map<String, String> nodeSelector, Integer timeoutMs) {
        return new DeploymentSpec(module, new HttpSpec(path), null, replicas, List.of(), Map.of(),
                new Limits(null, timeoutMs, null), nodeSelector);
    }

    static DeploymentSpec job(String module, RestartPolicy policy, String... args) {
        return job(module, policy, null, args);
    }

    /** A job whose run may take up to {@code timeoutMs} (the default limit is 10 s). */
    static DeploymentSpec job(String module, RestartPolicy policy, Integer timeoutMs, String... args) {
        return new DeploymentSpec(module, null, new JobSpec(policy), 1, List.of(args), Map.of("GREETING", "from e2e"),
                timeoutMs == null ? null : new Limits(null, timeoutMs, null), Map.of());
    }
}
