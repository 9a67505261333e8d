package dev.nanolet.platform.node;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface NodeRepository extends JpaRepository<NodeEntity, String> {
    /** The node holding its row lock (FOR UPDATE) until the transaction ends. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("SELECT n FROM NodeEntity n WHERE n.name = ?1")
    Optional<NodeEntity> findLocked(String name);
}
