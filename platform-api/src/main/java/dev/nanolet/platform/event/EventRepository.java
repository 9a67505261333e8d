package dev.nanolet.platform.event;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

public interface EventRepository extends JpaRepository<EventEntity, Long> {
    List<EventEntity> findByNamespaceAndDeploymentOrderByIdDesc(String namespace, String deployment, Limit limit);

    List<EventEntity> findByTypeOrderByIdDesc(String type, Limit limit);

    List<EventEntity> findAllByOrderByIdDesc(Limit limit);

    List<EventEntity> findByNamespaceOrderByIdDesc(String namespace, Limit limit);

    List<EventEntity> findByNamespaceAndTypeOrderByIdDesc(String namespace, String type, Limit limit);
}
