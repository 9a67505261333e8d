package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A run that uses more than its CPU quantum goes to the background, where, while other runs are
 * active, it pauses (parked, which keeps no safepoint of the JVM waiting) to keep to its share of
 * the CPU, and runs freely when the node is otherwise idle; a fresh thread takes its place, and
 * short runs never go there: so short runs keep being served while busy loops hold every thread the
 * pool had. No thread's priority is ever lowered.
 */
class GuestPoolBackgroundTest {

    private static final Duration QUANTUM = Duration.ofMillis(20);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean stop = new AtomicBoolean();
    private GuestPool pool;

    @AfterEach
    void stop() {
        stop.set(true);
        if (pool != null) {
            pool.close();
        }
        timer.shutdownNow();
    }

    private GuestPool pool(int threads, int maxBackground) {
        pool = new GuestPool(threads, 64, Duration.ofSeconds(60), new GuestPool.Background(QUANTUM, maxBackground, 0.05), 0, timer);
        return pool;
    }

    @Test
    void aRunPastItsQuantumPausesWhileOtherRunsAreActiveAndAThreadTakesItsPlace() {
        pool(2, 4);
        AtomicReference<Thread> loop = loop();
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.demoted() == 1 && pool.capacity() == 3);

        var other = new CountDownLatch(1); // a run of normal priority, active (it waits on a host call)
        pool.submit("test/runs", Duration.ofSeconds(60), () -> hold(other));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1))
                .until(() -> loop.get().getState() == Thread.State.TIMED_WAITING);

        assertThat(loop.get().getPriority()).isEqualTo(Thread.NORM_PRIORITY);
        assertThat(pool.call("test/runs", Duration.ofSeconds(5), () -> "served").block(Duration.ofSeconds(20))).isEqualTo("served");
        other.countDown();
        stop.set(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.capacity() == 2 && !loop.get().isAlive());
        assertThat(pool.call("test/runs", Duration.ofSeconds(5), () -> "two threads again").block(Duration.ofSeconds(20))).isEqualTo("two threads again");
    }

    @Test
    void aRunInTheBackgroundRunsFreelyWhenNoOtherRunIsActive() {
        pool(1, 4);
        AtomicReference<Thread> loop = loop();
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.demoted() == 1);

        // at a share of 5 % it would be parked 95 % of the time; alone on the node it never is
        await().pollDelay(GuestPool.CONTENDED_FOR.multipliedBy(5)).pollInterval(Duration.ofMillis(1))
                .during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30))
                .until(() -> loop.get().getState() != Thread.State.TIMED_WAITING);
    }

    @Test
    void aDeadlineEndsAPauseAtOnce() {
        pool(1, 4);
        var loop = new AtomicReference<Thread>();
        var ended = new CountDownLatch(1);
        pool.submit("test/runs", Duration.ofSeconds(60), () -> {
            loop.set(Thread.currentThread());
            spin();
            ended.countDown();
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.demoted() == 1);
        var other = new CountDownLatch(1);
        pool.submit("test/runs", Duration.ofSeconds(60), () -> hold(other));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1))
                .until(() -> loop.get().getState() == Thread.State.TIMED_WAITING);

        loop.get().interrupt();

        await().atMost(Duration.ofSeconds(30)).until(() -> ended.getCount() == 0);
        other.countDown();
    }

    @Test
    void shortRunsAndRunsThatWaitWithoutUsingCpuAreNeverDemoted() {
        pool(1, 4);
        for (int i = 0; i < 50; i++) {
            assertThat(pool.call("test/runs", Duration.ofSeconds(5), () -> "short").block(Duration.ofSeconds(20))).isEqualTo("short");
        }
        String waited = pool.call("test/runs", Duration.ofSeconds(5), () -> {
            new CountDownLatch(1).await(10 * QUANTUM.toMillis(), TimeUnit.MILLISECONDS); // a host call that blocks
            return "waited";
        }).block(Duration.ofSeconds(20));
        assertThat(waited).isEqualTo("waited");
        assertThat(pool.demoted()).isZero();
        assertThat(pool.capacity()).isEqualTo(1);
    }

    @Test
    void shortRunsAreServedWhileBusyLoopsHoldEveryThreadThePoolHad() {
        pool(2, 8);
        var looping = new AtomicInteger();
        var ended = new AtomicInteger();
        for (int i = 0; i < 6; i++) {
            pool.submit("test/runs", Duration.ofSeconds(60), () -> {
                looping.incrementAndGet();
                spin();
                ended.incrementAndGet();
            });
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> looping.get() == 6 && pool.demoted() == 6);

        List<CompletableFuture<String>> shortRuns = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            shortRuns.add(pool.call("test/runs", Duration.ofSeconds(5), () -> "short").toFuture());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> shortRuns.stream().allMatch(CompletableFuture::isDone));

        assertThat(ended.get()).as("busy loops that ended before the short runs were served").isZero();
        assertThat(shortRuns).allSatisfy(r -> assertThat(r.join()).isEqualTo("short"));
        assertThat(pool.capacity()).isEqualTo(2 + 6);
    }

    /** Submits a busy loop; the reference gets its thread once it runs. */
    private AtomicReference<Thread> loop() {
        var loop = new AtomicReference<Thread>();
        pool.submit("test/runs", Duration.ofSeconds(60), () -> {
            loop.set(Thread.currentThread());
            spin();
        });
        return loop;
    }

    /** A guest's busy loop: checks for interruption at every back-edge, as the engine's compiled code does. */
    private void spin() {
        long n = 0;
        while (!stop.get() && !Thread.currentThread().isInterrupted()) {
            n++;
        }
        Blackhole.sink = n;
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Blackhole {
        static volatile long sink;
    }
}
