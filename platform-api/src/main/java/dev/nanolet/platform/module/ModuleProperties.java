package dev.nanolet.platform.module;

import java.nio.file.Path;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Modules ({@code nanolet.modules.*}).
 *
 * @param maxSize the largest module an upload or an import may carry (default 64 MiB)
 * @param importRegistries registries {@code POST /api/v1/modules {"image": ...}} may pull from
 *     ({@code NANOLET_IMPORT_REGISTRIES}, {@code host[:port]}, comma-separated); empty: imports are off,
 *     so that platform-api fetches nothing a user names unless an operator allowed it
 * @param registryConfig a docker {@code config.json} with the credentials for those registries ({@code NANOLET_REGISTRY_CONFIG})
 * @param insecureRegistries registries spoken to over plain HTTP besides loopback ones
 * @param cacheDir where pulled blobs are kept
 */
@ConfigurationProperties("nanolet.modules")
record ModuleProperties(
        @DefaultValue("64MB") DataSize maxSize,
        Set<String> importRegistries,
        Path registryConfig,
        Set<String> insecureRegistries,
        Path cacheDir) {

    ModuleProperties {
        importRegistries = importRegistries == null ? Set.of() : Set.copyOf(importRegistries);
        insecureRegistries = insecureRegistries == null ? Set.of() : Set.copyOf(insecureRegistries);
        registryConfig = registryConfig == null || registryConfig.toString().isBlank() ? null : registryConfig;
        cacheDir = cacheDir == null || cacheDir.toString().isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "nanolet-platform-oci") : cacheDir;
    }
}
