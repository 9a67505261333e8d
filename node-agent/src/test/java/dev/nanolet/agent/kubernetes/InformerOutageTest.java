package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** An informer's outages, each logged once, and what is tried again. */
@ExtendWith(OutputCaptureExtension.class)
class InformerOutageTest {

    private final AtomicReference<String> version = new AtomicReference<>("7");
    private final KubernetesClientException refused = new KubernetesClientException("Forbidden", 403, null);

    private InformerOutage services() {
        return new InformerOutage("the cluster's Services", "list and watch on services", true, version::get, e -> {});
    }

    private static List<String> lines(CapturedOutput output) {
        return output.getAll().lines().filter(l -> l.contains("the cluster's Services")).toList();
    }

    /**
     * A relist that finds every Service as it was tells the informer's handlers nothing: the outage's end went unheard,
     * and the next outage, its first line taken for a retry of the last, was not logged at all (seen failing: one WARN).
     */
    @Test
    void anOutageThatEndedUnheardIsLoggedEndedWhenTheNextOneBeginsAndTheNextOneIsLogged(CapturedOutput output) {
        InformerOutage outage = services();
        outage.retryAfterException(true, refused);
        outage.retryAfterException(true, refused);
        version.set("9"); // listed again, nothing changed: no event
        outage.retryAfterException(true, refused);
        outage.retryAfterException(true, refused);

        assertThat(lines(output)).hasSize(3).satisfiesExactly(
                l -> assertThat(l).contains("WARN", "cannot list or watch the cluster's Services", "Forbidden"),
                l -> assertThat(l).contains("INFO", "the cluster's Services are listed and watched again"),
                l -> assertThat(l).contains("WARN", "cannot list or watch the cluster's Services"));
    }

    /**
     * The pods' informer stops on a closed watch or a failed first list, and the driver starts another, which has listed
     * nothing yet (no resource version): its failures go on the outage its forerunner began, rather than end it as if
     * it had listed (seen failing: "listed and watched again" logged while nothing was, and the outage logged twice).
     */
    @Test
    void aNewInformerThatFailsBeforeItListedGoesOnWithTheOutage(CapturedOutput output) {
        InformerOutage pods = new InformerOutage("the pods bound to n1", "list and watch on pods", false, version::get, e -> {});
        pods.retryAfterException(true, new WatcherException("watch closed"));
        version.set(null); // the driver's next informer, whose first list fails
        pods.retryAfterException(false, refused);
        pods.retryAfterException(false, refused);

        assertThat(output.getAll().lines().filter(l -> l.contains("the pods bound to n1")).toList()).singleElement()
                .asString().contains("WARN", "cannot list or watch the pods bound to n1");
    }

    /**
     * The WARN names the permission the node needs only when the API server refused it (403), and says the credentials
     * were not taken for a 401: a timeout or a 5xx is no matter of RBAC, and an operator told "the node needs list and
     * watch" for an API server that was down looked for a permission that was there (seen failing: every failure named it).
     */
    @Test
    void theWarningNamesAPermissionOnlyForARefusal(CapturedOutput output) {
        List<Throwable> failures = List.of(refused, new WatcherException("watch refused", refused),
                new KubernetesClientException("Unauthorized", 401, null),
                new KubernetesClientException("Internal Server Error", 500, null),
                new KubernetesClientException("connect timed out", new java.net.SocketTimeoutException("connect timed out")));
        for (Throwable failure : failures) {
            InformerOutage outage = services();
            outage.retryAfterException(true, failure);
            outage.listed();
        }

        assertThat(lines(output).stream().filter(l -> l.contains("WARN")).toList()).satisfiesExactly(
                l -> assertThat(l).contains("Forbidden (the node agent's service account needs list and watch on services); trying again"),
                l -> assertThat(l).contains("Forbidden (the node agent's service account needs list and watch on services); trying again"),
                l -> assertThat(l).contains("Unauthorized (the API server did not take the node agent's credentials); trying again"),
                l -> assertThat(l).contains("Internal Server Error; trying again").doesNotContain("needs", "credentials"),
                l -> assertThat(l).contains("connect timed out; trying again").doesNotContain("needs", "credentials"));
    }

    @Test
    void anOutageEndsOnceAtTheFirstChangeHeard(CapturedOutput output) {
        InformerOutage outage = services();
        outage.retryAfterException(false, refused);
        outage.listed();
        outage.listed();

        assertThat(lines(output)).hasSize(2).last().asString().contains("INFO", "listed and watched again");
    }

    /**
     * The Services' informer is tried again whatever failed, a watch fabric8 closed among them, as before the outage's
     * log: with fabric8's default it stopped there, and the node read Services frozen at that moment for as long as it
     * ran (seen failing). The pods' informer keeps fabric8's default: it stops, and the driver starts another.
     */
    @Test
    void theServicesInformerIsTriedAgainWhateverFailedThePodsOnlyOnceStartedAndNotForAClosedWatch() {
        WatcherException closed = new WatcherException("watch closed");
        assertThat(services().retryAfterException(true, closed)).isTrue();
        assertThat(services().retryAfterException(false, refused)).isTrue();

        InformerOutage pods = new InformerOutage("the pods bound to n1", "list and watch on pods", false, version::get, e -> {});
        assertThat(pods.retryAfterException(true, closed)).isFalse();
        assertThat(pods.retryAfterException(false, refused)).isFalse();
        assertThat(pods.retryAfterException(true, refused)).isTrue();
    }
}
