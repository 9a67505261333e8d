package dev.nanolet.platform.deployment;

import dev.nanolet.platform.wakeup.PgNotifications;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wakes this instance's rollout waiters when any instance commits a change to a deployment or to
 * its replicas that the status counts ({@code nanolet_control}, sent by triggers on those tables; see
 * {@link PgNotifications}: a replica becoming Running, Succeeded, Failed or CrashLoopBackOff, created,
 * asked to stop or gone); a waiter then computes the status again. Stopping wakes them
 * all, so that shutdown does not wait for their timeouts.
 */
@Component
class RolloutSignals implements SmartLifecycle {
    private final Set<Semaphore> waiters = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    RolloutSignals(PgNotifications notifications) {
        notifications.subscribe(PgNotifications.CONTROL, table -> wakeAll());
    }

    Semaphore register() {
        Semaphore signal = new Semaphore(0);
        waiters.add(signal);
        return signal;
    }

    void unregister(Semaphore signal) {
        waiters.remove(signal);
    }

    boolean stopping() {
        return !running;
    }

    private void wakeAll() {
        waiters.forEach(Semaphore::release);
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        wakeAll();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
