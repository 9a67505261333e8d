package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.control.RecordingDesiredState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A weighing again that throws is logged and contained, as a pod change's is. */
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

        retries.after(web, () -> {
            throw new IllegalStateException("a retry's bug");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> output.getAll().contains("cannot weigh a pod again after its read: "
                + "java.lang.IllegalStateException: a retry's bug"));
        AtomicInteger weighed = new AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).until(() -> !web.readRetry);
        retries.after(web, () -> {
            weighed.incrementAndGet();
            return Optional.empty();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> weighed.get() == 1);
    }
}
