package dev.nanolet.platform.deployment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.generator.EventType;
import org.hibernate.type.SqlTypes;

/**
 * Row of {@code deployments}. {@code spec} is the current spec as JSON (a copy of the current
 * revision's); {@code deletedAt} hides the row from the API while its replicas terminate. The database gives the
 * row a new {@code resourceVersion} on every insert and change (V24), read back after each write.
 */
@Entity
@Table(name = "deployments")
public class DeploymentEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String namespace;

    private String name;

    private long generation;

    @Column(name = "current_revision")
    private int currentRevision;

    @JdbcTypeCode(SqlTypes.JSON)
    private String spec;

    @Column(name = "http_path")
    private String httpPath;

    @JdbcTypeCode(SqlTypes.JSON)
    private String labels = "{}";

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Column(name = "deleted_at")
    private Instant deletedAt;

    @Generated(event = {EventType.INSERT, EventType.UPDATE})
    @Column(name = "resource_version")
    private long resourceVersion;

    protected DeploymentEntity() {}

    public DeploymentEntity(String namespace, String name, String specJson, String httpPath, Instant now) {
        this.namespace = namespace;
        this.name = name;
        this.generation = 1;
        this.currentRevision = 1;
        this.spec = specJson;
        this.httpPath = httpPath;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** Makes {@code specJson} current as revision {@code revision}, bumping the generation. */
    public void apply(String specJson, String httpPath, int revision, Instant now) {
        this.spec = specJson;
        this.httpPath = httpPath;
        this.currentRevision = revision;
        this.generation++;
        this.updatedAt = now;
    }

    /**
     * Makes {@code specJson} current without a new revision (only the replica count changed, as
     * a Kubernetes scale keeps the ReplicaSet), bumping the generation.
     */
    public void rescale(String specJson, Instant now) {
        this.spec = specJson;
        this.generation++;
        this.updatedAt = now;
    }

    /** Sets the labels (JSON object); they are metadata: neither the generation nor the revision changes. */
    public void relabel(String labelsJson) {
        this.labels = labelsJson;
    }

    public void markDeleted(Instant now) {
        this.deletedAt = now;
        this.httpPath = null;
        this.updatedAt = now;
    }

    public Long getId() { return id; }
    public String getNamespace() { return namespace; }
    public String getName() { return name; }
    public long getGeneration() { return generation; }
    public int getCurrentRevision() { return currentRevision; }
    public String getSpec() { return spec; }
    public String getHttpPath() { return httpPath; }
    public String getLabels() { return labels; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public String getResourceVersion() { return String.valueOf(resourceVersion); }
}
