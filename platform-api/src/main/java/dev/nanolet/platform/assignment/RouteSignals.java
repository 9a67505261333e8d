package dev.nanolet.platform.assignment;

import dev.nanolet.platform.route.RouteTable;
import org.springframework.stereotype.Component;

/**
 * Wakes this instance's watch streams when the route table changed ({@link RouteTable} announces only real
 * changes); each stream then sends its node one {@code routes} event however many changes it missed
 * meanwhile, without reading its node's log for it ({@link WatchSignals#nudgeAll}).
 */
@Component
class RouteSignals {
    private final RouteTable table;

    RouteSignals(RouteTable table, WatchSignals signals) {
        this.table = table;
        table.onChange(signals::nudgeAll);
    }

    /** Grows with every change; a stream that saw another value owes its node a {@code routes} event. */
    long version() {
        return table.version();
    }
}
