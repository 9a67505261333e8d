package dev.nanolet.agent.kubernetes;

import static dev.nanolet.agent.kubernetes.QuickPolls.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.control.RecordingDesiredState;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pod not started yet whose config map, secret or key is missing waits ({@code CreateContainerConfigError}) and is
 * weighed again after a back-off ({@link ReadRetries}), as a kubelet's pod worker retries a failed sync: it starts
 * within seconds of what it waits for being created ({@code kubectl apply -f dir/} or a chart creating the Deployment
 * before its ConfigMap), not at its next event or resync, which is an hour away here so that it cannot be the cause.
 * Seen failing before: the pod waited for its resync (a minute by default).
 */
class MissingConfigRetriesTest {

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration RESYNC = Duration.ofHours(1);
    private static final String SETTINGS = "/api/v1/namespaces/default/configmaps/settings";
    private final MockCluster cluster = new MockCluster();
    private final RecordingDesiredState desired = new RecordingDesiredState();
    private final KubernetesControlPlane adapter = cluster.adapter(desired, RESYNC);
    /** The requests the API server was sent, drained from its log as a test counts them. */
    private final List<String> seen = new ArrayList<>();

    @BeforeEach
    void start() {
        cluster.started(adapter);
        // listed before a pod is made: a pod of the first list may be weighed twice for it (PodInformer), which would
        // count as a read more than aPodThatWaitsIsReadNoMoreOftenThanItsBackOffAllows allows
        await().atMost(CALL).until(() -> desired.snapshots.get() > 0);
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aPodWaitingForAConfigMapNotCreatedYetRunsSoonAfterItIs() {
        UUID web = waiting(configMapKey(), "configmap \"settings\" not found", SETTINGS);

        settings(Map.of("level", "debug"));
        runs("web", web, "LEVEL", "debug");
    }

    @Test
    void aPodWaitingForAKeyRunsSoonAfterItIsAddedToItsConfigMap() {
        settings(Map.of("other", "x"));
        UUID web = waiting(configMapKey(), "couldn't find key level in configmap settings", SETTINGS);

        settings(Map.of("other", "x", "level", "debug"));
        runs("web", web, "LEVEL", "debug");
    }

    @Test
    void aPodWaitingForASecretNotCreatedYetRunsSoonAfterItIs() {
        EnvVar token = new EnvVarBuilder().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef("token", "api", false).endValueFrom().build();
        UUID web = waiting(token, "secret \"api\" not found", "/api/v1/namespaces/default/secrets/api");

        cluster.client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("api").endMetadata()
                .addToStringData("token", "s3cret").build()).create();
        runs("web", web, "TOKEN", "s3cret");
    }

    /**
     * However long it waits, a pod reads what it waits for no more often than its back-off allows: once for its creation,
     * once for its own status's change (the wait written), and once for each retry, the k-th after the sum of the first
     * k back-offs. The bound is checked against the time that passed, so a slow machine only lowers the count.
     */
    @Test
    void aPodThatWaitsIsReadNoMoreOftenThanItsBackOffAllows() {
        long start = System.nanoTime();
        pod(configMapKey());

        await().atMost(CALL).until(() -> reads(SETTINGS) >= 5);
        int reads = reads(SETTINGS);
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        assertThat(reads).as("reads of the config map in %s", waited).isLessThanOrEqualTo(2 + retriesWithin(waited));
    }

    /**
     * A pod deleted while it waits is read no more, whatever waited to retry it (at most one read already sent), and
     * its config map created then runs nothing: the retry that waited found the pod gone.
     */
    @Test
    void aPodDeletedWhileItWaitsIsNotReadAgain() {
        UUID web = waiting(configMapKey(), "configmap \"settings\" not found", SETTINGS);
        cluster.client.pods().inNamespace("default").withName("web").withGracePeriod(0).delete();
        await().atMost(CALL).until(() -> desired.removed.contains(web));
        int before = reads(SETTINGS);

        settings(Map.of("level", "debug"));
        Duration longestBackOff = ReadRetries.delay(Integer.MAX_VALUE, PodTranslation.Retry.MISSING).plusSeconds(1);
        await().during(longestBackOff).atMost(CALL.plus(longestBackOff))
                .until(() -> reads(SETTINGS) <= before + 1 && !desired.desired.containsKey(web));
    }

    private static EnvVar configMapKey() {
        return new EnvVarBuilder().withName("LEVEL").withNewValueFrom().withNewConfigMapKeyRef("level", "settings", false).endValueFrom().build();
    }

    private void settings(Map<String, String> data) {
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                .endMetadata().withData(data).build()).createOr(c -> c.update());
    }

    /** Pod web serving {@code /web} with {@code env}, by its uid. */
    private UUID pod(EnvVar env) {
        Pod pod = cluster.create(MockCluster.pod("web", MockCluster.NODE, "r.example/web:v1", "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, "/web").endMetadata()
                .editSpec().editFirstContainer().withEnv(env).endContainer().endSpec().build());
        return UUID.fromString(pod.getMetadata().getUid());
    }

    /**
     * Pod web with {@code env}, waiting in {@code CreateContainerConfigError} with {@code message}, and read ({@code path})
     * for its creation and for its status's change: what it waits for created later is not found by those.
     */
    private UUID waiting(EnvVar env, String message, String path) {
        UUID web = pod(env);
        await().atMost(CALL).until(() -> cluster.get("web").getStatus() != null);
        var waiting = cluster.get("web").getStatus().getContainerStatuses().getFirst().getState().getWaiting();
        assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting.getMessage()).isEqualTo(message);
        assertThat(cluster.get("web").getStatus().getPhase()).isEqualTo("Pending");
        await().atMost(CALL).until(() -> reads(path) >= 2);
        assertThat(desired.desired).doesNotContainKey(web);
        return web;
    }

    /** The node runs pod {@code name} with {@code variable}={@code value}, and it is Running and Ready once reported so. */
    private void runs(String name, UUID id, String variable, String value) {
        await().atMost(CALL).until(() -> desired.desired.containsKey(id));
        assertThat(desired.desired.get(id).spec().env()).containsEntry(variable, value);
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0)).block(CALL);
        await().atMost(CALL).until(() -> cluster.ready(name));
    }

    /** The GETs of {@code path} the API server was sent so far. */
    private int reads(String path) {
        try {
            cluster.requests(seen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return (int) seen.stream().filter(r -> r.startsWith("GET " + path + " ")).count();
    }

    /** How many retries can have been made within {@code waited}: the k-th comes after the first k back-offs. */
    private static int retriesWithin(Duration waited) {
        Duration sum = Duration.ZERO;
        int k = 0;
        while ((sum = sum.plus(ReadRetries.delay(k + 1, PodTranslation.Retry.MISSING))).compareTo(waited) <= 0) {
            k++;
        }
        return k;
    }
}
