package dev.nanolet.platform.assignment;

import dev.nanolet.platform.wakeup.PgNotifications;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Counts {@code nanolet_routes} notifications (any instance changed something the route table shows)
 * and wakes this instance's watch streams, each of which then sends its node one {@code routes}
 * event however many changes it missed meanwhile. One counter for all streams: a change is not
 * re-read per stream, only announced.
 */
@Component
class RouteSignals {
    private final AtomicLong version = new AtomicLong();

    RouteSignals(PgNotifications notifications, WatchSignals signals) {
        notifications.subscribe(PgNotifications.ROUTES, payload -> {
            version.incrementAndGet();
            signals.wake(null);
        });
    }

    /** Grows with every notification; a stream that saw another value owes its node a {@code routes} event. */
    long version() {
        return version.get();
    }
}
