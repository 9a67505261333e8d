package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ResolvedSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The saved assignments (static stability) never hold a secret value: only the spec that names the secret. */
class SavedAssignmentsTest {
    @TempDir Path dir;

    @Test
    void secretValuesAreNeverWrittenAndTheReplicaIsMarkedAsNeedingThem() throws IOException {
        String value = "never-on-disk-" + UUID.randomUUID();
        DeploymentSpec spec = new DeploymentSpec("sha256:" + "a".repeat(64), new DeploymentSpec.HttpSpec("/x"), null, 1, null,
                Map.of("PLAIN", "p"), null, null, null, List.of(new DeploymentSpec.Binding("todo", "postgres", "db")), null,
                Map.of("DB_PASSWORD", new DeploymentSpec.SecretKeyRef("db", "password")));
        Assignment a = new Assignment(UUID.randomUUID(), "ns", "web", 1, spec.module(), 8, spec, false,
                new ResolvedSecrets(Map.of("DB_PASSWORD", value), Map.of("todo", Map.of("password", value, "url", "jdbc:x"))));
        assertThat(a.environment()).containsEntry("DB_PASSWORD", value).containsEntry("PLAIN", "p");

        SavedAssignments saved = new SavedAssignments(JsonMapper.builder().build(),
                new NodeProperties("n", Map.of(), 1, 1, 8181, null, dir));
        saved.save(List.of(a));

        String file = Files.readString(dir.resolve("assignments.json"));
        assertThat(file).doesNotContain(value).contains("DB_PASSWORD").contains("\"secret\":\"db\"");
        Assignment loaded = saved.load().orElseThrow().getFirst();
        assertThat(loaded.secrets()).isEqualTo(ResolvedSecrets.NONE);
        assertThat(loaded.spec()).isEqualTo(spec);
        assertThat(loaded.needsSecrets()).isTrue();
        assertThat(loaded.environment()).doesNotContainKey("DB_PASSWORD");
    }

    /**
     * Kubernetes mode resolves a pod's Secret references into its plain env, which is saved as it is (a restarted agent
     * serves the pod again with it): the file is the agent user's only.
     */
    @Test
    void aKubernetesPodsEnvIsSavedReadableByTheAgentsUserOnly() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        String value = "from-a-secret-" + UUID.randomUUID();
        DeploymentSpec spec = new DeploymentSpec("r.example/web:v1", new DeploymentSpec.HttpSpec("/web"), null, 1, List.of(),
                Map.of("DB_PASSWORD", value), null, null);
        SavedAssignments saved = new SavedAssignments(JsonMapper.builder().build(),
                new NodeProperties("n", Map.of(), 1, 1, 8181, null, dir));
        // a file left readable by others (an older agent, a copy by hand): the mode is the new file's, not this one's
        Files.writeString(dir.resolve("assignments.json"), "[]");
        Files.setPosixFilePermissions(dir.resolve("assignments.json"), PosixFilePermissions.fromString("rw-rw-rw-"));
        saved.save(List.of(new Assignment(UUID.randomUUID(), "default", "web", 1, spec.module(), 0, spec, false)));
        saved.save(List.of(new Assignment(UUID.randomUUID(), "default", "web", 2, spec.module(), 0, spec, false)));

        Path file = dir.resolve("assignments.json");
        assertThat(Files.readString(file)).contains(value);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(saved.load().orElseThrow().getFirst().environment()).containsEntry("DB_PASSWORD", value);
    }
}
