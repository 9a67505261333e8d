package dev.nanolet.platform.node;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.security.MessageDigest;
import java.time.Instant;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.generator.EventType;
import org.hibernate.type.SqlTypes;

/**
 * Row of {@code nodes}: what a node registers and the admin changes. Its lease lives apart, in
 * {@link NodeLeases}, so that renewing it never waits for this row's lock, nor changes its
 * {@code resourceVersion}, which the database sets anew on every change of the row (V26) and is
 * read back after each write.
 */
@Entity
@Table(name = "nodes")
public class NodeEntity {
    @Id
    private String name;

    @JdbcTypeCode(SqlTypes.JSON)
    private String labels;

    @Column(name = "capacity_instances")
    private int capacityInstances;

    @Column(name = "capacity_memory_mib")
    private int capacityMemoryMiB;

    private String address;

    @Column(name = "registered_at")
    private Instant registeredAt;

    /** SHA-256 of the node's credential; null before one is issued (a node registered before V4). */
    @Column(name = "credential_sha256")
    private byte[] credentialSha256;

    /** What platform-api sends to this node, and only to it, to read its logs. */
    @Column(name = "logs_token")
    private String logsToken;

    @Generated(event = {EventType.INSERT, EventType.UPDATE})
    @Column(name = "resource_version")
    private long resourceVersion;

    protected NodeEntity() {}

    public NodeEntity(String name, Instant now) {
        this.name = name;
        this.labels = "{}";
        this.registeredAt = now;
    }

    /** Records what a (re-)registration says. */
    public void register(String labelsJson, int instances, int memoryMiB, String address) {
        this.labels = labelsJson;
        this.capacityInstances = instances;
        this.capacityMemoryMiB = memoryMiB;
        this.address = address;
    }

    /** Binds a newly issued credential (kept as its hash) and logs token to this node. */
    void issue(byte[] credentialSha256, String logsToken) {
        this.credentialSha256 = credentialSha256.clone();
        this.logsToken = logsToken;
    }

    /** Whether {@code credentialSha256} is the hash of this node's credential (constant time). */
    boolean holds(byte[] credentialSha256) {
        return this.credentialSha256 != null && MessageDigest.isEqual(this.credentialSha256, credentialSha256);
    }

    String getLogsToken() {
        return logsToken;
    }

    /** Whether a credential was issued; a node without one (registered before V4) may be claimed by bootstrap. */
    boolean hasCredential() {
        return credentialSha256 != null;
    }

    /** The admin sets the labels (the node's own kept, see {@link RestrictedLabels}). */
    void relabel(String labelsJson) {
        this.labels = labelsJson;
    }

    /** The admin moves the node. */
    void moveTo(String address) {
        this.address = address;
    }

    public String getName() { return name; }
    public String getLabels() { return labels; }
    public int getCapacityInstances() { return capacityInstances; }
    public int getCapacityMemoryMiB() { return capacityMemoryMiB; }
    public String getAddress() { return address; }
    public String getResourceVersion() { return String.valueOf(resourceVersion); }
}
