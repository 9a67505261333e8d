package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentSpec.SecretKeyRef;
import dev.nanolet.wire.Problem.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretRefsTest {
    static DeploymentSpec spec(Map<String, SecretKeyRef> secretEnv) {
        return new DeploymentSpec("sha256:" + "c".repeat(64), new DeploymentSpec.HttpSpec("/x"), null, 1, null, Map.of("PLAIN", "p"),
                null, null, null, null, null, secretEnv);
    }

    @Test
    void eachSecretIsAskedOnceAndTooManyEntriesAreRefusedBeforeAnyIsAsked() {
        List<String> asked = new ArrayList<>();
        Map<String, SecretKeyRef> env = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            env.put("V" + i, new SecretKeyRef("db", i % 2 == 0 ? "password" : "missing"));
        }
        List<FieldError> errors = SecretRefs.validate(spec(env), s -> {
            asked.add(s);
            return Optional.of(Set.of("password"));
        });
        assertThat(asked).containsExactly("db");
        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder(
                "env.V1.valueFrom.key", "env.V3.valueFrom.key", "env.V5.valueFrom.key", "env.V7.valueFrom.key", "env.V9.valueFrom.key");

        Map<String, SecretKeyRef> many = new HashMap<>();
        for (int i = 0; i < SpecValidator.MAX_ENV; i++) {
            many.put("M" + i, new SecretKeyRef("s" + i, "k"));
        }
        asked.clear();
        assertThat(SecretRefs.validate(spec(many), s -> {
            asked.add(s);
            return Optional.empty();
        })).extracting(FieldError::field).containsExactly("env");
        assertThat(asked).isEmpty();
    }

    /** A secret-backed HTTP_* is as replaceable per request as a plain one would be. */
    @Test
    void aSecretEnvNameThatCgiSetsPerRequestIsRefused() {
        List<FieldError> errors = SecretRefs.validate(spec(Map.of("HTTP_UPSTREAM", new SecretKeyRef("db", "password"))),
                s -> Optional.of(Set.of("password")));
        assertThat(errors).extracting(FieldError::field).containsExactly("env.HTTP_UPSTREAM");
    }

    /** A job's run gets no request variables: its secret HTTP_UPSTREAM hides nothing. */
    @Test
    void aJobsSecretEnvMayUseAnyName() {
        var job = new DeploymentSpec("sha256:" + "c".repeat(64), null, new DeploymentSpec.JobSpec(null), 1, null, Map.of(),
                null, null, null, null, null, Map.of("HTTP_UPSTREAM", new SecretKeyRef("db", "password")));
        assertThat(SecretRefs.validate(job, s -> Optional.of(Set.of("password")))).isEmpty();
    }
}
