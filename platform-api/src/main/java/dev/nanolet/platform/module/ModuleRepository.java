package dev.nanolet.platform.module;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ModuleRepository extends JpaRepository<ModuleEntity, String> {
    List<ModuleEntity> findAllByOrderByCreatedAtDescDigestAsc();

    /** {@code namespace/name} of every live deployment with a revision that runs {@code digest}. */
    @Query(value = """
            SELECT DISTINCT d.namespace || '/' || d.name AS ref FROM revisions r
            JOIN deployments d ON d.id = r.deployment_id
            WHERE r.module_digest = :digest AND d.deleted_at IS NULL ORDER BY ref""", nativeQuery = true)
    List<String> usedBy(String digest);

    /** Whether any revision, also of a deployment still being deleted, references {@code digest}. */
    @Query(value = "SELECT EXISTS (SELECT 1 FROM revisions WHERE module_digest = :digest)", nativeQuery = true)
    boolean isReferenced(String digest);
}
