package dev.nanolet.platform.module;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.generator.EventType;
import org.hibernate.type.SqlTypes;
import org.springframework.data.domain.Persistable;

/**
 * Row of {@code modules}: metadata only; the bytes are in {@link ModuleContentEntity}. A new
 * instance is always inserted (never merged into a row another upload stored meanwhile), so
 * concurrent uploads of the same bytes trip the primary key and exactly one answers 201.
 */
@Entity
@Table(name = "modules")
public class ModuleEntity implements Persistable<String> {
    @Id
    private String digest;

    private long size;

    private String name;

    /** JSON array of {@code module.name} strings. */
    @JdbcTypeCode(SqlTypes.JSON)
    private String imports;

    /** JSON array of export names. */
    @JdbcTypeCode(SqlTypes.JSON)
    private String exports;

    private boolean wasi;

    /** The OCI reference it was imported from, or null. */
    private String source;

    @Column(name = "source_digest")
    private String sourceDigest;

    /** Set by the database on insert and read back by Hibernate. */
    @Generated(event = EventType.INSERT)
    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    @Transient
    private boolean stored;

    protected ModuleEntity() {}

    public ModuleEntity(String digest, long size, String name, String importsJson, String exportsJson, boolean wasi) {
        this.digest = digest;
        this.size = size;
        this.name = name;
        this.imports = importsJson;
        this.exports = exportsJson;
        this.wasi = wasi;
    }

    /** Records where an imported module came from. */
    public ModuleEntity withSource(String source, String sourceDigest) {
        this.source = source;
        this.sourceDigest = sourceDigest;
        return this;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        stored = true;
    }

    @Override
    public String getId() { return digest; }

    @Override
    public boolean isNew() { return !stored; }

    public String getDigest() { return digest; }
    public long getSize() { return size; }
    public String getName() { return name; }
    public String getImports() { return imports; }
    public String getExports() { return exports; }
    public boolean isWasi() { return wasi; }
    public String getSource() { return source; }
    public String getSourceDigest() { return sourceDigest; }
    public Instant getCreatedAt() { return createdAt; }
}
