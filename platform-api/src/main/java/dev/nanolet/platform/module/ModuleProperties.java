package dev.nanolet.platform.module;

import dev.nanolet.limits.ModuleLimits;
import dev.nanolet.wire.Setting;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What an upload may carry and cost ({@code nanolet.modules.*}). The size, the uploads at once and the timeouts must be at
 * least 1 (1 byte, 1 ms), or platform-api does not start: below it every upload or import was refused.
 *
 * @param maxSize the largest module ({@code NANOLET_MODULES_MAX_SIZE}, default 64 MiB)
 * @param maxConcurrentUploads uploads parsed and stored at once (a body takes a place only once it has arrived); one more waits 1 s, then 503 with
 *     {@code Retry-After} ({@code NANOLET_MODULES_MAX_CONCURRENT_UPLOADS}, default 4: parsing is CPU-bound)
 * @param parseTimeout how long parsing and validating one module may take before it is refused with 422
 *     ({@code NANOLET_MODULES_PARSE_TIMEOUT}, default 10 s; a 64 MiB module within the limits parses in ~2 s)
 * @param limits what a module may declare ({@code nanolet.modules.limits.max-locals} and so on), checked
 *     before the module is parsed; the node checks the same limits again before compiling
 * @param importRegistries registries {@code POST /api/v1/modules {"image": ...}} may pull from
 *     ({@code NANOLET_IMPORT_REGISTRIES}, {@code host[:port]}, comma-separated); empty: imports are off,
 *     so that platform-api fetches nothing a user names unless an operator allowed it
 * @param registryConfig a docker {@code config.json} with the credentials for those registries ({@code NANOLET_REGISTRY_CONFIG})
 * @param insecureRegistries registries spoken to over plain HTTP besides loopback ones
 * @param importTimeout how long an import's exchange with the registry (manifest and Wasm layer) may take; then the
 *     import answers 422 ({@code NANOLET_IMPORT_TIMEOUT}, default 2 min)
 * @param cacheDir where pulled blobs are kept
 */
@ConfigurationProperties("nanolet.modules")
record ModuleProperties(
        @DefaultValue("64MB") DataSize maxSize,
        @DefaultValue("4") int maxConcurrentUploads,
        @DefaultValue("10s") Duration parseTimeout,
        @DefaultValue ModuleLimits limits,
        Set<String> importRegistries,
        Path registryConfig,
        Set<String> insecureRegistries,
        @DefaultValue("2m") Duration importTimeout,
        Path cacheDir) {

    ModuleProperties {
        Setting.of("nanolet.modules.max-size", "NANOLET_MODULES_MAX_SIZE").bytesAtLeast(1, maxSize.toBytes());
        Setting.of("nanolet.modules.max-concurrent-uploads", "NANOLET_MODULES_MAX_CONCURRENT_UPLOADS").atLeast(1, maxConcurrentUploads);
        Setting.of("nanolet.modules.parse-timeout", "NANOLET_MODULES_PARSE_TIMEOUT").atLeast(Duration.ofMillis(1), parseTimeout);
        Setting.of("nanolet.modules.import-timeout", "NANOLET_IMPORT_TIMEOUT").atLeast(Duration.ofMillis(1), importTimeout);
        importRegistries = importRegistries == null ? Set.of() : Set.copyOf(importRegistries);
        insecureRegistries = insecureRegistries == null ? Set.of() : Set.copyOf(insecureRegistries);
        registryConfig = registryConfig == null || registryConfig.toString().isBlank() ? null : registryConfig;
        cacheDir = cacheDir == null || cacheDir.toString().isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "nanolet-platform-oci") : cacheDir;
    }
}
