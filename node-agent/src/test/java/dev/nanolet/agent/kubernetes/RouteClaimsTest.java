package dev.nanolet.agent.kubernetes;

import static dev.nanolet.agent.kubernetes.QuickPolls.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.control.RecordingDesiredState;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * Routes belong to a namespace on each virtual node ({@link RouteClaims}): the data plane routes by the
 * longest route above a request, so a pod of another namespace under or above a route would take its
 * traffic. The pod that has a route keeps it — through later pods, edits, deletions, relists and restarts.
 */
class RouteClaimsTest {

    private static final Duration CALL = Duration.ofSeconds(30);
    private static final ReplicaStatusReport RUNNING = new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0);
    private final MockCluster cluster = new MockCluster();
    private final RecordingDesiredState desired = new RecordingDesiredState();
    private final AtomicBoolean idle = new AtomicBoolean(true);
    private final List<AutoCloseable> agents = new ArrayList<>();
    private final List<Disposable> watches = new ArrayList<>();
    private String image;

    @AfterEach
    void close() throws Exception {
        watches.forEach(Disposable::dispose);
        for (AutoCloseable a : agents) {
            a.close();
        }
        cluster.close();
    }

    private KubernetesControlPlane agent(RecordingDesiredState into, Clock clock) {
        KubernetesControlPlane a = cluster.adapter(into, id -> idle.get(), clock);
        agents.add(a);
        a.register().block(CALL);
        return a;
    }

    private Disposable watch(KubernetesControlPlane a) {
        Disposable w = a.watch().subscribe(x -> {}, e -> {});
        watches.add(w);
        return w;
    }

    private KubernetesControlPlane started() {
        KubernetesControlPlane a = agent(desired, Clock.systemUTC());
        watch(a);
        return a;
    }

    private Pod routed(String name, String namespace, String route) {
        if (image == null) {
            image = cluster.image("hello", "hello.wasm");
        }
        return cluster.create(MockCluster.pod(name, MockCluster.NODE, image, "Always").editMetadata().withNamespace(namespace)
                .addToAnnotations(PodTranslation.ROUTE, route).endMetadata().build());
    }

    private void reroute(String namespace, String name, String route) {
        cluster.client.pods().inNamespace(namespace).withName(name).edit(p -> {
            p.getMetadata().getAnnotations().put(PodTranslation.ROUTE, route);
            return p;
        });
    }

    private boolean failed(String namespace, String name) {
        Pod p = cluster.get(namespace, name);
        return p != null && p.getStatus() != null && "Failed".equals(p.getStatus().getPhase());
    }

    /** A running pod whose route moved onto another namespace's: stopped, Failed (final) with reason RouteTaken. */
    private void awaitRefusedRouteTaken(String namespace, String name) {
        await().atMost(CALL).until(() -> failed(namespace, name));
        assertThat(cluster.get(namespace, name).getStatus().getReason()).isEqualTo("RouteTaken");
    }

    /**
     * A pod that runs nothing yet, at another namespace's route: Pending, its container waiting with reason RouteTaken
     * (never Failed: an API server refuses to move a pod out of a terminal phase, so it could not run later); the
     * waiting message.
     */
    private String awaitRouteTaken(String namespace, String name) {
        await().atMost(CALL).until(() -> {
            Pod p = cluster.get(namespace, name);
            return p != null && p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                    && p.getStatus().getContainerStatuses().stream().anyMatch(c -> c.getState().getWaiting() != null
                    && "RouteTaken".equals(c.getState().getWaiting().getReason()));
        });
        assertThat(cluster.get(namespace, name).getStatus().getPhase()).isEqualTo("Pending");
        return cluster.get(namespace, name).getStatus().getContainerStatuses().getFirst().getState().getWaiting().getMessage();
    }

    private static UUID id(Pod p) {
        return UUID.fromString(p.getMetadata().getUid());
    }

    @Test
    void aPodAtAboveOrUnderAnotherNamespacesRouteOnThisNodeWaitsAndTheFirstKeepsIt() {
        Pod shop = routed("shop", "default", "/shop");
        started();
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(shop)));

        Pod own = routed("shop-admin", "default", "/shop/admin");
        Pod under = routed("squat", "other", "/shop//admin/");
        Pod above = routed("root", "other", "/");
        Pod elsewhere = routed("blog", "other", "/shopping");

        await().atMost(CALL).until(() -> desired.desired.containsKey(id(elsewhere)) && desired.desired.containsKey(id(own)));
        assertThat(awaitRouteTaken("other", "squat"))
                .isEqualTo("route /shop/admin is under /shop, served on this node by default/shop;"
                        + " routes of different namespaces must not be prefixes of one another");
        assertThat(awaitRouteTaken("other", "root")).startsWith("route / is above /shop");
        assertThat(desired.desired).doesNotContainKeys(id(under), id(above)).containsKey(id(shop));
        await().atMost(CALL).until(() -> cluster.client.v1().events().inNamespace("other").list().getItems().stream()
                .anyMatch(e -> e.getInvolvedObject().getName().equals("squat") && e.getReason().equals("RouteTaken")));
    }

    /**
     * An agent stopped and started again: a new adapter whose desired set had saved what the first one ran, once it
     * listed the pods (it writes a refusal while it lists, and what it runs only when the list is over).
     */
    private RecordingDesiredState restart(KubernetesControlPlane first, Disposable watching) {
        watching.dispose();
        first.close();
        RecordingDesiredState after = new RecordingDesiredState();
        after.saved.addAll(desired.desired.values());
        watch(agent(after, Clock.systemUTC()));
        await().atMost(CALL).until(() -> after.snapshots.get() > 0);
        return after;
    }

    /**
     * After a restart the routes the node ran before it stopped are weighed first, as it ran them: a pod of
     * another namespace that waited for its secret (first in the new list) cannot now go under a running one.
     */
    @Test
    void aRunningPodKeepsItsRouteAcrossARestartWhateverTheListsOrder() {
        image = cluster.image("hello", "hello.wasm");
        Pod waiting = cluster.create(MockCluster.pod("x", MockCluster.NODE, image, "Always")
                .editMetadata().withNamespace("a").addToAnnotations(PodTranslation.ROUTE, "/shop/admin").endMetadata()
                .editSpec().editFirstContainer().addNewEnv().withName("K").withNewValueFrom().withNewSecretKeyRef("k", "s", false)
                .endValueFrom().endEnv().endContainer().endSpec().build());
        Pod shop = routed("shop", "b", "/shop");
        KubernetesControlPlane first = agent(desired, Clock.systemUTC());
        Disposable watching = watch(first);
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(shop)) && cluster.get("a", "x").getStatus() != null);
        first.status(id(shop), RUNNING).block(CALL); // written last: the mock lists the waiting pod first

        cluster.client.secrets().inNamespace("a").resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata()
                .addToStringData("k", "v").build()).create();
        RecordingDesiredState after = restart(first, watching);

        awaitRouteTaken("a", "x");
        assertThat(after.desired).containsKey(id(shop)).doesNotContainKey(id(waiting));
        assertThat(cluster.get("b", "shop").getStatus().getPhase()).isEqualTo("Running");
    }

    /**
     * A route annotation edited while the agent is down is a new claim: the older pod edited onto {@code /}
     * is refused after the restart, and the pod that served {@code /shop} keeps it.
     */
    @Test
    void aRouteEditedWhileTheAgentIsDownIsWeighedAsANewClaim() {
        Pod x = routed("x", "a", "/x"); // older, and first by name too
        Pod shop = routed("shop", "b", "/shop");
        KubernetesControlPlane first = agent(desired, Clock.systemUTC());
        Disposable watching = watch(first);
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(x)) && desired.desired.containsKey(id(shop)));
        first.status(id(x), RUNNING).block(CALL);
        first.status(id(shop), RUNNING).block(CALL);

        watching.dispose();
        reroute("a", "x", "/");
        RecordingDesiredState after = restart(first, watching);

        awaitRefusedRouteTaken("a", "x");
        assertThat(after.desired).containsKey(id(shop)).doesNotContainKey(id(x));
    }

    /** What the node would have run for {@code pod}: as an agent that ran it before a restart saved it. */
    private Assignment ran(Pod pod) {
        return ((PodTranslation.Run) PodTranslation.translate(pod, 1, "10.1.2.3", cluster.config())).assignment();
    }

    /** As in platform-api, a pair of routes that overlapped before the rule (an upgrade) keeps running until one moves. */
    @Test
    void routesThatOverlappedBeforeTheRuleBothKeepRunningAfterARestart() {
        Pod shop = routed("shop", "a", "/shop");
        Pod admin = routed("admin", "b", "/shop/admin");
        desired.saved.addAll(List.of(ran(shop), ran(admin)));
        started();

        await().atMost(CALL).until(() -> desired.snapshots.get() > 0);
        assertThat(desired.desired).containsKeys(id(shop), id(admin));
        assertThat(cluster.get("a", "shop").getStatus()).isNull();
        assertThat(cluster.get("b", "admin").getStatus()).isNull();
    }

    /**
     * After a restart a pod the node ran keeps its route while it cannot be weighed (the API server refusing the
     * read of its secret: it waits, saying so), so a pod of another namespace created meanwhile does not take it. Its image was edited
     * while the agent was down: a pod that kept its image keeps the env the node ran it with, and reads no secret.
     */
    @Test
    void aPodHeldBeforeARestartKeepsItsRouteWhileItCannotBeWeighed() {
        image = cluster.image("hello", "hello.wasm");
        cluster.client.secrets().inNamespace("a").resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata()
                .addToStringData("k", "v").build()).create();
        Pod shop = cluster.create(MockCluster.pod("shop", MockCluster.NODE, image, "Always")
                .editMetadata().withNamespace("a").addToAnnotations(PodTranslation.ROUTE, "/shop").endMetadata()
                .editSpec().editFirstContainer().addNewEnv().withName("K").withNewValueFrom().withNewSecretKeyRef("k", "s", false)
                .endValueFrom().endEnv().endContainer().endSpec().build());
        desired.saved.add(ran(new PodBuilder(shop).editSpec().editFirstContainer().withImage("r.example/before:v0").endContainer()
                .endSpec().build()));
        Pod squat = routed("squat", "b", "/shop/admin");
        cluster.server.expect().get().withPath("/api/v1/namespaces/a/secrets/s").andReturn(403, "{}").always();
        started();

        awaitRouteTaken("b", "squat");
        await().atMost(CALL).until(() -> desired.snapshots.get() > 0);
        assertThat(desired.desired).doesNotContainKey(id(squat));
        assertThat(desired.desired.get(id(shop)).moduleDigest()).isEqualTo("r.example/before:v0"); // not weighed: what it ran
    }

    /**
     * A running pod whose secret was deleted runs on with the env it started with ({@link StartedEnv}), through its
     * events and a relist alike: it stays Running and keeps its route.
     */
    @Test
    void aRelistKeepsARunningPodWhoseSecretWasDeleted() {
        cluster.client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata()
                .addToStringData("k", "v").build()).create();
        Pod web = cluster.create(MockCluster.pod("web", MockCluster.NODE, image = cluster.image("hello", "hello.wasm"), "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, "/web").endMetadata()
                .editSpec().editFirstContainer().addNewEnv().withName("K").withNewValueFrom().withNewSecretKeyRef("k", "s", false)
                .endValueFrom().endEnv().endContainer().endSpec().build());
        KubernetesControlPlane agent = agent(desired, Clock.systemUTC());
        Disposable watching = watch(agent);
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(web)));
        agent.status(id(web), RUNNING).block(CALL);
        cluster.client.secrets().inNamespace("default").withName("s").delete();
        await().atMost(CALL).until(() -> cluster.client.secrets().inNamespace("default").withName("s").get() == null);
        // a secret's deletion is no pod event: an edit of the pod makes the node weigh it again now, not at its resync
        cluster.touch("default", "web");
        await().during(Duration.ofSeconds(1)).atMost(CALL).until(() -> "Running".equals(cluster.get("default", "web").getStatus().getPhase())
                && cluster.get("default", "web").getStatus().getContainerStatuses().stream().allMatch(c -> c.getState().getWaiting() == null));

        watching.dispose();
        int before = desired.snapshots.get();
        watch(agent);
        await().atMost(CALL).until(() -> desired.snapshots.get() > before);
        assertThat(desired.desired).containsKey(id(web));
        Pod squat = routed("squat", "other", "/web/admin");
        awaitRouteTaken("other", "squat");
    }

    /** A pod the API server refuses a config to during a list waits, saying why; the pods after it are handled. */
    @Test
    void aPodThatCannotBeWeighedInAListDoesNotStopTheNodeFromHandlingLaterPods() {
        image = cluster.image("hello", "hello.wasm");
        cluster.create(MockCluster.pod("w", MockCluster.NODE, image, "Always")
                .editMetadata().withNamespace("b").addToAnnotations(PodTranslation.ROUTE, "/w").endMetadata()
                .editSpec().editFirstContainer().addNewEnv().withName("K").withNewValueFrom().withNewSecretKeyRef("k", "s", false)
                .endValueFrom().endEnv().endContainer().endSpec().build());
        cluster.server.expect().get().withPath("/api/v1/namespaces/b/secrets/s").andReturn(403, "{}").always();
        started();
        await().atMost(CALL).until(() -> desired.snapshots.get() > 0);

        Pod later = routed("later", "default", "/later");
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(later)));
        await().atMost(CALL).until(() -> cluster.get("b", "w").getStatus() != null);
        assertThat(cluster.get("b", "w").getStatus().getContainerStatuses().getFirst().getState().getWaiting().getMessage())
                .endsWith("needs get on secrets (403)");
    }

    /** A running pod being deleted stops (and leaves its route) even when what it waits for went first. */
    @Test
    void aRunningPodDeletedAfterItsSecretStopsAndIsDeleted() {
        cluster.client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata()
                .addToStringData("k", "v").build()).create();
        Pod web = cluster.create(MockCluster.pod("web", MockCluster.NODE, image = cluster.image("hello", "hello.wasm"), "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, "/web").addToFinalizers("nanolet.dev/test-keep").endMetadata()
                .editSpec().editFirstContainer().addNewEnv().withName("K").withNewValueFrom().withNewSecretKeyRef("k", "s", false)
                .endValueFrom().endEnv().endContainer().endSpec().build());
        KubernetesControlPlane agent = started();
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(web)));
        agent.status(id(web), RUNNING).block(CALL);

        cluster.client.secrets().inNamespace("default").withName("s").delete();
        cluster.client.pods().inNamespace("default").withName("web").withGracePeriod(30).delete();
        await().atMost(CALL).until(() -> desired.desired.get(id(web)).terminating());
        Pod squat = routed("squat", "other", "/web/admin");
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(squat)));
    }

    /**
     * A running pod whose route is edited into another namespace's is refused: it stops and stays Failed
     * (whatever its stopping replica reports), so neither it nor an agent restart takes that route.
     */
    @Test
    void aRunningPodEditedOntoAnotherNamespacesRouteStopsAndStaysFailed() {
        Pod x = routed("x", "b", "/b");
        Pod shop = routed("shop", "a", "/shop");
        KubernetesControlPlane agent = started();
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(x)) && desired.desired.containsKey(id(shop)));
        agent.status(id(x), RUNNING).block(CALL);
        agent.status(id(shop), RUNNING).block(CALL);

        reroute("b", "x", "/");
        awaitRefusedRouteTaken("b", "x");
        await().atMost(CALL).until(() -> !desired.desired.containsKey(id(x)));
        agent.status(id(x), RUNNING).block(CALL); // a report its replica sent before it stopped
        assertThat(cluster.get("b", "x").getStatus().getReason()).isEqualTo("RouteTaken");
        assertThat(desired.desired).containsKey(id(shop));
    }

    /** A pod refused for an edit no longer serves its old route, so that route is free, as its Failed status says. */
    @Test
    void aRunningPodRefusedForAnEditStopsAndItsRouteIsFree() {
        Pod shop = routed("shop", "a", "/shop");
        KubernetesControlPlane agent = started();
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(shop)));
        agent.status(id(shop), RUNNING).block(CALL);

        reroute("a", "shop", "/shop%2Fnew");
        await().atMost(CALL).until(() -> failed("a", "shop"));
        assertThat(cluster.get("a", "shop").getStatus().getReason()).isEqualTo("UnsupportedPod");
        await().atMost(CALL).until(() -> !desired.desired.containsKey(id(shop)));
        Pod next = routed("shop-2", "b", "/shop/admin");
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(next)));
    }

    /** A pod being deleted left the route table: it claims nothing, and an update while it drains never refuses it (nor deletes it early). */
    @Test
    void aDrainingPodIsNeverRefusedForTheRouteItLeft() throws InterruptedException {
        Pod web = cluster.create(MockCluster.pod("web", MockCluster.NODE, image = cluster.image("hello", "hello.wasm"), "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, "/shop").addToFinalizers("nanolet.dev/test-keep").endMetadata().build());
        KubernetesControlPlane slow = agent(desired, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-30)));
        watch(slow);
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(web)));
        slow.status(id(web), RUNNING).block(CALL);
        idle.set(false);
        cluster.client.pods().inNamespace("default").withName("web").withGracePeriod(30).delete();
        await().atMost(CALL).until(() -> desired.desired.get(id(web)).terminating());
        slow.status(id(web), new ReplicaStatusReport(ReplicaPhase.Terminating, "Stopped", "stopped", 0)).block(CALL);

        Pod squat = routed("squat", "other", "/shop/admin");
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(squat)));
        cluster.touch("default", "web");
        List<String> seen = new ArrayList<>();
        await().during(Duration.ofMillis(500)).atMost(CALL).until(() -> !cluster.deletedWithGraceZero("web", seen));
        assertThat(cluster.get("default", "web").getStatus().getReason()).isNotEqualTo("RouteTaken");
        idle.set(true);
        await().atMost(CALL).until(() -> cluster.deletedWithGraceZero("web", seen));
    }

    /** A relist after an outage forgets the pods deleted meanwhile before it weighs routes: theirs are free. */
    @Test
    void aRelistFreesTheRoutesOfPodsDeletedDuringTheOutage() {
        Pod shop = routed("shop", "a", "/shop");
        KubernetesControlPlane agent = agent(desired, Clock.systemUTC());
        Disposable watching = watch(agent);
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(shop)));
        watching.dispose();

        cluster.client.pods().inNamespace("a").withName("shop").delete();
        await().atMost(CALL).until(() -> cluster.get("a", "shop") == null);
        Pod moved = routed("shop", "b", "/shop");
        watch(agent);

        await().atMost(CALL).until(() -> desired.desired.containsKey(id(moved)));
        assertThat(desired.desired).doesNotContainKey(id(shop));
    }

    /**
     * A relist after a gap in the watch delivers the pods added meanwhile before the deletions: a pod created at a
     * route freed during the gap finds it held by the pod deleted meanwhile. It waits, Pending (not Failed: an API
     * server refuses to move a pod out of a terminal phase), and once that pod's deletion comes the pods waiting for
     * the route are weighed again, oldest first (not first by name): the oldest goes Pending to Running, the other
     * still waits.
     */
    @Test
    void podsWaitingForARouteAreWeighedAgainOldestFirstOnceItIsFree() {
        Pod shop = routed("shop", "a", "/shop");
        KubernetesControlPlane agent = started();
        await().atMost(CALL).until(() -> desired.desired.containsKey(id(shop)));
        Pod older = routed("shop", "b", "/shop");
        Instant olderCreated = Instant.parse(older.getMetadata().getCreationTimestamp());
        await().atMost(CALL).until(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(olderCreated));
        Pod younger = routed("shop", "aa", "/shop/x"); // first by namespace/name
        awaitRouteTaken("b", "shop");
        awaitRouteTaken("aa", "shop");
        await().atMost(CALL).until(() -> cluster.client.v1().events().inNamespace("aa").list().getItems().stream()
                .anyMatch(e -> e.getReason().equals("RouteTaken") && e.getType().equals("Warning")));

        cluster.client.pods().inNamespace("a").withName("shop").delete();

        await().atMost(CALL).until(() -> desired.desired.containsKey(id(older)));
        assertThat(desired.desired).doesNotContainKeys(id(shop), id(younger));
        agent.status(id(older), RUNNING).block(CALL);
        assertThat(cluster.get("b", "shop").getStatus().getPhase()).isEqualTo("Running");
        // the younger pod is weighed after the older one ran: its status says the new owner a moment later
        await().atMost(CALL).until(() -> awaitRouteTaken("aa", "shop").contains("served on this node by b/shop"));
    }
}
