package dev.nanolet.agent.config;

import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The data plane and guest execution ({@code nanolet.data-plane.*}).
 *
 * <p>Each setting must be above 0 (the grace period may be 0): refused at start, naming the setting, where a 0 or a negative
 * value started the node and failed later — a 0 {@code logLines} at a replica's first line of output — or failed its
 * start with no word of which setting: a 0 {@code guestQueue} is an {@code ArrayBlockingQueue} of no capacity.
 *
 * @param maxRequestBytes request bodies above this answer 413 ({@code NANOLET_MAX_REQUEST_BYTES})
 * @param maxResponseBytes a guest's stdout above this answers 502 instead ({@code NANOLET_MAX_RESPONSE_BYTES})
 * @param guestThreads platform threads that run guests, HTTP and jobs together ({@code NANOLET_GUEST_THREADS})
 * @param guestQueue runs waiting for a guest thread before 503
 * @param gracePeriod how long shutdown waits for in-flight requests, and then for the Terminating reports
 *     ({@code NANOLET_SHUTDOWN_GRACE}; drives {@code spring.lifecycle.timeout-per-shutdown-phase})
 * @param logLines lines kept per replica
 */
@ConfigurationProperties("nanolet.data-plane")
public record DataPlaneProperties(
        @DefaultValue("10MB") DataSize maxRequestBytes,
        @DefaultValue("32MB") DataSize maxResponseBytes,
        @DefaultValue("32") int guestThreads,
        @DefaultValue("256") int guestQueue,
        @DefaultValue("20s") Duration gracePeriod,
        @DefaultValue("1000") int logLines) {

    public DataPlaneProperties {
        Setting.of("nanolet.data-plane.max-request-bytes", "NANOLET_MAX_REQUEST_BYTES").bytesAtLeast(1, maxRequestBytes.toBytes());
        Setting.of("nanolet.data-plane.max-response-bytes", "NANOLET_MAX_RESPONSE_BYTES").bytesAtLeast(1, maxResponseBytes.toBytes());
        Setting.of("nanolet.data-plane.guest-threads", "NANOLET_GUEST_THREADS").atLeast(1, guestThreads);
        Setting.of("nanolet.data-plane.guest-queue").atLeast(1, guestQueue);
        Setting.of("nanolet.data-plane.grace-period", "NANOLET_SHUTDOWN_GRACE").atLeast(Duration.ZERO, gracePeriod);
        Setting.of("nanolet.data-plane.log-lines").atLeast(1, logLines);
    }
}
