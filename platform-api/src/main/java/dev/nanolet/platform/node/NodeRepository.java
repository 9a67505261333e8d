package dev.nanolet.platform.node;

import org.springframework.data.jpa.repository.JpaRepository;

interface NodeRepository extends JpaRepository<NodeEntity, String> {}
