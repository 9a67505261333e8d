package dev.nanolet.platform.replica;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Replica rows. */
public interface ReplicaRepository extends JpaRepository<ReplicaEntity, UUID> {
    List<ReplicaEntity> findByDeploymentIdOrderByCreatedAtAscIdAsc(long deploymentId);

    List<ReplicaEntity> findByDeploymentIdIn(Collection<Long> deploymentIds);
}
