package dev.nanolet.platform.database;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Makes the connection pool notice at once that PostgreSQL is back. While PostgreSQL refuses
 * connections, Hikari's connection adder sleeps between attempts with a back-off that doubles up
 * to 5 s, and Hikari has no setting for it: after an outage the API stayed down for up to 5 s more.
 *
 * <p>The pool's threads come from this class's thread factory; every {@link #PERIOD} it interrupts
 * the adder if it finds it sleeping in that back-off. Hikari checks {@link Thread#interrupted()}
 * before each attempt, so the adder's loop ends, and the next request that wants a connection
 * starts a fresh adder, whose first retry comes 10 ms later. While the database is down that is
 * one refused connect per request and period, which costs nothing.
 */
@Component
class HikariBackoffCap implements BeanPostProcessor, SmartLifecycle {

    static final Duration PERIOD = Duration.ofMillis(250);

    private final Set<Thread> poolThreads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger n = new AtomicInteger();
    private final ThreadFactory factory = r -> {
        Thread t = Thread.ofPlatform().daemon().name("hikari-" + n.incrementAndGet()).unstarted(() -> {
            try {
                r.run();
            } finally {
                poolThreads.remove(Thread.currentThread());
            }
        });
        poolThreads.add(t);
        return t;
    };
    private ScheduledExecutorService timer;

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof HikariDataSource pool && pool.getThreadFactory() == null) {
            pool.setThreadFactory(factory);
        }
        return bean;
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("hikari-backoff-cap").factory());
        timer.scheduleWithFixedDelay(this::interruptBackoff, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        timer.shutdownNow();
        timer = null;
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    private void interruptBackoff() {
        for (Thread t : poolThreads) {
            if (t.getState() == Thread.State.TIMED_WAITING && inBackoff(t.getStackTrace())) {
                t.interrupt();
            }
        }
    }

    /** Sleeping in {@code UtilityElf.quietlySleep} called from the adder's {@code PoolEntryCreator}. */
    static boolean inBackoff(StackTraceElement[] stack) {
        return Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals("quietlySleep"))
                && Arrays.stream(stack).anyMatch(f -> f.getClassName().endsWith("PoolEntryCreator"));
    }
}
