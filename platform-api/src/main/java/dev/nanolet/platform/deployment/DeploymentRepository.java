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

    /** The route path of live deployment {@code namespace/name}, read without a lock; empty if it has none or there is none. */
    @Query(nativeQuery = true,
            value = "SELECT http_path FROM deployments WHERE namespace = :namespace AND name = :name AND deleted_at IS NULL")
    Optional<String> findLiveHttpPath(String namespace, String name);

    @Query("select d from DeploymentEntity d where d.namespace = :namespace and d.deletedAt is null order by d.name")
    List<DeploymentEntity> findLiveInNamespace(String namespace);

    /** Name and spec of each live deployment of {@code namespace} (values, not managed entities), by name. */
    @Query("select d.name, d.spec from DeploymentEntity d where d.namespace = :namespace and d.deletedAt is null order by d.name")
    List<Object[]> liveSpecsInNamespace(String namespace);

    @Query("select d from DeploymentEntity d where d.deletedAt is null order by d.namespace, d.name")
    List<DeploymentEntity> findAllLive();

    /**
     * The live deployments whose route a route {@code path} (canonical) of a deployment in {@code namespace}
     * would clash with: the same path, or — in another namespace — a path above or below it on whole
     * segments ({@code /} is above every path); the exact match first, then the shortest.
     */
    @Query(nativeQuery = true, value = """
            SELECT * FROM deployments
            WHERE deleted_at IS NULL AND http_path IS NOT NULL
              AND (http_path = :path
                   OR namespace <> :namespace AND (http_path = '/' OR :path = '/'
                       OR starts_with(:path, http_path || '/') OR starts_with(http_path, :path || '/')))
            ORDER BY http_path = :path DESC, length(http_path), id""")
    List<DeploymentEntity> findLiveRouteClashes(String namespace, String path);
}
