package dev.nanolet.agent.kubernetes;

import static dev.nanolet.agent.kubernetes.QuickPolls.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A pod's writes off the worker: one at a time per pod and kind, the latest in place of one waiting, a failure tried again. */
@ExtendWith(OutputCaptureExtension.class)
class PodWritesTest {

    private static final Duration CALL = Duration.ofSeconds(30);
    @AutoClose("shutdownNow")
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    @AutoClose("shutdownNow")
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final PodWrites writes = new PodWrites(calls, timer);
    private final UUID pod = UUID.randomUUID();
    private final List<String> attempts = new CopyOnWriteArrayList<>();

    private PodWrites.Write write(String name, PodWrites.Result result) {
        return () -> {
            attempts.add(name);
            return result;
        };
    }

    @Test
    void theBackOffDoublesFromHalfASecondToThirtySeconds() {
        assertThat(List.of(1, 2, 3, 6, 7, 50).stream().map(PodWrites::delay).toList()).containsExactly(Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    /**
     * The failed write waits for its back-off; one put meanwhile takes its place, and the older is never written after it.
     * The timer's one thread is held until the newer write is put, so that the back-off cannot end before (under load the
     * test could otherwise be put off past its 0.5 s, and the older write tried again first).
     */
    @Test
    void aWritePutWhileAFailedOneWaitsTakesItsPlace() {
        CountDownLatch backOff = new CountDownLatch(1);
        timer.submit(() -> {
            backOff.await();
            return null;
        });
        writes.put(pod, PodWrites.Kind.STATUS, write("old", PodWrites.Result.AGAIN));
        await().atMost(CALL).until(() -> writes.retried() == 1);
        writes.put(pod, PodWrites.Kind.STATUS, write("new", PodWrites.Result.DONE));
        backOff.countDown();

        await().atMost(CALL).until(() -> attempts.contains("new"));
        assertThat(attempts).containsExactly("old", "new");
        assertThat(timer.getQueue()).as("a retry still scheduled").isEmpty();
    }

    /** While one write runs, the latest of those put after it runs next, once; another kind of the pod's writes does not wait for it. */
    @Test
    void whileAWriteRunsTheLatestPutRunsAfterItAndOtherKindsRunAtOnce() throws InterruptedException {
        CountDownLatch answer = new CountDownLatch(1);
        writes.put(pod, PodWrites.Kind.STATUS, () -> {
            attempts.add("running");
            await().atMost(CALL).until(() -> answer.getCount() == 0);
            return PodWrites.Result.DONE;
        });
        await().atMost(CALL).until(() -> attempts.contains("running"));
        writes.put(pod, PodWrites.Kind.STATUS, write("superseded", PodWrites.Result.DONE));
        writes.put(pod, PodWrites.Kind.STATUS, write("latest", PodWrites.Result.DONE));
        writes.put(pod, PodWrites.Kind.DELETE, write("delete", PodWrites.Result.DONE));
        await().atMost(CALL).until(() -> attempts.contains("delete"));
        answer.countDown();

        await().atMost(CALL).until(() -> attempts.contains("latest"));
        calls.shutdown();
        assertThat(calls.awaitTermination(CALL.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(attempts).containsExactly("running", "delete", "latest");
    }

    /** A write failing again and again is tried again until it lands; one refused for good is counted and left. */
    @Test
    void aFailingWriteIsTriedAgainUntilItLandsAndOneRefusedForGoodIsLeft() {
        List<PodWrites.Result> results = new CopyOnWriteArrayList<>(List.of(PodWrites.Result.AGAIN, PodWrites.Result.AGAIN, PodWrites.Result.DONE));
        writes.put(pod, PodWrites.Kind.STATUS, () -> {
            attempts.add("status");
            return results.removeFirst();
        });
        await().atMost(CALL).until(() -> attempts.size() == 3);
        assertThat(writes.retried()).isEqualTo(2);

        writes.put(pod, PodWrites.Kind.EPHEMERAL, write("ephemeral", PodWrites.Result.GIVEN_UP));
        await().atMost(CALL).until(() -> writes.givenUp() == 1);
        assertThat(attempts).containsExactly("status", "status", "status", "ephemeral");
        assertThat(timer.getQueue()).isEmpty();
    }

    /**
     * A run of failures is logged at its first failure, at WARN for a refusal (4xx) and at INFO for a server that
     * failed, did not answer or throttled the node (429), at DEBUG for its retries, and at INFO once it ends with the tries it took: each
     * attempt of a refused write was logged at INFO, every 30 s for as long as the pod stayed (seen failing).
     */
    @Test
    void aRunOfFailuresIsLoggedAtItsFirstFailureAndAtItsEnd(CapturedOutput output) {
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(PodWrites.class);
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            logRuns(output);
        } finally {
            logger.setLevel(null);
        }
    }

    private void logRuns(CapturedOutput output) {
        UUID refused = UUID.randomUUID();
        failing(refused, new KubernetesClientException("Forbidden", 403, null));
        await().atMost(CALL).until(() -> output.getAll().contains("the STATUS write of pod " + refused + " is done after 3 tries"));
        assertThat(lines(output, refused, "cannot make the STATUS write")).extracting(PodWritesTest::level)
                .containsExactly("WARN", "DEBUG");
        assertThat(lines(output, refused, "is done after 3 tries")).extracting(PodWritesTest::level).containsExactly("INFO");

        UUID unanswered = UUID.randomUUID();
        failing(unanswered, new KubernetesClientException("timeout", new java.net.SocketTimeoutException("timeout")));
        await().atMost(CALL).until(() -> output.getAll().contains("the STATUS write of pod " + unanswered + " is done after 3 tries"));
        assertThat(lines(output, unanswered, "cannot make the STATUS write")).extracting(PodWritesTest::level)
                .containsExactly("INFO", "DEBUG");

        UUID throttled = UUID.randomUUID(); // a 4xx, but the API server's load, not a refusal to act on
        failing(throttled, new KubernetesClientException("Too Many Requests", 429, null));
        await().atMost(CALL).until(() -> output.getAll().contains("the STATUS write of pod " + throttled + " is done after 3 tries"));
        assertThat(lines(output, throttled, "cannot make the STATUS write")).extracting(PodWritesTest::level)
                .containsExactly("INFO", "DEBUG");
    }

    /** A status write of {@code id} that throws {@code failure} twice, then lands. */
    private void failing(UUID id, RuntimeException failure) {
        AtomicInteger tries = new AtomicInteger();
        writes.put(id, PodWrites.Kind.STATUS, () -> {
            if (tries.incrementAndGet() <= 2) {
                throw failure;
            }
            return PodWrites.Result.DONE;
        });
    }

    private static List<String> lines(CapturedOutput output, UUID pod, String text) {
        return output.getAll().lines().filter(l -> l.contains(text) && l.contains(pod.toString())).toList();
    }

    private static String level(String line) {
        return java.util.stream.Stream.of("DEBUG", "INFO", "WARN", "ERROR").filter(line::contains).findFirst().orElse("?");
    }

    /**
     * The agent stopping: a back-off that ends once the writes' executor is shut runs no attempt and throws nothing on
     * the timer, and a write put after runs none either.
     */
    @Test
    void aBackOffEndingAfterTheExecutorIsShutAndAWritePutAfterRunNothing() {
        writes.put(pod, PodWrites.Kind.STATUS, write("failed", PodWrites.Result.AGAIN));
        await().atMost(CALL).until(() -> writes.retried() == 1);
        calls.shutdownNow();

        await().atMost(CALL).until(() -> timer.getCompletedTaskCount() == 1);
        writes.put(UUID.randomUUID(), PodWrites.Kind.STATUS, write("after", PodWrites.Result.DONE));

        assertThat(attempts).containsExactly("failed");
    }

    /** A write that fails once the timer is shut is not scheduled again, and its caller is not thrown at. */
    @Test
    void aWriteFailingOnceTheTimerIsShutIsNotTriedAgain() {
        timer.shutdownNow();
        PodWrites inline = new PodWrites(Runnable::run, timer);

        inline.put(pod, PodWrites.Kind.DELETE, write("failed", PodWrites.Result.AGAIN));

        assertThat(attempts).containsExactly("failed");
        assertThat(inline.retried()).isEqualTo(1);
    }
}
