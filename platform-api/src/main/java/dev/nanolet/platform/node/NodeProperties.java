package dev.nanolet.platform.node;

import dev.nanolet.wire.Setting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Node protocol settings.
 *
 * @param leaseDuration a node whose lease is older is NotReady and its replicas are evicted
 *     (env {@code NANOLET_LEASE_DURATION}; 1 ms to 1 day, or platform-api does not start: a lease is timed in
 *     nanoseconds, and no node could renew a lease of 0)
 * @param watchHeartbeat how long an idle watch stream waits before a heartbeat comment; at least 1 ms
 * @param maxWatchesPerNode open watch streams one node may hold on one instance; more get 429
 *     (env {@code NANOLET_NODES_MAX_WATCHES_PER_NODE}; at least 1: with none, no node would get its assignments)
 * @param jobFenceMargin jobs of a NotReady node are evicted (and replaced) only when its lease is
 *     older than the lease duration plus this margin: the node stops its own jobs after one lease
 *     duration without a renewal, and the margin covers that stop (env {@code NANOLET_JOB_FENCE_MARGIN};
 *     0 to 1 day)
 */
@ConfigurationProperties("nanolet.nodes")
public record NodeProperties(
        @DefaultValue("15s") Duration leaseDuration,
        @DefaultValue("15s") Duration watchHeartbeat,
        @DefaultValue("4") int maxWatchesPerNode,
        @DefaultValue("5s") Duration jobFenceMargin) {

    /** The longest lease duration or job fence margin taken: far beyond any use, and far below what a ticker's nanoseconds hold (292 years). */
    static final Duration MAX = Duration.ofDays(1);

    public NodeProperties {
        Setting.of("nanolet.nodes.lease-duration", "NANOLET_LEASE_DURATION").between(Duration.ofMillis(1), MAX, leaseDuration);
        Setting.of("nanolet.nodes.job-fence-margin", "NANOLET_JOB_FENCE_MARGIN").between(Duration.ZERO, MAX, jobFenceMargin);
        Setting.of("nanolet.nodes.watch-heartbeat").atLeast(Duration.ofMillis(1), watchHeartbeat);
        Setting.of("nanolet.nodes.max-watches-per-node", "NANOLET_NODES_MAX_WATCHES_PER_NODE").atLeast(1, maxWatchesPerNode);
    }

    /** Nodes that renewed their lease at or after this instant are Ready. */
    public Instant readySince(Clock clock) {
        return clock.instant().minus(leaseDuration);
    }

    /**
     * Whether PostgreSQL may have been out of reach between two reads answered at these ticker times
     * ({@link System#nanoTime}): they are more than half a lease apart. Reads come every control interval (2 s) or
     * sooner, never that far apart unless something stalled; and a shorter gap leaves a node more than half its lease,
     * more than one renewal period (a third of it by default), to renew after it.
     */
    public boolean outageMayLieBetween(long earlierTicks, long laterTicks) {
        return outageMayLieBetween(earlierTicks, laterTicks, Duration.ZERO);
    }

    /**
     * As {@link #outageMayLieBetween(long, long)}, for reads that come every {@code readEvery}: when that is half a
     * lease or more (a control interval set that long), they are more than one and a half periods apart. Every gap
     * would exceed half a lease then, and whatever judged by it would never act; an outage shorter than such a period
     * may fall between two reads unseen anyway, and the half period more is the lateness a busy loop may add.
     */
    public boolean outageMayLieBetween(long earlierTicks, long laterTicks, Duration readEvery) {
        return laterTicks - earlierTicks > Math.max(leaseDuration.toNanos() / 2, readEvery.toNanos() / 2 * 3);
    }
}
