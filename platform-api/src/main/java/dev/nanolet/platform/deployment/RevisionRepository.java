package dev.nanolet.platform.deployment;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface RevisionRepository extends JpaRepository<RevisionEntity, RevisionEntity.Key> {
    @Query("select r from RevisionEntity r where r.key.deploymentId = :deploymentId order by r.key.revision desc")
    List<RevisionEntity> findNewestFirst(long deploymentId);

    @Query("select r from RevisionEntity r where r.key.deploymentId in :deploymentIds")
    List<RevisionEntity> findAllOf(Collection<Long> deploymentIds);

    @Query("select coalesce(max(r.key.revision), 0) from RevisionEntity r where r.key.deploymentId = :deploymentId")
    int maxRevision(long deploymentId);
}
