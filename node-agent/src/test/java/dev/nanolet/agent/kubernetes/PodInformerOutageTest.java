package dev.nanolet.agent.kubernetes;

import static dev.nanolet.agent.kubernetes.QuickPolls.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.EnvironmentBinding;
import dev.nanolet.agent.control.RecordingDesiredState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * The pods' informer stops when its first list fails (RBAC refusing list on pods, an API server down at the agent's
 * start) and the driver starts another: that outage is logged once, in one line, as the Services' informer's is.
 */
@ExtendWith(OutputCaptureExtension.class)
class PodInformerOutageTest {

    private static final Duration CALL = Duration.ofSeconds(30);

    /** A context with the agent's application.yml, and so its logging levels. */
    @Configuration(proxyBeanMethods = false)
    static class Nothing {}

    private final MockCluster cluster = new MockCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    /**
     * Seen failing before: fabric8's Reflector logged each refused first list at ERROR with a stack trace ("will stop"),
     * one for each informer the driver started, and the node's own line of the outage was never written.
     */
    @Test
    void aFirstListRefusedAgainAndAgainIsLoggedOnceInOneLineAndItsEndOnce(CapturedOutput output) {
        UUID web = UUID.fromString(cluster.create(MockCluster.pod("web", MockCluster.NODE, "r.example/a:v1", "Never").build())
                .getMetadata().getUid());
        cluster.forbidden = r -> r.startsWith("GET /api/v1/pods");
        RecordingDesiredState desired = new RecordingDesiredState();
        try (var agent = EnvironmentBinding.run(Nothing.class, Map.of()); var adapter = cluster.adapter(desired, id -> true)) {
            adapter.register().block(CALL);
            // a new informer after each failure, as the driver starts one (ControlPlaneDriver.assignments)
            Disposable watch = Flux.defer(adapter::watch).retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(50))
                    .maxBackoff(Duration.ofMillis(200))).subscribe(x -> {}, e -> {});
            try {
                List<String> seen = new ArrayList<>();
                await().atMost(CALL).until(() -> {
                    cluster.requests(seen);
                    return seen.stream().filter(r -> r.startsWith("GET /api/v1/pods")).count() >= 4;
                });
                cluster.forbidden = r -> false;
                await().atMost(CALL).until(() -> desired.desired.containsKey(web)
                        && output.getAll().contains("the pods bound to n1 are listed and watched again"));
            } finally {
                watch.dispose();
            }

            assertThat(output.getAll().lines().filter(l -> l.contains("cannot list or watch the pods bound to n1")).toList()).singleElement()
                    .satisfies(l -> assertThat(l).contains("WARN", "403", "list and watch on pods"));
            assertThat(output.getAll()).doesNotContain("will stop").doesNotContain("\tat io.fabric8");
        }
    }
}
