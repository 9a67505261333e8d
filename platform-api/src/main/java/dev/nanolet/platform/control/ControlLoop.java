package dev.nanolet.platform.control;

import dev.nanolet.platform.wakeup.PgNotifications;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs every {@link ControlPass} in their order ({@link ControlPass#EVICTION} … {@link ControlPass#RETENTION}),
 * woken by a timer and by {@code NOTIFY nanolet_control}, which database triggers send when
 * {@code deployments}, {@code replicas} or {@code nodes} change (see {@link PgNotifications}).
 */
@Component
class ControlLoop implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);

    private final List<ControlPass> passes;
    private final ControlProperties properties;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    ControlLoop(List<ControlPass> passes, ControlProperties properties, PgNotifications notifications) {
        this.passes = passes;
        this.properties = properties;
        notifications.subscribe(PgNotifications.CONTROL, payload -> wake.release());
    }

    @Override
    public void start() {
        running = true;
        if (properties.enabled()) {
            thread = Thread.ofPlatform().daemon().name("control-loop").start(this::loop);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            passes.forEach(this::runSafely);
            try {
                wake.tryAcquire(properties.interval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void runSafely(ControlPass pass) {
        try {
            pass.run();
        } catch (RuntimeException e) {
            if (running) {
                log.warn("{} failed, retrying on the next pass", pass.getClass().getSimpleName(), e);
            }
        }
    }
}
