package dev.nanolet.platform.deployment;

import dev.nanolet.platform.spec.SpecJson;
import dev.nanolet.wire.DeploymentSpec;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The deployments as the deployment controller takes them: each locked in turn, and the row of a
 * deleted one removed once nothing of it is left. Reads here; every write on {@code deployments}
 * and {@code revisions} (the removal too) is {@link DeploymentWriter}'s, other reads are
 * {@link DeploymentQueries}'s.
 */
@Component
public class DesiredDeployments {
    /** A deployment's desired state, its row locked until the transaction ends. */
    public record Desired(long id, String namespace, String name, int currentRevision, boolean deleted, DeploymentSpec spec) {}

    private final JdbcClient jdbc;
    private final SpecJson specs;
    private final DeploymentWriter writer;

    DesiredDeployments(JdbcClient jdbc, SpecJson specs, DeploymentWriter writer) {
        this.jdbc = jdbc;
        this.specs = specs;
        this.writer = writer;
    }

    /** Every deployment's id, deleted ones too (until forgotten). */
    public List<Long> ids() {
        return jdbc.sql("SELECT id FROM deployments ORDER BY id").query(Long.class).list();
    }

    /** Locks the deployment ({@code FOR UPDATE SKIP LOCKED}); empty when another instance holds it or it is gone. */
    public Optional<Desired> lock(long id) {
        return jdbc.sql("""
                        SELECT id, namespace, name, current_revision, deleted_at IS NOT NULL, spec::text
                        FROM deployments WHERE id = ? FOR UPDATE SKIP LOCKED""")
                .param(id)
                .query((rs, i) -> new Desired(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getBoolean(5),
                        specs.read(rs.getString(6))))
                .optional();
    }

    /** Removes a deleted deployment (its revisions go with it). */
    public void forget(long id) {
        writer.forget(id);
    }
}
