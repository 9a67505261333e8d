package dev.nanolet.platform.replica;

import dev.nanolet.wire.ReplicaPhase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * Row of {@code replicas}. Phase changes go through {@link #moveTo}, which refuses illegal
 * transitions; binding to a node happens once, through {@link #bind}.
 */
@Entity
@Table(name = "replicas")
public class ReplicaEntity {
    @Id
    private UUID id;

    @Column(name = "deployment_id")
    private long deploymentId;

    private int revision;

    @Column(name = "node_name")
    private String nodeName;

    @Enumerated(EnumType.STRING)
    private ReplicaPhase phase;

    private String reason;

    private String message;

    private int restarts;

    @Column(name = "memory_mib")
    private int memoryMiB;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Column(name = "scheduled_at")
    private Instant scheduledAt;

    /** The controller wants it stopped; the node confirms by reporting Terminating. */
    private boolean terminating;

    protected ReplicaEntity() {}

    public ReplicaEntity(UUID id, long deploymentId, int revision, int memoryMiB, Instant now) {
        this.id = id;
        this.deploymentId = deploymentId;
        this.revision = revision;
        this.memoryMiB = memoryMiB;
        this.phase = ReplicaPhase.Pending;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /**
     * Moves to {@code next} with a reason and message.
     *
     * @throws IllegalReplicaTransitionException if the lifecycle does not allow it
     */
    public void moveTo(ReplicaPhase next, String reason, String message, Instant now) {
        if (!phase.canMoveTo(next)) {
            throw new IllegalReplicaTransitionException(id, phase, next);
        }
        this.phase = next;
        this.reason = reason;
        this.message = message;
        this.updatedAt = now;
    }

    /** Binds a Pending replica to a node. */
    public void bind(String node, Instant now) {
        if (nodeName != null) {
            throw new IllegalStateException("replica " + id + " is already bound to " + nodeName);
        }
        moveTo(ReplicaPhase.Scheduled, null, null, now);
        this.nodeName = node;
        this.scheduledAt = now;
    }

    public void setRestarts(int restarts) { this.restarts = restarts; }
    public UUID getId() { return id; }
    public long getDeploymentId() { return deploymentId; }
    public int getRevision() { return revision; }
    public String getNodeName() { return nodeName; }
    public ReplicaPhase getPhase() { return phase; }
    public String getReason() { return reason; }
    public String getMessage() { return message; }
    public int getRestarts() { return restarts; }
    public int getMemoryMiB() { return memoryMiB; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public Instant getScheduledAt() { return scheduledAt; }
    public boolean isTerminating() { return terminating; }
}
