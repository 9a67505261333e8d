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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * A container's env is fixed when it starts, as a kubelet fixes it ({@link StartedEnv}): a config map or secret
 * deleted or edited later leaves a running pod Running and Ready with the values it started with; a pod not started
 * yet waits for what it needs ({@code CreateContainerConfigError}) and starts once it is there; a pod created again
 * with the same spec, or restarted for a new image, resolves its env anew.
 */
class StartedEnvTest {

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private final MockCluster cluster = new MockCluster();
    private RecordingDesiredState desired = new RecordingDesiredState();
    private KubernetesControlPlane adapter = cluster.adapter(desired, id -> true);
    private Disposable watching;
    private int handled;

    @BeforeEach
    void start() {
        adapter.register().block(CALL);
        watching = adapter.watch().subscribe(x -> {}, e -> {});
    }

    /** The agent stopped and started again: a new adapter whose desired set had saved what the first one ran. */
    private void restart() {
        watching.dispose();
        adapter.close();
        RecordingDesiredState after = new RecordingDesiredState();
        after.saved.addAll(desired.desired.values());
        desired = after;
        adapter = cluster.adapter(desired, id -> true);
        start();
        await().atMost(CALL).until(() -> desired.snapshots.get() > 0);
    }

    @AfterEach
    void close() {
        watching.dispose();
        adapter.close();
        cluster.close();
    }

    private void settings(String greeting) {
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                .endMetadata().addToData("greeting", greeting).build()).createOr(c -> c.update());
    }

    private static EnvVar greeting() {
        return new EnvVarBuilder().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef("greeting", "settings", false)
                .endValueFrom().build();
    }

    /** Pod {@code name} serving {@code /name} with {@code env}. */
    private UUID pod(String name, EnvVar env) {
        Pod pod = cluster.create(MockCluster.pod(name, MockCluster.NODE, "r.example/web:v1", "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, "/" + name).endMetadata()
                .editSpec().editFirstContainer().withEnv(env).endContainer().endSpec().build());
        return UUID.fromString(pod.getMetadata().getUid());
    }

    /** Pod {@code name}, started and reported Running. */
    private UUID running(String name, EnvVar env) {
        UUID id = pod(name, env);
        await().atMost(CALL).until(() -> desired.desired.containsKey(id));
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0)).block(CALL);
        assertThat(cluster.ready(name)).isTrue();
        return id;
    }

    /**
     * Pod {@code name} is weighed again now (a config map's or secret's change is no pod event): events are handled one
     * at a time in order, so once a job created after the touch is to run, the touch was handled.
     */
    private void weighedAgain(String name) {
        cluster.touch("default", name);
        UUID after = UUID.fromString(cluster.create(MockCluster.pod("after-" + ++handled, MockCluster.NODE, "r.example/job:v1", "Never")
                .build()).getMetadata().getUid());
        await().atMost(CALL).until(() -> desired.desired.containsKey(after));
    }

    private Map<String, String> env(UUID id) {
        return desired.desired.get(id).spec().env();
    }

    /** Over a window: {@code name} stays Running and Ready, and the node runs it with {@code name}={@code value}. */
    private void keeps(String name, UUID id, String variable, String value) {
        await().during(WINDOW).atMost(CALL).until(() -> cluster.ready(name) && value.equals(env(id).get(variable)));
    }

    @Test
    void aRunningPodKeepsItsEnvAndStaysReadyWhenItsConfigMapIsDeletedOrEdited() {
        settings("hello");
        UUID web = running("web", greeting());

        cluster.client.configMaps().inNamespace("default").withName("settings").delete();
        weighedAgain("web");
        keeps("web", web, "GREETING", "hello");

        settings("bonjour");
        weighedAgain("web");
        keeps("web", web, "GREETING", "hello");
    }

    @Test
    void aRunningPodKeepsItsEnvAndStaysReadyWhenItsSecretLosesTheKey() {
        cluster.client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .addToStringData(Map.of("password", "s3cret", "user", "app")).build()).create();
        UUID web = running("web", new EnvVarBuilder().withName("DB_PASSWORD").withNewValueFrom()
                .withNewSecretKeyRef("password", "db", false).endValueFrom().build());

        cluster.client.secrets().inNamespace("default").withName("db").edit(s -> new SecretBuilder(s).withData(null)
                .withStringData(Map.of("user", "app")).build());
        weighedAgain("web");
        keeps("web", web, "DB_PASSWORD", "s3cret");
    }

    @Test
    void aPodNotStartedYetWaitsForItsConfigMapAndStartsOnceItIsThere() {
        UUID web = pod("web", greeting());
        await().atMost(CALL).until(() -> cluster.get("web").getStatus() != null);
        var waiting = cluster.get("web").getStatus().getContainerStatuses().getFirst().getState().getWaiting();
        assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting.getMessage()).isEqualTo("configmap \"settings\" not found");
        assertThat(cluster.get("web").getStatus().getPhase()).isEqualTo("Pending");
        assertThat(desired.desired).doesNotContainKey(web);

        settings("hello");
        cluster.touch("default", "web");
        await().atMost(CALL).until(() -> desired.desired.containsKey(web));
        assertThat(env(web)).containsEntry("GREETING", "hello");
    }

    /** A restart is a new start: the pod created again with the same spec, or its image edited, resolves its env anew. */
    @Test
    void aPodCreatedAgainOrGivenANewImageResolvesItsEnvAnew() {
        settings("hello");
        UUID first = running("web", greeting());
        settings("bonjour");

        cluster.client.pods().inNamespace("default").withName("web").withGracePeriod(0).delete();
        await().atMost(CALL).until(() -> !desired.desired.containsKey(first));
        UUID again = running("web", greeting());
        assertThat(env(again)).containsEntry("GREETING", "bonjour");

        settings("hola");
        cluster.client.pods().inNamespace("default").withName("web").edit(p -> {
            p.getSpec().getContainers().getFirst().setImage("r.example/web:v2");
            return p;
        });
        await().atMost(CALL).until(() -> "hola".equals(env(again).get("GREETING")));
    }

    /**
     * After an agent restart a pod the node ran before keeps the env it ran with (the saved desired set), as a
     * container outlives a kubelet's restart: its config map gone meanwhile, it does not wait (nor, while it waits, lose
     * what it runs to its own status write's event), and the config map back with other values changes nothing.
     */
    @Test
    void aPodRunFromTheSavedSetAfterARestartKeepsThatEnvWhenItsConfigMapComesBackChanged() {
        settings("hello");
        UUID web = running("web", greeting());
        cluster.client.configMaps().inNamespace("default").withName("settings").delete();

        restart();
        assertThat(env(web)).containsEntry("GREETING", "hello");
        adapter.status(web, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0)).block(CALL);

        settings("bonjour");
        weighedAgain("web");
        keeps("web", web, "GREETING", "hello");
    }
}
