package dev.nanolet.platform.deployment;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Row of {@code revisions}: an immutable copy of a spec. */
@Entity
@Table(name = "revisions")
public class RevisionEntity {
    @EmbeddedId
    private Key key;

    private long generation;

    @JdbcTypeCode(SqlTypes.JSON)
    private String spec;

    @Column(name = "module_digest")
    private String moduleDigest;

    @Column(name = "created_at")
    private Instant createdAt;

    protected RevisionEntity() {}

    public RevisionEntity(long deploymentId, int revision, long generation, String specJson, String moduleDigest, Instant now) {
        this.key = new Key(deploymentId, revision);
        this.generation = generation;
        this.spec = specJson;
        this.moduleDigest = moduleDigest;
        this.createdAt = now;
    }

    public long getDeploymentId() { return key.deploymentId; }
    public int getRevision() { return key.revision; }
    public long getGeneration() { return generation; }
    public String getSpec() { return spec; }
    public Instant getCreatedAt() { return createdAt; }

    /** Primary key: deployment and revision number. */
    @Embeddable
    public record Key(@Column(name = "deployment_id") long deploymentId, int revision) implements Serializable {}
}
