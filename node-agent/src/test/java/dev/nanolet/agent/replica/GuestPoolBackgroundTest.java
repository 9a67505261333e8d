package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run that uses more than its CPU quantum goes to the background (nice 19, SCHED_IDLE) on a thread
 * that leaves the pool afterwards, a fresh normal-priority thread takes its place, and short runs
 * never go there: so short runs keep being served while busy loops hold every thread the pool had.
 */
class GuestPoolBackgroundTest {

    private static final int SCHED_IDLE = 5;
    private static final Duration QUANTUM = Duration.ofMillis(20);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean stop = new AtomicBoolean();
    private GuestPool pool;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(System.getProperty("os.name").toLowerCase().startsWith("linux"), "thread priorities are lowered on Linux only");
        assertThat(ThreadPriority.load().available()).as("the C library's setpriority is callable on Linux").isTrue();
    }

    @AfterEach
    void stop() {
        stop.set(true);
        if (pool != null) {
            pool.close();
        }
        timer.shutdownNow();
    }

    private GuestPool pool(int threads, int maxBackground) {
        pool = new GuestPool(threads, 64, Duration.ofSeconds(60),
                new GuestPool.Background(QUANTUM, maxBackground, ThreadPriority.load()), timer);
        return pool;
    }

    @Test
    void aRunPastItsQuantumGoesToTheBackgroundAndANormalThreadTakesItsPlace() throws IOException {
        pool(1, 4);
        var loop = new AtomicLong();
        pool.submit(Duration.ofSeconds(60), () -> {
            loop.set(ThreadPriority.currentNativeId());
            spin();
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> loop.get() > 0 && stat(loop.get()).nice() == 19
                && pool.demoted() == 1 && pool.capacity() == 2);
        assertThat(stat(loop.get()).policy()).isEqualTo(SCHED_IDLE);

        long[] next = pool.call(Duration.ofSeconds(5), GuestPoolBackgroundTest::self).block(Duration.ofSeconds(20));
        assertThat(next[0]).isNotEqualTo(loop.get());
        assertThat(next[1]).as("nice of the replacement thread").isZero();

        stop.set(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.capacity() == 1 && !Files.exists(task(loop.get())));
        long[] after = pool.call(Duration.ofSeconds(5), GuestPoolBackgroundTest::self).block(Duration.ofSeconds(20));
        assertThat(after[1]).as("nice of the pool's thread once the loop returned").isZero();
        assertThat(pool.call(Duration.ofSeconds(5), () -> "one thread again").block(Duration.ofSeconds(20))).isEqualTo("one thread again");
    }

    @Test
    void shortRunsAndRunsThatWaitWithoutUsingCpuAreNeverDemoted() {
        pool(1, 4);
        for (int i = 0; i < 50; i++) {
            assertThat(pool.call(Duration.ofSeconds(5), GuestPoolBackgroundTest::self).block(Duration.ofSeconds(20))[1]).isZero();
        }
        long[] waited = pool.call(Duration.ofSeconds(5), () -> {
            new CountDownLatch(1).await(10 * QUANTUM.toMillis(), TimeUnit.MILLISECONDS); // a host call that blocks
            return self();
        }).block(Duration.ofSeconds(20));
        assertThat(waited[1]).isZero();
        assertThat(pool.demoted()).isZero();
        assertThat(pool.capacity()).isEqualTo(1);
    }

    @Test
    void shortRunsAreServedWhileBusyLoopsHoldEveryThreadThePoolHad() {
        pool(2, 8);
        var looping = new AtomicInteger();
        var ended = new AtomicInteger();
        for (int i = 0; i < 6; i++) {
            pool.submit(Duration.ofSeconds(60), () -> {
                looping.incrementAndGet();
                spin();
                ended.incrementAndGet();
            });
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> looping.get() == 6 && pool.demoted() == 6);

        List<CompletableFuture<long[]>> shortRuns = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            shortRuns.add(pool.call(Duration.ofSeconds(5), GuestPoolBackgroundTest::self).toFuture());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> shortRuns.stream().allMatch(CompletableFuture::isDone));

        assertThat(ended.get()).as("busy loops that ended before the short runs were served").isZero();
        assertThat(shortRuns).allSatisfy(r -> assertThat(r.join()[1]).as("nice of a short run").isZero());
        assertThat(pool.capacity()).isEqualTo(2 + 6);
    }

    @Test
    void withoutTheCallsOfTheCLibraryNothingIsDemoted() throws IOException {
        pool = new GuestPool(1, 4, Duration.ofSeconds(60), new GuestPool.Background(QUANTUM, 4, ThreadPriority.NONE), timer);
        var loop = new AtomicLong();
        pool.submit(Duration.ofSeconds(60), () -> {
            loop.set(ThreadPriority.currentNativeId());
            spin();
        });
        await().until(() -> loop.get() > 0);
        await().during(Duration.ofMillis(10 * QUANTUM.toMillis())).atMost(Duration.ofSeconds(5))
                .until(() -> pool.demoted() == 0 && stat(loop.get()).nice() == 0);
        assertThat(ThreadPriority.NONE.lower(loop.get())).isFalse();
    }

    private void spin() {
        long n = 0;
        while (!stop.get() && !Thread.currentThread().isInterrupted()) {
            n++;
        }
        Blackhole.sink = n;
    }

    private static final class Blackhole {
        static volatile long sink;
    }

    /** The calling thread's kernel id and nice value. */
    private static long[] self() throws IOException {
        long tid = ThreadPriority.currentNativeId();
        return new long[] {tid, stat(tid).nice()};
    }

    private record Stat(int nice, int policy) {}

    /** Fields 19 (nice) and 41 (policy) of /proc/self/task/{tid}/stat; the second field, in parentheses, may hold spaces. */
    private static Stat stat(long tid) throws IOException {
        String s = Files.readString(task(tid).resolve("stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return new Stat(Integer.parseInt(f[19 - 3]), Integer.parseInt(f[41 - 3]));
    }

    private static Path task(long tid) {
        return Path.of("/proc/self/task/" + tid);
    }
}
