package dev.nanolet.platform.deployment;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/** Deployment rows; "live" means not deleted. */
interface DeploymentRepository extends JpaRepository<DeploymentEntity, Long> {
    @Query("select d from DeploymentEntity d where d.namespace = :namespace and d.name = :name and d.deletedAt is null")
    Optional<DeploymentEntity> findLive(String namespace, String name);

    /** {@link #findLive} holding a row lock (SELECT … FOR UPDATE) until the transaction ends. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select d from DeploymentEntity d where d.namespace = :namespace and d.name = :name and d.deletedAt is null")
    Optional<DeploymentEntity> lockLive(String namespace, String name);

    @Query("select d from DeploymentEntity d where d.namespace = :namespace and d.deletedAt is null order by d.name")
    List<DeploymentEntity> findLiveInNamespace(String namespace);

    /** Name and spec of each live deployment of {@code namespace} (values, not managed entities), by name. */
    @Query("select d.name, d.spec from DeploymentEntity d where d.namespace = :namespace and d.deletedAt is null order by d.name")
    List<Object[]> liveSpecsInNamespace(String namespace);

    @Query("select d from DeploymentEntity d where d.deletedAt is null order by d.namespace, d.name")
    List<DeploymentEntity> findAllLive();

    @Query("select d from DeploymentEntity d where d.httpPath = :path and d.deletedAt is null")
    Optional<DeploymentEntity> findLiveByHttpPath(String path);
}
