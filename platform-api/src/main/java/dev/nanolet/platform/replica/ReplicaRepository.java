package dev.nanolet.platform.replica;

import dev.nanolet.wire.Replica;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Replica rows, and replicas as the API shows them (with their deployment's namespace and name). */
public interface ReplicaRepository extends JpaRepository<ReplicaEntity, UUID> {
    String AS_WIRE = """
            SELECT new dev.nanolet.wire.Replica(r.id, d.namespace, d.name, r.revision, r.nodeName, r.phase,
                r.reason, r.message, r.restarts, r.createdAt, r.updatedAt)
            FROM ReplicaEntity r JOIN DeploymentEntity d ON d.id = r.deploymentId""";

    List<ReplicaEntity> findByDeploymentIdIn(Collection<Long> deploymentIds);

    /** A deployment's replicas, oldest first. */
    @Query(AS_WIRE + " WHERE r.deploymentId = :deploymentId ORDER BY r.createdAt, r.id")
    List<Replica> findWireByDeployment(long deploymentId);

    /**
     * The replicas bound to a node, by namespace, deployment and age; those of deleted
     * deployments too, until they are gone.
     */
    @Query(AS_WIRE + " WHERE r.nodeName = :node ORDER BY d.namespace, d.name, r.createdAt, r.id")
    List<Replica> findWireOnNode(String node);
}
