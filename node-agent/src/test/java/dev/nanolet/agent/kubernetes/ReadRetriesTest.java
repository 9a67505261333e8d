package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.control.RecordingDesiredState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The back-offs of a pod that waits, and a weighing again that throws logged and contained, as a pod change's is. */
@ExtendWith(OutputCaptureExtension.class)
class ReadRetriesTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ReadRetries retries = new ReadRetries(timer, Runnable::run, new RecordingDesiredState());
    private final TrackedPod web = new TrackedPod(MockCluster.pod("web", MockCluster.NODE, "r.example/a:v1", "Never").build());

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /**
     * Seen failing before: the exception left the worker's task (here, the caller) unlogged by the node, where a pod
     * change's is logged, and a throwing retry after its back-off was dropped silently in the timer.
     */
    @Test
    void aWeighingThatThrowsIsLoggedAndTheNextRetryOfThePodStillRuns(CapturedOutput output) {
        retries.now(() -> {
            throw new IllegalStateException("a weighing's bug");
        });
        assertThat(output.getAll()).contains("cannot weigh a pod again after its read: java.lang.IllegalStateException: a weighing's bug");

        retries.after(web, PodTranslation.Retry.UNREAD, () -> {
            throw new IllegalStateException("a retry's bug");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> output.getAll().contains("cannot weigh a pod again after its read: "
                + "java.lang.IllegalStateException: a retry's bug"));
        AtomicInteger weighed = new AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).until(() -> !web.readRetry);
        retries.after(web, PodTranslation.Retry.UNREAD, () -> {
            weighed.incrementAndGet();
            return Optional.empty();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> weighed.get() == 1);
    }

    /**
     * A missing config map, secret or key is retried after 1 s doubling up to 10 s, as a kubelet's pod worker retries a
     * failed sync; a read the API server failed up to 30 s, not to load a failing API server. Seen failing before: a
     * missing one was not retried at all.
     */
    @Test
    void aMissingConfigIsRetriedUpToTenSecondsAndAFailedReadUpToThirty() {
        assertThat(IntStream.rangeClosed(1, 7).mapToObj(n -> ReadRetries.delay(n, PodTranslation.Retry.MISSING).toSeconds()))
                .containsExactly(1L, 2L, 4L, 8L, 10L, 10L, 10L);
        assertThat(IntStream.rangeClosed(1, 7).mapToObj(n -> ReadRetries.delay(n, PodTranslation.Retry.UNREAD).toSeconds()))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
    }
}
