package dev.nanolet.agent.control;

import dev.nanolet.agent.config.PlatformProperties;
import dev.nanolet.agent.replica.ReplicaReporter;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaStatusReport;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Status reports and events on their way to platform-api: queued in order, sent by one thread,
 * retried with back-off while the platform is unreachable. A 4xx answer (for example 409 for a
 * transition the platform refuses) drops that report: sending it again would not change the answer.
 */
@Component
class ReportOutbox implements ReplicaReporter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReportOutbox.class);
    private final LinkedBlockingDeque<Outgoing> queue = new LinkedBlockingDeque<>();
    private final PlatformClient client;
    private final PlatformProperties props;
    private final Thread sender;
    private volatile boolean sending;

    ReportOutbox(PlatformClient client, PlatformProperties props) {
        this.client = client;
        this.props = props;
        this.sender = Thread.ofVirtual().name("nanolet-reports").start(this::drain);
    }

    private record Outgoing(String what, Mono<Void> call) {}

    @Override
    public void status(UUID replica, ReplicaStatusReport report) {
        queue.add(new Outgoing("status " + report.phase() + " of " + replica, client.status(replica, report)));
    }

    @Override
    public void event(UUID replica, EventReport event) {
        queue.add(new Outgoing("event " + event.reason() + " of " + replica, client.event(replica, event)));
    }

    @Override
    public boolean flush(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while ((!queue.isEmpty() || sending) && System.nanoTime() < end) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return queue.isEmpty() && !sending;
    }

    private void drain() {
        try {
            while (true) {
                Outgoing next = queue.takeFirst();
                sending = true;
                send(next);
                sending = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(Outgoing o) throws InterruptedException {
        Duration delay = props.retryMin();
        while (true) {
            try {
                o.call().block();
                return;
            } catch (WebClientResponseException e) {
                if (e.getStatusCode().is4xxClientError()) {
                    log.warn("platform refused {}: {} {}", o.what(), e.getStatusCode(), e.getResponseBodyAsString());
                    return;
                }
                log.debug("cannot send {} yet: {}", o.what(), e.getMessage());
            } catch (RuntimeException e) {
                log.debug("cannot send {} yet: {}", o.what(), e.getMessage());
            }
            TimeUnit.MILLISECONDS.sleep(delay.toMillis());
            delay = delay.multipliedBy(2).compareTo(props.retryMax()) > 0 ? props.retryMax() : delay.multipliedBy(2);
        }
    }

    @Override
    public void close() {
        sender.interrupt();
    }
}
