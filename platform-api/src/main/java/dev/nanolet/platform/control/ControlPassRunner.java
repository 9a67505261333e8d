package dev.nanolet.platform.control;

import dev.nanolet.platform.wakeup.PgNotifications;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs every {@link ControlPass} in their order ({@link ControlPass#EVICTION} … {@link ControlPass#RETENTION}),
 * woken by {@code NOTIFY nanolet_control}, which database triggers send with the id of a deployment
 * whose desired or actual state changed in a way the controller acts on (see {@link PgNotifications}):
 * such a round gets the deployments named since the last one ({@link Wakeups}), at once and without
 * a debounce. (A deployment written through the API is usually reconciled and bound before that, by a
 * {@link Prompt} on the instance that wrote it.) Every {@code interval} a round gets {@link Changes#ALL} (the safety net for a
 * notification lost or a change no trigger announces, and the clock for eviction and pruning),
 * however busy the wake-ups keep the loop.
 */
@Component
class ControlPassRunner implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ControlPassRunner.class);

    private final List<ControlPass> passes;
    private final ControlProperties properties;
    private final Wakeups wakeups;
    private volatile boolean running;
    private Thread thread;

    ControlPassRunner(List<ControlPass> passes, ControlProperties properties, PgNotifications notifications, Wakeups wakeups) {
        this.passes = passes;
        this.properties = properties;
        this.wakeups = wakeups;
        notifications.subscribe(PgNotifications.CONTROL, wakeups::accept);
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
        long interval = properties.interval().toNanos();
        long nextFull = System.nanoTime();
        while (running) {
            boolean periodic = System.nanoTime() - nextFull >= 0;
            if (periodic) {
                nextFull = System.nanoTime() + interval;
            }
            Changes changes = wakeups.take(periodic);
            passes.forEach(pass -> runSafely(pass, changes));
            try {
                wakeups.await((nextFull - System.nanoTime()) / 1_000_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void runSafely(ControlPass pass, Changes changes) {
        try {
            pass.run(changes);
        } catch (RuntimeException e) {
            if (running) {
                log.warn("{} failed, retrying on the next pass", pass.getClass().getSimpleName(), e);
            }
            if (!changes.all()) {
                wakeups.retryAll();
            }
        }
    }
}
