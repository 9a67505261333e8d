package dev.nanolet.platform.module;

import org.springframework.data.jpa.repository.JpaRepository;

interface ModuleContentRepository extends JpaRepository<ModuleContentEntity, String> {}
