package dev.nanolet.platform.control;

import dev.nanolet.platform.replica.AssignmentLog;
import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.metrics.MetricSamples;
import java.time.Clock;
import java.time.Instant;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Once a minute, forgets assignment changes and metric samples older than the retention, and events older than their TTL. */
@Component
@Order(ControlPass.RETENTION)
class Retention implements ControlPass {
    private final AssignmentLog assignments;
    private final MetricSamples samples;
    private final Events events;
    private final ControlProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;
    private Instant next = Instant.MIN;

    Retention(AssignmentLog assignments, MetricSamples samples, Events events, ControlProperties properties, TransactionTemplate tx, Clock clock) {
        this.assignments = assignments;
        this.samples = samples;
        this.events = events;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void run(Changes changes) {
        Instant now = clock.instant();
        if (now.isBefore(next)) {
            return;
        }
        next = now.plusSeconds(60);
        Instant before = now.minus(properties.retention());
        tx.executeWithoutResult(s -> {
            assignments.prune(before);
            samples.prune(before);
            events.prune();
        });
    }
}
