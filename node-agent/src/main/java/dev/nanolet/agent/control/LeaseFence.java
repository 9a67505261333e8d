package dev.nanolet.agent.control;

import dev.nanolet.agent.config.PlatformProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Whether this node still holds its lease, by its own clock: a lease renewal (or registration)
 * that succeeded holds it for one lease duration counted from when it was <em>sent</em>, which is
 * never later than when platform-api recorded it. So the node always gives its lease up before
 * the platform considers it expired, and platform-api waits a further margin before it replaces
 * the node's jobs (see docs/node-protocol.md, "Fencing").
 */
@Component
class LeaseFence {
    private final Clock clock;
    private final Duration leaseDuration;
    private Instant renewedAt;
    private boolean fenced;

    LeaseFence(Clock clock, PlatformProperties props) {
        this.clock = clock;
        this.leaseDuration = props.leaseDuration();
    }

    Instant now() {
        return clock.instant();
    }

    /** How often {@link #expire()} should be asked. */
    Duration checkInterval() {
        return leaseDuration.dividedBy(8);
    }

    /** A renewal sent at {@code sentAt} succeeded. True if that lifts a fence: the caller lists its assignments again. */
    synchronized boolean renewed(Instant sentAt) {
        if (renewedAt == null || sentAt.isAfter(renewedAt)) {
            renewedAt = sentAt;
        }
        boolean lifted = fenced && holds();
        fenced = fenced && !lifted;
        return lifted;
    }

    /** True the first time it finds the lease lost since the last renewal: the caller fences the node. */
    synchronized boolean expire() {
        if (fenced || renewedAt == null || holds()) {
            return false;
        }
        fenced = true;
        return true;
    }

    /** Whether the last successful renewal is younger than one lease duration. */
    synchronized boolean holds() {
        return renewedAt != null && clock.instant().isBefore(renewedAt.plus(leaseDuration));
    }
}
