package dev.nanolet.platform.module;

import dev.nanolet.limits.ModuleLimits;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What an upload may carry and cost ({@code nanolet.modules.*}).
 *
 * @param maxSize the largest module ({@code NANOLET_MODULES_MAX_SIZE}, default 64 MiB)
 * @param maxConcurrentUploads uploads received and parsed at once; one more answers 503 with
 *     {@code Retry-After} ({@code NANOLET_MODULES_MAX_CONCURRENT_UPLOADS}, default 4: parsing is CPU-bound)
 * @param parseTimeout how long parsing and validating one module may take before it is refused with 422
 *     ({@code NANOLET_MODULES_PARSE_TIMEOUT}, default 10 s; a 64 MiB module within the limits parses in ~2 s)
 * @param limits what a module may declare ({@code nanolet.modules.limits.max-locals} and so on), checked
 *     before the module is parsed; the node checks the same limits again before compiling
 */
@ConfigurationProperties("nanolet.modules")
record ModuleProperties(
        @DefaultValue("64MB") DataSize maxSize,
        @DefaultValue("4") int maxConcurrentUploads,
        @DefaultValue("10s") Duration parseTimeout,
        @DefaultValue ModuleLimits limits) {}
