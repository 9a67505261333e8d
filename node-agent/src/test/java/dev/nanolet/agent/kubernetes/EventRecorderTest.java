package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.nanolet.agent.kubernetes.QuickPolls.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nanolet.wire.EventReport;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** An event the API server refuses is lost, but said once: a 403 for a permission the node lacks went unseen at debug. */
@ExtendWith(OutputCaptureExtension.class)
class EventRecorderTest {

    private final MockCluster cluster = new MockCluster();
    private final KubernetesClient client = cluster.unretried();
    private final EventRecorder events = new EventRecorder(client, MockCluster.NODE, Clock.systemUTC());
    private final TrackedPod web = new TrackedPod(MockCluster.pod("web", MockCluster.NODE, "r.example/a:v1", "Always").build());

    @AfterEach
    void close() {
        events.close();
        client.close();
        cluster.close();
    }

    private static long warnings(CapturedOutput output, String reason) {
        return output.getAll().lines().filter(l -> l.contains("WARN") && l.contains("cannot record event " + reason + " of pod default/web")).count();
    }

    @Test
    void aRefusalIsWarnedAboutOncePerStatusAndReasonAndAFailureStaysAtDebug(CapturedOutput output) {
        cluster.server.expect().post().withPath("/api/v1/namespaces/default/events").andReturn(403, "{}").times(5);
        cluster.server.expect().post().withPath("/api/v1/namespaces/default/events").andReturn(500, "{}").once();
        for (int i = 0; i < 3; i++) {
            events.record(web, new EventReport("Normal", "Pulling", "Pulling image"));
        }
        events.record(web, new EventReport("Warning", "BackOff", "Back-off"));
        events.record(web, new EventReport("Warning", "BackOff", "Back-off"));
        events.record(web, new EventReport("Warning", "Failed", "Error"));
        events.close();

        assertThat(warnings(output, "Pulling")).isEqualTo(1);
        assertThat(warnings(output, "BackOff")).isEqualTo(1);
        assertThat(warnings(output, "Failed")).isZero(); // a 500: the API server's failure, not a refusal
        assertThat(output.getAll()).contains("refused (").contains("further 403 refusals of Pulling events are logged at debug");
    }

    /** Refusals of ever new reasons (a data plane's events name their own) are warned about for the first 32 pairs only. */
    @Test
    void atMostThirtyTwoRefusalsAreWarnedAbout(CapturedOutput output) {
        cluster.server.expect().post().withPath("/api/v1/namespaces/default/events").andReturn(403, "{}").always();
        for (int i = 0; i <= EventRecorder.MAX_WARNED; i++) {
            events.record(web, new EventReport("Warning", "Reason" + i, "refused"));
        }
        events.close();

        assertThat(output.getAll().lines().filter(l -> l.contains("WARN") && l.contains("cannot record event Reason"))).hasSize(EventRecorder.MAX_WARNED);
    }

    /** A refusal's WARN line quotes the server's message short: it held fabric8's whole message, as long as the server made it. */
    @Test
    void aRefusalIsWarnedAboutQuotingTheServersMessageShort(CapturedOutput output) {
        String huge = "events is forbidden: " + "x".repeat(20_000);
        cluster.server.expect().post().withPath("/api/v1/namespaces/default/events").andReturn(403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                + "\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,\"message\":\"" + huge + "\"}").once();
        events.record(web, new EventReport("Normal", "Pulling", "Pulling image"));
        events.close();

        String warning = output.getAll().lines().filter(l -> l.contains("WARN") && l.contains("cannot record event Pulling")).findFirst().orElseThrow();
        assertThat(warning).contains("refused (403 " + Excerpt.of(huge) + ")").hasSizeLessThan(1000);
    }

    /**
     * A full queue drops the event recorded then, the newest, and counts it: the first is being posted (its answer
     * held), the second waits in the queue of one, the third is dropped.
     */
    @Test
    void anEventRecordedWhileTheQueueIsFullIsDroppedAndCounted() {
        cluster.silent = r -> r.startsWith("POST /api/v1/namespaces/default/events ");
        EventRecorder small = new EventRecorder(client, MockCluster.NODE, Clock.systemUTC(), 1);
        try {
            for (String reason : List.of("Pulling", "Pulled", "Started")) {
                small.record(web, new EventReport("Normal", reason, reason));
            }
            assertThat(small.dropped()).isEqualTo(1);
        } finally {
            small.close();
        }
    }

    /** Closing posts the events still waiting, then stops: one recorded after is dropped, counted, and never posted. */
    @Test
    void closingPostsTheEventsWaitingAndDropsThoseRecordedAfter() {
        for (String reason : List.of("Pulling", "Pulled", "Started")) {
            events.record(web, new EventReport("Normal", reason, reason));
        }
        events.close();
        events.record(web, new EventReport("Normal", "Killing", "after"));

        assertThat(client.v1().events().inNamespace("default").list().getItems()).extracting(e -> e.getReason())
                .containsExactlyInAnyOrder("Pulling", "Pulled", "Started");
        assertThat(events.dropped()).isEqualTo(1);
    }

    /**
     * An event the API server does not answer stops being posted when the recorder closes: close waits at most
     * {@link EventRecorder#DRAIN} for it (the server would hold it for {@link MockCluster#SILENCE}), then interrupts it,
     * and the two events waiting behind it are dropped and counted (they were dropped uncounted: seen failing, 0).
     */
    @Test
    void closingStopsAPostTheApiServerDoesNotAnswerAndCountsThoseWaiting() {
        AtomicInteger asked = new AtomicInteger();
        cluster.silent = r -> r.startsWith("POST /api/v1/namespaces/default/events ") && asked.incrementAndGet() > 0;
        for (String reason : List.of("Pulling", "Pulled", "Started")) {
            events.record(web, new EventReport("Normal", reason, reason));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> asked.get() == 1);

        assertTimeoutPreemptively(MockCluster.SILENCE.dividedBy(2), events::close);
        assertThat(events.dropped()).isEqualTo(2);
    }
}
