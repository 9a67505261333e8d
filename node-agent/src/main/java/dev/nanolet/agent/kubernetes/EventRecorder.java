package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.EventReport;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a pod's events ({@link PodEvents}) as this node, off the caller's thread: {@link #record} only queues the
 * event, and one thread of its own posts the queue's events one after the other, as a kubelet's event broadcaster does,
 * so that the adapter's worker never waits for the API server to take one. At most {@value #QUEUED} wait; one recorded
 * while that many wait is dropped and counted ({@link #dropped}), the newest, as client-go's broadcaster drops what
 * comes to a full queue: the events already waiting are the older ones of a burst, which tell how it began.
 * {@link #close} posts those still waiting for up to {@link #DRAIN}, then stops. An event the API server does not take is lost. One it
 * refuses (a 4xx but a 429: a 403 for a permission the node lacks, a 422 of its validation) is logged at WARN, quoting
 * the first characters of what the server said, the first time for its status and the event's reason, at most
 * {@value #MAX_WARNED} such pairs per agent, and at debug after that, as is any other failure (a 5xx, a 429 or no
 * answer past the client's own retries, {@link BriefRetries}).
 */
final class EventRecorder {

    static final int MAX_WARNED = 32;
    /** The events waiting to be posted, at most: client-go's broadcaster's queue. */
    static final int QUEUED = 1000;
    /** How long {@link #close} lets the events still waiting be posted. */
    static final Duration DRAIN = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    /** The refusals warned about, by status and event reason. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor posts;

    EventRecorder(KubernetesClient client, String nodeName, Clock clock) {
        this(client, nodeName, clock, QUEUED);
    }

    /** @param queued the events waiting to be posted, at most */
    EventRecorder(KubernetesClient client, String nodeName, Clock clock, int queued) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
        this.posts = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queued),
                Thread.ofVirtual().name("nanolet-events").factory(), (event, executor) -> dropped.incrementAndGet());
    }

    void record(TrackedPod t, EventReport report) {
        create(PodEvents.of(t.pod, report, nodeName, clock.instant()));
    }

    /** An event about the part of the pod {@code fieldPath} names, not its container: an ephemeral container's, say. */
    void record(TrackedPod t, EventReport report, String fieldPath) {
        create(PodEvents.of(t.pod, report, nodeName, clock.instant(), fieldPath));
    }

    /** Events dropped: recorded while {@value #QUEUED} waited, still waiting when {@link #close} gave up, or recorded after. */
    long dropped() {
        return dropped.get();
    }

    /**
     * Posts the events still waiting for up to {@link #DRAIN}, then stops: the one being posted is interrupted, and those
     * still waiting then are dropped, as is an event recorded after.
     */
    void close() {
        posts.shutdown();
        try {
            if (!posts.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                stop();
            }
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
        }
    }

    /** Interrupts the post in flight and drops the events still waiting. */
    private void stop() {
        dropped.addAndGet(posts.shutdownNow().size());
    }

    private static boolean refused(int code) {
        return code >= 400 && code < 500 && code != 429;
    }

    /**
     * What the API server said, by its {@link Excerpt}: fabric8's message holds the whole answer (URL, message and
     * status again), as long as the server made it, on a WARN line.
     */
    private static String said(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return e.getCode() + " " + Excerpt.of(message);
    }

    private void create(Event event) {
        posts.execute(() -> post(event));
    }

    private void post(Event event) {
        String pod = event.getInvolvedObject().getNamespace() + "/" + event.getInvolvedObject().getName();
        try {
            client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            String key = e.getCode() + " " + event.getReason();
            if (refused(e.getCode()) && warned.size() < MAX_WARNED && warned.add(key)) {
                log.warn("cannot record event {} of pod {}: refused ({}); further {} refusals of {} events are logged at debug",
                        event.getReason(), pod, said(e), e.getCode(), event.getReason());
            } else {
                log.debug("cannot record event {} of pod {}: {}", event.getReason(), pod, e.getMessage());
            }
        }
    }
}
