package dev.nanolet.agent.config;

import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.limits.ModuleLimits;
import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What the sandbox allows every run on this node, whatever a deployment asks for
 * ({@code nanolet.runtime.*}); docs/runtime.md explains each default.
 *
 * @param maxStdoutBytes stdout a run may write; more fails with {@code EIO} ({@code NANOLET_MAX_STDOUT_BYTES});
 *     above the data plane's response cap, so an HTTP response past that still answers 502
 * @param maxStderrBytes stderr a run may write, then cut with a marker line ({@code NANOLET_MAX_STDERR_BYTES})
 * @param maxTableElements the size a table may grow to ({@code NANOLET_MAX_TABLE_ELEMENTS})
 * @param overrunGrace how long past its deadline a run may keep a guest thread before the thread is
 *     written off and replaced ({@code NANOLET_GUEST_OVERRUN_GRACE})
 * @param backgroundAfter CPU time a run may use before it goes to the background, where it pauses to
 *     keep to its share, and a fresh thread takes its place; {@code 0} never ({@code NANOLET_GUEST_BACKGROUND_AFTER})
 * @param maxBackgroundThreads threads the node adds at most in place of runs in the background at
 *     once; past that a run goes to the background in its own place ({@code NANOLET_GUEST_MAX_BACKGROUND_THREADS})
 * @param backgroundCpu the share of one CPU that every run in the background together gets while other
 *     runs are active on the node ({@code NANOLET_GUEST_BACKGROUND_CPU})
 * @param guestCpus guests that run at once, the CPU shared fairly between deployments (the one with
 *     the least CPU time lately goes first); unset: one per processor the JVM sees; {@code 0}: no such
 *     sharing, every guest thread runs when the operating system lets it ({@code NANOLET_GUEST_CPUS})
 * @param guestMemory linear memory all runs on the node may hold together, every charge leaving an
 *     equal part free for one more deployment; a run that would take more does not start, or its
 *     {@code memory.grow} answers -1 ({@code NODE_MEMORY}, 503 to an HTTP client); unset: half of the
 *     node's maximum heap ({@code NANOLET_GUEST_MEMORY})
 * @param moduleLimits what a module may declare, checked again here before compiling
 *     ({@code nanolet.runtime.module-limits.max-locals} and so on; the same defaults as platform-api's)
 */
@ConfigurationProperties("nanolet.runtime")
public record RuntimeProperties(
        @DefaultValue("64MB") DataSize maxStdoutBytes,
        @DefaultValue("1MB") DataSize maxStderrBytes,
        @DefaultValue("100000") int maxTableElements,
        @DefaultValue("2s") Duration overrunGrace,
        @DefaultValue("20ms") Duration backgroundAfter,
        @DefaultValue("32") int maxBackgroundThreads,
        @DefaultValue("0.25") double backgroundCpu,
        Integer guestCpus,
        DataSize guestMemory,
        @DefaultValue ModuleLimits moduleLimits) {

    public RuntimeProperties {
        if (guestCpus != null) {
            Setting.of("nanolet.runtime.guest-cpus", "NANOLET_GUEST_CPUS").atLeast(0, guestCpus);
        }
        if (guestMemory != null) {
            Setting.of("nanolet.runtime.guest-memory", "NANOLET_GUEST_MEMORY").bytesAtLeast(1, guestMemory.toBytes());
        }
    }

    /** {@link #guestCpus}, with one per processor when unset. */
    public int cpuSlots() {
        return guestCpus == null ? Runtime.getRuntime().availableProcessors() : guestCpus;
    }

    public RuntimeLimits limits() {
        return new RuntimeLimits(maxStdoutBytes.toBytes(), maxStderrBytes.toBytes(), maxTableElements, moduleLimits,
                guestMemory == null ? RuntimeLimits.halfTheHeap() : guestMemory.toBytes());
    }
}
