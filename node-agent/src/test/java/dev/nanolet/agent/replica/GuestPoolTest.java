package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A run that overstays its deadline costs the other runs nothing: its thread is written off and replaced. */
class GuestPoolTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final GuestPool pool = new GuestPool(1, 4, Duration.ofMillis(100), timer);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        pool.close();
        timer.shutdownNow();
    }

    @Test
    void aRunThatIgnoresItsDeadlineIsWrittenOffAndTheOthersStillRun() {
        var stuckStarted = new CountDownLatch(1);
        pool.submit("test/runs", Duration.ofMillis(100), () -> {
            stuckStarted.countDown();
            awaitIgnoringInterrupts(release);
        });
        await().until(() -> stuckStarted.getCount() == 0);

        var next = pool.call("test/runs", Duration.ofSeconds(5), () -> "served").toFuture();

        await().atMost(Duration.ofSeconds(30)).until(next::isDone);
        assertThat(next.join()).isEqualTo("served");
        assertThat(pool.writtenOff()).isEqualTo(1);
        assertThat(pool.capacity()).isEqualTo(2);

        release.countDown();
        await().until(() -> pool.capacity() == 1);
        assertThat(pool.call("test/runs", Duration.ofSeconds(5), () -> "still one thread").block(Duration.ofSeconds(30)))
                .isEqualTo("still one thread");
    }

    @Test
    void aRunWithinItsDeadlineIsNeverWrittenOff() {
        for (int i = 0; i < 20; i++) {
            assertThat(pool.call("test/runs", Duration.ofSeconds(5), () -> 1).block(Duration.ofSeconds(30))).isEqualTo(1);
        }
        assertThat(pool.writtenOff()).isZero();
        assertThat(pool.capacity()).isEqualTo(1);
    }

    /**
     * The watchdog may find a run overdue in the very moment it returns. Writing it off then must
     * not cost a thread for good: once every run has returned the pool is back at its size. Here
     * the watchdog spins on a thread of its own while 20,000 runs, each overdue at once, come and go.
     */
    @Test
    void aRunWrittenOffAsItReturnsLeavesThePoolAtItsSize() throws InterruptedException {
        var watchdog = new java.util.concurrent.atomic.AtomicReference<Runnable>();
        var manual = new java.util.concurrent.ScheduledThreadPoolExecutor(1) {
            @Override
            public java.util.concurrent.ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                    TimeUnit unit) {
                watchdog.set(command);
                return super.scheduleWithFixedDelay(() -> {}, 1, 1, TimeUnit.DAYS);
            }
        };
        var racing = new GuestPool(1, 4, Duration.ZERO, manual);
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread spinner = Thread.ofPlatform().daemon().start(() -> {
            while (!stop.get()) {
                watchdog.get().run();
            }
        });
        try {
            for (int i = 0; i < 20_000; i++) {
                racing.call("test/runs", Duration.ZERO, () -> 1).onErrorReturn(0).block(Duration.ofSeconds(30));
            }
            stop.set(true);
            spinner.join();
            assertThat(racing.writtenOff()).isPositive();
            await().atMost(Duration.ofSeconds(30)).until(() -> racing.capacity() == 1);
        } finally {
            stop.set(true);
            racing.close();
            manual.shutdownNow();
        }
    }

    /** What a run stuck in a host call looks like from outside: interrupts do not end it. */
    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (true) {
            try {
                if (latch.await(1, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException ignored) {
                // keep waiting, as a host call that never checks would
            }
        }
    }
}
