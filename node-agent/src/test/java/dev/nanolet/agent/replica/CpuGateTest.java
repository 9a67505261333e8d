package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.runtime.Bindings;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guest pool's CPU slots ({@link CpuGate}) with one slot: a deployment that had less takes the
 * slot from one that had more at the holder's next interruption check, deployments that all want
 * more get equal parts whatever their number of runs, and a run that blocks (a binding, a sleep)
 * holds no slot meanwhile.
 */
class CpuGateTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final GuestPool pool = new GuestPool(8, 16, Duration.ofSeconds(60), GuestPool.Background.OFF, 1, timer);

    @AfterEach
    void stop() {
        stop.set(true);
        pool.close();
        timer.shutdownNow();
    }

    @Test
    void aDeploymentThatHadLessTakesTheSlotFromABusyLoopOfAnother() {
        AtomicLong hog = loop("shop/hog");
        await().atMost(Duration.ofSeconds(20)).until(() -> hog.get() > 1_000_000);

        // without the gate's preemption this waits for the loop, which never ends by itself
        assertThat(pool.call("shop/light", Duration.ofSeconds(30), () -> "served").block(Duration.ofSeconds(20))).isEqualTo("served");
        assertThat(stop.get()).isFalse();
    }

    @Test
    void deploymentsThatAllWantMoreGetEqualPartsWhateverTheirNumberOfRuns() {
        AtomicLong many1 = loop("shop/many");
        AtomicLong many2 = loop("shop/many");
        AtomicLong many3 = loop("shop/many");
        AtomicLong one = loop("shop/one");
        await().atMost(Duration.ofSeconds(20)).until(() -> one.get() > 0 && many1.get() + many2.get() + many3.get() > 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.waitingForCpu() == 3); // four loops, one slot
        long oneBefore = one.get();
        long manyBefore = many1.get() + many2.get() + many3.get();

        await().atMost(Duration.ofSeconds(60)).until(() -> one.get() - oneBefore > 200_000_000L);
        long oneGot = one.get() - oneBefore;
        long manyGot = many1.get() + many2.get() + many3.get() - manyBefore;

        // per thread, as the operating system shares a CPU, "one" would get a quarter: 1/3 of "many"
        assertThat((double) oneGot / manyGot).as("iterations of one / of many: %d / %d", oneGot, manyGot).isBetween(0.6, 1.6);
    }

    @Test
    void aRunBlockedInABindingOrASleepHoldsNoSlotAndGoesOnAfterwards() {
        var inBinding = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Bindings blocking = CpuGate.offCpu(blockingUntil(inBinding, release));
        var bound = pool.call("shop/bound", Duration.ofSeconds(30), () -> blocking.call(Bindings.Op.KV_EXISTS, "kv", new byte[0], new byte[0]))
                .toFuture();
        awaitLatch(inBinding);
        var asleep = new CountDownLatch(1);
        var sleeper = pool.call("shop/sleeper", Duration.ofSeconds(30), () -> {
            asleep.countDown();
            awaitLatch(release); // parked as in poll_oneoff's sleep, not through the bindings: the watchdog takes its slot
            return spinFor(Duration.ofMillis(20));
        }).toFuture();
        awaitLatch(asleep);

        assertThat(pool.call("shop/other", Duration.ofSeconds(30), () -> "served").block(Duration.ofSeconds(20))).isEqualTo("served");
        release.countDown();
        assertThat(bound.join().value()).isEqualTo(1);
        assertThat(sleeper.join()).isPositive();
    }

    @Test
    void theGateForgetsDeploymentsOnceTheNodeIsIdle() {
        CpuGate gate = gate();
        for (int i = 0; i < 100; i++) {
            String deployment = "shop/d" + i;
            assertThat(pool.call(deployment, Duration.ofSeconds(5), () -> spinFor(Duration.ofMillis(1))).block(Duration.ofSeconds(20))).isPositive();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.remembered() == 0);
    }

    @Test
    void aRunBlockedInABindingMeanwhileSavesUpNoCreditForAfterwards() {
        var inBinding = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Bindings blocking = CpuGate.offCpu(blockingUntil(inBinding, release));
        AtomicLong hog = loop("shop/hog");
        var saver = pool.call("shop/saver", Duration.ofSeconds(60), () -> {
            blocking.call(Bindings.Op.KV_EXISTS, "kv", new byte[0], new byte[0]); // active, off the CPU, while the hog runs alone
            long before = hog.get();
            spinFor(Duration.ofMillis(400));
            return hog.get() - before;
        }).toFuture();
        awaitLatch(inBinding);
        long t0 = System.nanoTime();
        long alone0 = hog.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - t0 > Duration.ofSeconds(1).toNanos());
        long alonePerMs = (hog.get() - alone0) * 1_000_000 / (System.nanoTime() - t0);

        release.countDown();
        long hogMeanwhile = saver.join();

        // shared, the hog gets about half of the saver's 400 ms; had the blocked run saved up the hog's
        // second alone as credit, the saver would have kept the slot throughout and the hog got none
        assertThat(hogMeanwhile).as("hog's iterations while the saver spun 400 ms; %d per ms alone", alonePerMs)
                .isGreaterThan(alonePerMs * 400 / 10);
    }

    @Test
    void aRunWhoseGuestReturnedHoldsNoSlotForTheHostsWorkAfterIt() {
        var returned = new CountDownLatch(1);
        pool.submit("shop/committing", Duration.ofSeconds(60), () -> {
            CpuGate.guestReturned();
            returned.countDown();
            while (!stop.get()) { // like a commit's socket read: RUNNABLE, and no interruption check
                Thread.onSpinWait();
            }
        });
        awaitLatch(returned);

        // with the slot kept, this would wait for its own deadline (60 s)
        assertThat(pool.call("shop/other", Duration.ofSeconds(60), () -> "served").block(Duration.ofSeconds(20))).isEqualTo("served");
    }

    @Test
    void aRunWrittenOffPastItsDeadlineGivesItsSlotBack() {
        GuestPool short_ = new GuestPool(4, 16, Duration.ofMillis(200), GuestPool.Background.OFF, 1, timer);
        try {
            var stuck = new CountDownLatch(1);
            short_.submit("shop/stuck", Duration.ofMillis(100), () -> {
                stuck.countDown();
                while (!stop.get()) { // stuck in host code: RUNNABLE, no interruption check
                    Thread.onSpinWait();
                }
            });
            awaitLatch(stuck);

            // with the slot kept, this would wait for its own deadline (60 s)
            assertThat(short_.call("shop/other", Duration.ofSeconds(60), () -> "served").block(Duration.ofSeconds(20))).isEqualTo("served");
            assertThat(short_.writtenOff()).isEqualTo(1);
        } finally {
            short_.close();
        }
    }

    @Test
    void aNodeThatIsNeverIdleStillForgetsDeploymentsTheFloorHasPassed() {
        AtomicLong hog = loop("shop/hog");
        await().atMost(Duration.ofSeconds(20)).until(() -> hog.get() > 0);
        CpuGate gate = gate();
        for (int i = 0; i < 50; i++) {
            String deployment = "shop/d" + i;
            assertThat(pool.call(deployment, Duration.ofSeconds(5), () -> spinFor(Duration.ofMillis(1))).block(Duration.ofSeconds(20))).isPositive();
        }
        assertThat(gate.remembered()).isGreaterThan(2);

        await().atMost(Duration.ofSeconds(60)).until(() -> gate.remembered() <= 2); // the hog, and the probe's until the floor passes it
    }

    /** A binding whose every call says it has begun on {@code entered}, then waits for {@code release}. */
    private static Bindings blockingUntil(CountDownLatch entered, CountDownLatch release) {
        return new Bindings() {
            @Override
            public Set<String> types() {
                return Set.of("kv");
            }

            @Override
            public Reply call(Op op, String binding, byte[] first, byte[] second) {
                entered.countDown();
                awaitLatch(release);
                return Reply.ok(1);
            }
        };
    }

    private CpuGate gate() {
        return ((GuestThread) pool.call("shop/probe", Duration.ofSeconds(5), Thread::currentThread).block(Duration.ofSeconds(20))).gate();
    }

    /** A guest's busy loop of {@code deployment}, counting iterations; checks for interruption at every back-edge as the engine does. */
    private AtomicLong loop(String deployment) {
        var iterations = new AtomicLong();
        pool.submit(deployment, Duration.ofSeconds(60), () -> {
            while (!stop.get() && !Thread.currentThread().isInterrupted()) {
                iterations.incrementAndGet();
            }
        });
        return iterations;
    }

    private static long spinFor(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        long n = 0;
        while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
            n++;
        }
        return n;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
