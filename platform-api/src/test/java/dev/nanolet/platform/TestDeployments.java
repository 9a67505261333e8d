package dev.nanolet.platform;

import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes deployments and revisions straight into the database, as the deployments API does,
 * so that controller and scheduler tests do not depend on it.
 */
public final class TestDeployments {
    private final JdbcClient jdbc;
    private final JsonMapper json;

    public TestDeployments(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A replica row as tests look at it. */
    public record Row(UUID id, int revision, String nodeName, ReplicaPhase phase, String reason, boolean terminating) {}

    public static DeploymentSpec http(String path, int replicas) {
        return new DeploymentSpec(null, new DeploymentSpec.HttpSpec(path), null, replicas, null, null, null, null);
    }

    public static DeploymentSpec job(DeploymentSpec.RestartPolicy policy, int replicas) {
        return new DeploymentSpec(null, null, new DeploymentSpec.JobSpec(policy), replicas, null, null, null, null);
    }

    public static DeploymentSpec withSelector(DeploymentSpec s, Map<String, String> selector, int memoryMiB) {
        return new DeploymentSpec(s.module(), s.http(), s.job(), s.replicas(), s.args(), s.env(),
                new DeploymentSpec.Limits(memoryMiB, null, null), selector);
    }

    /**
     * Stores a module and a deployment running it as revision 1, the deployment and its revision in one
     * statement (as the API commits them together: the controller, woken by the deployment's insert, never
     * sees it without its revision); returns the deployment id.
     */
    public long create(String namespace, String name, DeploymentSpec spec) {
        String digest = module();
        DeploymentSpec withModule = withModule(spec, digest);
        String specJson = json.writeValueAsString(withModule);
        return jdbc.sql("""
                        WITH d AS (INSERT INTO deployments (namespace, name, current_revision, spec, http_path)
                                   VALUES (?, ?, 1, ?::jsonb, ?) RETURNING id),
                             r AS (INSERT INTO revisions (deployment_id, revision, generation, spec, module_digest)
                                   SELECT id, 1, 1, ?::jsonb, ? FROM d)
                        SELECT id FROM d""")
                .params(namespace, name, specJson, withModule.servesHttp() ? withModule.http().path() : null, specJson, digest)
                .query(Long.class).single();
    }

    /** Makes {@code spec} current as a new revision (with a new module). */
    public int update(long deployment, DeploymentSpec spec) {
        DeploymentSpec withModule = withModule(spec, module());
        int revision = jdbc.sql("SELECT current_revision + 1 FROM deployments WHERE id = ?").param(deployment).query(Integer.class).single();
        revision(deployment, revision, withModule);
        jdbc.sql("UPDATE deployments SET current_revision = ?, generation = generation + 1, spec = ?::jsonb WHERE id = ?")
                .params(revision, json.writeValueAsString(withModule), deployment).update();
        return revision;
    }

    /** Changes the replica count without a new revision, as {@code PUT …/scale} does. */
    public void scale(long deployment, int replicas) {
        jdbc.sql("UPDATE deployments SET spec = jsonb_set(spec, '{replicas}', to_jsonb(?::int)), generation = generation + 1 WHERE id = ?")
                .params(replicas, deployment).update();
    }

    public void delete(long deployment) {
        jdbc.sql("UPDATE deployments SET deleted_at = now(), http_path = NULL WHERE id = ?").param(deployment).update();
    }

    public List<Row> replicas(long deployment) {
        return jdbc.sql("SELECT id, revision, node_name, phase, reason, terminating FROM replicas WHERE deployment_id = ? ORDER BY created_at, id")
                .param(deployment).query(Row.class).list();
    }

    /** Inserts a replica of revision 1 bound to {@code node} in {@code phase} (64 MiB) and answers its id. */
    public UUID bound(long deployment, String node, String phase) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO replicas (id, deployment_id, revision, node_name, phase, memory_mib) VALUES (?, ?, 1, ?, ?, 64)")
                .params(id, deployment, node, phase).update();
        return id;
    }

    public boolean exists(long deployment) {
        return jdbc.sql("SELECT count(*) FROM deployments WHERE id = ?").param(deployment).query(Integer.class).single() == 1;
    }

    private void revision(long deployment, int revision, DeploymentSpec spec) {
        jdbc.sql("INSERT INTO revisions (deployment_id, revision, generation, spec, module_digest) VALUES (?, ?, ?, ?::jsonb, ?)")
                .params(deployment, revision, revision, json.writeValueAsString(spec), spec.module()).update();
    }

    private String module() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        String digest = "sha256:" + HexFormat.of().formatHex(bytes);
        jdbc.sql("INSERT INTO modules (digest, size, name, wasi) VALUES (?, 8, 'test', true)").param(digest).update();
        return digest;
    }

    private static DeploymentSpec withModule(DeploymentSpec s, String digest) {
        return new DeploymentSpec(digest, s.http(), s.job(), s.replicas(), s.args(), s.env(), s.limits(), s.nodeSelector());
    }
}
