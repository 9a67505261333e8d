package dev.nanolet.agent.kubernetes;

import static dev.nanolet.agent.kubernetes.QuickPolls.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nanolet.agent.control.RecordingDesiredState;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.oci.OciPullException;
import dev.nanolet.testsupport.registry.LocalRegistry;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Preconditions;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/** What only the Kubernetes adapter does: the Node and Lease objects, refused pods, deletion, pull secrets and retries. */
class KubernetesAdapterTest {

    private static final Duration CALL = Duration.ofSeconds(30);
    private final MockCluster cluster = new MockCluster();
    private final RecordingDesiredState desired = new RecordingDesiredState();
    private final AtomicBoolean idle = new AtomicBoolean(true);
    private final KubernetesControlPlane adapter = cluster.adapter(desired, id -> idle.get());
    private Disposable watching;

    @AfterEach
    void close() {
        if (watching != null) {
            watching.dispose();
        }
        adapter.close();
        cluster.close();
    }

    private void start() {
        adapter.register().block(CALL);
        watching = adapter.watch().subscribe(x -> {}, e -> {});
    }

    private Map<String, String> conditions() {
        Node n = cluster.client.nodes().withName(MockCluster.NODE).get();
        return n.getStatus().getConditions().stream().collect(Collectors.toMap(NodeCondition::getType, NodeCondition::getStatus));
    }

    @Test
    void theNodeCarriesTheWasmLabelsTaintCapacityAddressesAndConditionsAndGoesNotReadyWhenItLeaves() {
        adapter.register().block(CALL);

        Node n = cluster.client.nodes().withName(MockCluster.NODE).get();
        assertThat(n.getMetadata().getLabels()).containsAllEntriesOf(Map.of("kubernetes.io/arch", "wasm32-wasi",
                "kubernetes.io/os", "wasi", "type", "virtual-kubelet", "kubernetes.io/hostname", "n1", "team", "wasm"));
        assertThat(n.getSpec().getTaints()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("kubernetes.io/arch");
            assertThat(t.getValue()).isEqualTo("wasm32-wasi");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(n.getStatus().getCapacity().get("pods").getAmount()).isEqualTo("10");
        assertThat(n.getStatus().getAllocatable().get("memory").toString()).isEqualTo("512Mi");
        assertThat(n.getStatus().getAddresses()).anySatisfy(a -> {
            assertThat(a.getType()).isEqualTo("InternalIP");
            assertThat(a.getAddress()).isEqualTo("10.1.2.3");
        });
        assertThat(n.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
        assertThat(conditions()).containsExactlyInAnyOrderEntriesOf(Map.of("Ready", "True", "MemoryPressure", "False",
                "DiskPressure", "False", "PIDPressure", "False", "NetworkUnavailable", "False"));

        adapter.leave().block(CALL);
        assertThat(conditions()).containsEntry("Ready", "False");
        adapter.renewLease(new NodeUsage(List.of())).block(CALL);
        assertThat(conditions()).as("a renewal after leaving is ready again").containsEntry("Ready", "True");
    }

    @Test
    void theLeaseIsOwnedByTheNodeAndRenewedAtAQuarterOfItsDuration() {
        adapter.register().block(CALL);
        var lease = cluster.client.leases().inNamespace("kube-node-lease").withName(MockCluster.NODE).get();
        String nodeUid = cluster.client.nodes().withName(MockCluster.NODE).get().getMetadata().getUid();

        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("n1");
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(4);
        assertThat(lease.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Node");
            assertThat(o.getUid()).isEqualTo(nodeUid);
        });
        assertThat(adapter.leaseRenewInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aDeletedNodeIsRegisteredAgainOnTheNextRenewal() {
        adapter.register().block(CALL);
        cluster.client.nodes().withName(MockCluster.NODE).delete();
        await().atMost(CALL).until(() -> cluster.client.nodes().withName(MockCluster.NODE).get() == null);

        adapter.renewLease(new NodeUsage(List.of())).block(CALL);
        assertThat(cluster.client.nodes().withName(MockCluster.NODE).get()).isNotNull();
    }

    /**
     * The node lists and watches its pods by {@code spec.nodeName}, as a kubelet does; it checks the node name itself
     * too, so an API server that ignores the selector (and sends every pod, by the list and by the watch) makes it run
     * no other node's pod either.
     */
    @ParameterizedTest(name = "the API server ignores the field selector: {0}")
    @ValueSource(booleans = {false, true})
    void onlyPodsBoundToThisNodeAreRunAndAnUnsupportedOneFailsWithAReasonAndAnEvent(boolean selectorIgnored) {
        cluster.nodeNames.ignored = selectorIgnored;
        String image = cluster.image("job", "job.wasm");
        Pod mine = cluster.create(MockCluster.pod("mine", "n1", image, "Never").build());
        cluster.create(MockCluster.pod("theirs", "n2", image, "Never").build());
        cluster.create(MockCluster.pod("sidecar", "n1", image, "Never").editSpec().addNewContainer().withName("envoy")
                .withImage("envoy").endContainer().endSpec().build());
        start();

        await().atMost(CALL).until(() -> desired.desired.containsKey(UUID.fromString(mine.getMetadata().getUid())));
        await().atMost(CALL).until(() -> cluster.get("sidecar").getStatus() != null && "Failed".equals(cluster.get("sidecar").getStatus().getPhase()));
        cluster.create(MockCluster.pod("theirs-later", "n2", image, "Never").build());
        Pod later = cluster.create(MockCluster.pod("mine-later", "n1", image, "Never").build()); // handled after theirs-later
        await().atMost(CALL).until(() -> desired.desired.containsKey(UUID.fromString(later.getMetadata().getUid())));
        assertThat(desired.desired).hasSize(2);
        assertThat(cluster.get("sidecar").getStatus().getReason()).isEqualTo("UnsupportedPod");
        assertThat(cluster.get("sidecar").getStatus().getMessage()).contains("exactly one container");
        assertThat(cluster.get("theirs").getStatus()).isNull();
        assertThat(cluster.get("theirs-later").getStatus()).isNull();
        await().atMost(CALL).until(() -> cluster.client.v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(e -> e.getInvolvedObject().getName().equals("sidecar") && e.getReason().equals("UnsupportedPod")));
        assertThat(cluster.client.v1().events().inNamespace("default").list().getItems())
                .noneMatch(e -> e.getInvolvedObject().getName().startsWith("theirs"));
    }

    /**
     * A kubelet's list and watch: every list and watch of pods the node asks carries {@code spec.nodeName=n1}, so that
     * in a large cluster the node neither holds nor hears of the pods of other nodes. Listing every pod and filtering
     * them here made each node's informer hold, and each node hear every change of, every pod of the cluster.
     */
    @Test
    void theNodeListsAndWatchesOnlyThePodsBoundToIt() throws InterruptedException {
        String image = cluster.image("job", "job.wasm");
        Pod mine = cluster.create(MockCluster.pod("mine", "n1", image, "Never").build());
        start();
        await().atMost(CALL).until(() -> desired.desired.containsKey(UUID.fromString(mine.getMetadata().getUid())));

        List<String> seen = new ArrayList<>();
        cluster.requests(seen);
        List<String> pods = seen.stream().filter(r -> Rbac.of(r).equals("pods list") || Rbac.of(r).equals("pods watch")).toList();
        assertThat(pods).extracting(Rbac::of).contains("pods list", "pods watch");
        assertThat(pods).allMatch(r -> r.split(" ")[1].contains("fieldSelector=spec.nodeName%3Dn1"), "selects spec.nodeName=n1");
    }

    /**
     * A refusal quotes a pod's own text (here a 256 KiB timeout annotation, as an API server takes it) by its first 64
     * characters: written whole, it was copied into the pod's status and a Warning event on every evaluation.
     */
    @Test
    void aRefusalQuotesAHugeAnnotationByItsFirstCharactersInStatusAndEvent() {
        cluster.create(MockCluster.pod("huge", "n1", "r.example/job:v1", "Never")
                .editMetadata().addToAnnotations(PodTranslation.TIMEOUT, "9".repeat(256 * 1024)).endMetadata().build());
        start();

        await().atMost(CALL).until(() -> cluster.get("huge").getStatus() != null && "Failed".equals(cluster.get("huge").getStatus().getPhase()));
        String shown = "annotation " + PodTranslation.TIMEOUT + " '" + "9".repeat(64) + "… (262144 characters)' is not between 1ms and 1h";
        assertThat(cluster.get("huge").getStatus().getMessage()).isEqualTo(shown);
        await().atMost(CALL).untilAsserted(() -> assertThat(cluster.client.v1().events().inNamespace("default").list().getItems())
                .filteredOn(e -> e.getInvolvedObject().getName().equals("huge"))
                .singleElement().satisfies(e -> assertThat(e.getMessage()).isEqualTo(shown)));
    }

    /**
     * A pod kept by a finalizer (the finalizer keeps the pod on the CRUD mock and on a real API server alike, so the
     * test can see what the node does), running on {@code node}, then deleted gracefully.
     */
    private UUID runningThenDeleted(KubernetesControlPlane node) {
        Pod pod = cluster.create(MockCluster.pod("web", "n1", cluster.image("web", "hello.wasm"), "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, "/web").addToFinalizers("nanolet.dev/test-keep").endMetadata().build());
        UUID id = UUID.fromString(pod.getMetadata().getUid());
        node.register().block(CALL);
        watching = node.watch().subscribe(x -> {}, e -> {});
        await().atMost(CALL).until(() -> desired.desired.containsKey(id));
        node.status(id, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0)).block(CALL);
        cluster.client.pods().inNamespace("default").withName("web").withGracePeriod(30).delete();
        await().atMost(CALL).until(() -> desired.desired.get(id).terminating());
        return id;
    }

    /**
     * A graceful delete: the replica is stopped and, once no request is in flight, the node deletes the pod with
     * grace 0. The adapter's clock runs 30 s behind so that the grace period has not run out (the mock sets
     * deletionTimestamp to now instead of now + grace).
     */
    @Test
    void aPodBeingDeletedIsStoppedDrainedAndThenDeletedWithGraceZero() {
        var behind = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofSeconds(-30));
        var slow = cluster.adapter(desired, id -> idle.get(), behind);
        idle.set(false);
        UUID id = runningThenDeleted(slow);
        slow.status(id, new ReplicaStatusReport(ReplicaPhase.Terminating, "Stopped", "stopped", 0)).block(CALL);
        List<String> seen = new ArrayList<>();
        await().during(Duration.ofMillis(500)).atMost(CALL).until(() -> !cluster.deletedWithGraceZero("web", seen));

        idle.set(true);
        await().atMost(CALL).until(() -> cluster.deletedWithGraceZero("web", seen));
        slow.close();
    }

    /** The node's DELETEs (grace period 0) so far, each of which names the pod's uid as a precondition. */
    private List<DeleteOptions> byTheNode(UUID id, List<String> seen) throws InterruptedException {
        List<DeleteOptions> node = cluster.deletions("web", seen).stream().filter(o -> Long.valueOf(0).equals(o.getGracePeriodSeconds())).toList();
        assertThat(node).allSatisfy(o -> assertThat(o.getPreconditions()).extracting(Preconditions::getUid).isEqualTo(id.toString()));
        return node;
    }

    /**
     * The node deletes a pod only if it is still the pod it ran: the DELETE carries the pod's uid as a precondition,
     * so a pod a controller created again under the same name is not deleted. The CRUD mock ignores preconditions,
     * so the test reads the DELETE's options as the API server received them.
     */
    @Test
    void theNodeDeletesAPodWithItsUidAsAPrecondition() {
        UUID id = runningThenDeleted(adapter);
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Terminating, "Stopped", "stopped", 0)).block(CALL);

        List<String> seen = new ArrayList<>();
        await().atMost(CALL).untilAsserted(() -> assertThat(byTheNode(id, seen)).isNotEmpty());
    }

    /** That raw DELETE goes through the client's retries as fabric8's {@code delete()} did: a 500 does not strand the pod. */
    @Test
    void aDeleteTheApiServerFailedIsTriedAgain() {
        UUID id = runningThenDeleted(adapter);
        cluster.server.expect().delete().withPath("/api/v1/namespaces/default/pods/web").andReturn(500, "{}").once();
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Terminating, "Stopped", "stopped", 0)).block(CALL);

        List<String> seen = new ArrayList<>();
        await().atMost(CALL).untilAsserted(() -> assertThat(byTheNode(id, seen)).hasSizeGreaterThanOrEqualTo(2));
    }

    /** Pod {@code id} drained, and the node's delete answered {@code code} once; the requests seen so far. */
    private List<String> deletedOnceAnswering(UUID id, int code, String body) {
        cluster.server.expect().delete().withPath("/api/v1/namespaces/default/pods/web").andReturn(code, body).once();
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Terminating, "Stopped", "stopped", 0)).block(CALL);
        List<String> seen = new ArrayList<>();
        await().atMost(CALL).untilAsserted(() -> assertThat(byTheNode(id, seen)).hasSize(1));
        return seen;
    }

    /**
     * A delete after the drain that failed after the client's own retries (a 403, which it does not retry) is sent
     * again on the pod's next event: the pod does not stay Terminating with nothing left to delete it.
     */
    @Test
    void aDeleteAfterTheDrainThatFailedIsSentAgainOnThePodsNextEvent() {
        UUID id = runningThenDeleted(adapter);
        List<String> seen = deletedOnceAnswering(id, 403, "{}");

        cluster.touch("default", "web");
        await().atMost(CALL).untilAsserted(() -> assertThat(byTheNode(id, seen)).hasSize(2));
    }

    /**
     * A 409 (another pod has the name now) leaves nothing to delete: the node does not send its delete again. Events
     * are handled one at a time in order, so once a pod created after the touch runs, the touch was handled.
     */
    @Test
    void aDeleteThatFoundThePodReplacedIsNotSentAgain() throws InterruptedException {
        UUID id = runningThenDeleted(adapter);
        List<String> seen = deletedOnceAnswering(id, 409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\"}");

        cluster.touch("default", "web");
        UUID after = UUID.fromString(cluster.create(MockCluster.pod("after", "n1", "r.example/a:v1", "Never").build()).getMetadata().getUid());
        await().atMost(CALL).until(() -> desired.desired.containsKey(after));
        assertThat(byTheNode(id, seen)).hasSize(1);
    }

    @Test
    void aFailedPullIsRetriedWithANewRevisionAndAPrivateImageIsPulledWithItsPullSecret() {
        try (LocalRegistry locked = LocalRegistry.withBasicAuth("ci", "pw")) {
            locked.pushWasm("private", "v1", Fixtures.bytes("hello.wasm"));
            String image = locked.host() + "/private:v1";
            Pod pod = cluster.create(MockCluster.pod("private", "n1", image, "Never").build());
            UUID id = UUID.fromString(pod.getMetadata().getUid());
            start();
            await().atMost(CALL).until(() -> desired.desired.containsKey(id));

            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> adapter.fetch(id, image))).hasMessageContaining("credentials");
            adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Failed, "ModuleFetchFailed", "cannot fetch: pull access denied", 0))
                    .block(CALL);
            assertThat(cluster.get("private").getStatus().getContainerStatuses().getFirst().getState().getWaiting().getReason())
                    .isEqualTo("ErrImagePull");
            await().atMost(CALL).until(() -> desired.desired.get(id).revision() == 2);

            pullSecret("default", locked.dockerConfigJson());
            cluster.client.pods().inNamespace("default").withName("private").edit(p -> {
                p.getSpec().setImagePullSecrets(List.of(new io.fabric8.kubernetes.api.model.LocalObjectReference("pull")));
                return p;
            });
            // refused as before until the node has the pod's edit
            await().atMost(CALL).ignoreExceptionsInstanceOf(dev.nanolet.oci.OciPullException.class)
                    .untilAsserted(() -> assertThat(adapter.fetch(id, image)).isEqualTo(Fixtures.bytes("hello.wasm")));
        }
    }

    /** Secret {@code pull} of {@code namespace}, a docker config. */
    private void pullSecret(String namespace, String dockerConfigJson) {
        String config = Base64.getEncoder().encodeToString(dockerConfigJson.getBytes(StandardCharsets.UTF_8));
        cluster.client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("pull").endMetadata()
                .withType("kubernetes.io/dockerconfigjson").addToData(".dockerconfigjson", config).build()).create();
    }

    /** Pod {@code name} of {@code namespace} on this node running {@code image} (IfNotPresent), with pull secret {@code pull} if {@code secret}. */
    private UUID imagePod(String namespace, String name, String image, boolean secret) {
        return imagePod(namespace, name, image, secret, "IfNotPresent");
    }

    private UUID imagePod(String namespace, String name, String image, boolean secret, String pullPolicy) {
        Pod pod = MockCluster.pod(name, "n1", image, "Never").editMetadata().withNamespace(namespace).endMetadata()
                .editSpec().editFirstContainer().withImagePullPolicy(pullPolicy).endContainer().endSpec().build();
        if (secret) {
            pod.getSpec().setImagePullSecrets(List.of(new io.fabric8.kubernetes.api.model.LocalObjectReference("pull")));
        }
        return UUID.fromString(cluster.create(pod).getMetadata().getUid());
    }

    private void deniedPull(UUID pod, String image) {
        deniedPull(pod, image, OciPullException.Kind.UNAUTHORIZED);
    }

    private void deniedPull(UUID pod, String image, OciPullException.Kind kind) {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> adapter.fetch(pod, image)))
                .isInstanceOfSatisfying(OciPullException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    /**
     * The node's module cache is shared, pull secrets are not: namespace b's pods that name namespace a's private image
     * (one with no pull secret, one whose secret is another account's, one that may only take the node's cache) get
     * it neither through a's pull nor from what a's pull left on the node, in whichever order they are created and
     * pull; they fail as a denied pull does. A second pod of a with a's secret has it too.
     */
    private void onlyThePodsWithTheSecretGetAPrivateImage(boolean ownerFirst) {
        try (LocalRegistry locked = LocalRegistry.withBasicAuth("ci", "pw")) {
            locked.pushWasm("private", "v1", Fixtures.bytes("hello.wasm"));
            String image = locked.host() + "/private:v1";
            pullSecret("a", locked.dockerConfigJson());
            pullSecret("b", "{\"auths\":{\"" + locked.host() + "\":{\"username\":\"ci\",\"password\":\"guessed\"}}}");
            UUID anonymous = ownerFirst ? null : imagePod("b", "anonymous", image, false);
            UUID owner = imagePod("a", "owner", image, true);
            UUID sibling = imagePod("a", "sibling", image, true);
            anonymous = ownerFirst ? imagePod("b", "anonymous", image, false) : anonymous;
            UUID wrong = imagePod("b", "wrong", image, true);
            UUID never = imagePod("b", "never", image, false, "Never");
            List<UUID> all = List.of(owner, sibling, anonymous, wrong, never);
            start();
            await().atMost(CALL).until(() -> desired.desired.keySet().containsAll(all));

            if (!ownerFirst) {
                deniedPull(anonymous, image);
                deniedPull(wrong, image);
            }
            assertThat(adapter.fetch(owner, image)).isEqualTo(Fixtures.bytes("hello.wasm"));
            deniedPull(anonymous, image);
            deniedPull(wrong, image);
            deniedPull(never, image, OciPullException.Kind.NOT_PRESENT);
            assertThat(adapter.fetch(sibling, image)).isEqualTo(Fixtures.bytes("hello.wasm"));
        }
    }

    @Test
    void aPrivateImageOnTheNodeIsOnlyForThePodsWithItsPullSecretWhenTheyPullFirst() {
        onlyThePodsWithTheSecretGetAPrivateImage(true);
    }

    @Test
    void aPrivateImageOnTheNodeIsOnlyForThePodsWithItsPullSecretWhenOthersTryFirst() {
        onlyThePodsWithTheSecretGetAPrivateImage(false);
    }

    /** An HTTP pod's env that the node sets per request (CGI) is told once as a Warning naming it, not on every event. */
    @Test
    void anEnvTheNodeSetsPerRequestIsWarnedAboutOnce() {
        Pod web = cluster.create(MockCluster.pod("web", MockCluster.NODE, "r.example/a:v1", "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, "/web").endMetadata()
                .editSpec().editFirstContainer().addNewEnv().withName("REQUEST_METHOD").withValue("GET").endEnv()
                    .addNewEnv().withName("HTTP_X_TOKEN").withValue("t").endEnv()
                    .addNewEnv().withName("PLAIN").withValue("p").endEnv().endContainer().endSpec().build());
        start();
        await().atMost(CALL).until(() -> desired.desired.containsKey(UUID.fromString(web.getMetadata().getUid())));
        cluster.touch("default", "web");
        cluster.touch("default", "web");
        Pod marker = cluster.create(MockCluster.pod("marker", MockCluster.NODE, "r.example/a:v1", "Never").build());
        await().atMost(CALL).until(() -> desired.desired.containsKey(UUID.fromString(marker.getMetadata().getUid())));

        assertThat(postedEvents())
                .filteredOn(e -> e.getReason().equals(ShadowedEnv.REASON))
                .singleElement().satisfies(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
                    assertThat(e.getMessage()).isEqualTo("env HTTP_X_TOKEN, REQUEST_METHOD is also set by the node for each HTTP request"
                            + " (CGI): the request's REQUEST_METHOD replaces the pod's value; the pod's HTTP_X_TOKEN hides the request's"
                            + " header; rename the variable");
                });
    }

    /**
     * {@code kubectl debug} adds an ephemeral container to the pod (its ephemeralcontainers subresource; on the mock, an
     * edit of the spec as the API server makes it): the node cannot run one, so it tells each once as a Warning and shows
     * it terminated with that reason, which ends {@code kubectl debug}'s wait, and the pod runs on as it did. Ignored, the
     * user saw nothing happen.
     */
    @Test
    void anEphemeralContainerIsToldOnceAndShownTerminatedWhileThePodRunsOn() {
        UUID id = runningWeb();
        var running = desired.desired.get(id);

        debug("web", "debugger-abc");
        await().atMost(CALL).until(() -> ephemeralStatuses("web").size() == 1);
        debug("web", "debugger-def");
        await().atMost(CALL).until(() -> ephemeralStatuses("web").size() == 2);
        cluster.touch("default", "web");
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0)).block(CALL);
        Pod marker = cluster.create(MockCluster.pod("marker", MockCluster.NODE, "r.example/a:v1", "Never").build());
        await().atMost(CALL).until(() -> desired.desired.containsKey(UUID.fromString(marker.getMetadata().getUid())));

        assertThat(ephemeralStatuses("web")).extracting(s -> s.getName()).containsExactly("debugger-abc", "debugger-def");
        assertThat(ephemeralStatuses("web").getFirst().getState().getTerminated()).satisfies(s -> {
            assertThat(s.getReason()).isEqualTo(EphemeralContainers.REASON);
            assertThat(s.getExitCode()).isEqualTo(128);
            assertThat(s.getMessage()).isEqualTo(EphemeralContainers.message("debugger-abc"));
        });
        assertThat(postedEvents())
                .filteredOn(e -> e.getReason().equals(EphemeralContainers.REASON))
                .extracting(e -> e.getType() + " " + e.getInvolvedObject().getFieldPath() + " " + e.getMessage())
                .containsExactlyInAnyOrder("Warning spec.ephemeralContainers{debugger-abc} " + EphemeralContainers.message("debugger-abc"),
                        "Warning spec.ephemeralContainers{debugger-def} " + EphemeralContainers.message("debugger-def"));
        assertThat(EphemeralContainers.message("debugger-abc")).contains("a Wasm pod takes no ephemeral containers");
        assertThat(desired.desired.get(id)).isEqualTo(running);
        assertThat(cluster.get("web").getStatus().getPhase()).isEqualTo("Running");
        assertThat(cluster.get("web").getStatus().getContainerStatuses().getFirst().getReady()).isTrue();
    }

    /**
     * An ephemeral container whose status the API server did not take (a conflict on each attempt; the client itself
     * retries a 5xx) is shown on the pod's next event, though told only once: else a running pod, whose status no report
     * changes, left {@code kubectl debug} waiting.
     */
    @Test
    void anEphemeralContainerWhoseStatusWasNotWrittenIsShownOnThePodsNextEvent() {
        runningWeb();
        cluster.server.expect().patch().withPath("/api/v1/namespaces/default/pods/web/status").andReturn(409, "{}").times(PodStatusWriter.ATTEMPTS);

        debug("web", "debugger-abc");
        await().atMost(CALL).until(() -> events(EphemeralContainers.REASON).size() == 1);
        assertThat(ephemeralStatuses("web")).isEmpty();
        cluster.touch("default", "web");

        await().atMost(CALL).until(() -> ephemeralStatuses("web").size() == 1);
        assertThat(postedEvents()).filteredOn(e -> EphemeralContainers.REASON.equals(e.getReason())).hasSize(1);
        assertThat(cluster.get("web").getStatus().getPhase()).isEqualTo("Running");
    }

    /**
     * An ephemeral status the API server refuses for good (403: the node may not write it) was written again on every
     * evaluation of the pod, in vain: tried {@value EphemeralContainers#REFUSALS} times, then not until another ephemeral
     * container is added; a conflict is still tried again on the next event.
     */
    @Test
    void anEphemeralStatusRefusedForGoodIsNotWrittenOnEveryEvent() throws InterruptedException {
        runningWeb();
        cluster.server.expect().patch().withPath("/api/v1/namespaces/default/pods/web/status").andReturn(403, "{}").always();
        List<String> seen = new ArrayList<>();
        cluster.deletions("web", seen);
        seen.clear(); // what came before

        debug("web", "debugger-abc");
        // one event per refusal, each once the write before it was seen: the writes are made off the worker, and two
        // events of one pod whose write had not started yet make one write (the later), so a burst of events may make fewer
        for (int i = 1; i <= EphemeralContainers.REFUSALS; i++) {
            long refused = i;
            await().atMost(CALL).until(() -> statusPatches(seen) >= refused);
            cluster.touch("default", "web");
        }
        for (int i = 0; i < 2 * EphemeralContainers.REFUSALS; i++) {
            cluster.touch("default", "web");
        }
        Pod marker = cluster.create(MockCluster.pod("marker", MockCluster.NODE, "r.example/a:v1", "Never").build());
        await().atMost(CALL).until(() -> desired.desired.containsKey(UUID.fromString(marker.getMetadata().getUid())));
        // every event after the last refusal was weighed: none made a write, and one it made before it was told of that
        // refusal finds it counted (PodEvaluation.refuseEphemeral) and writes nothing
        assertThat(statusPatches(seen)).isEqualTo(EphemeralContainers.REFUSALS);

        debug("web", "debugger-def"); // another one: tried again
        await().atMost(CALL).until(() -> statusPatches(seen) > EphemeralContainers.REFUSALS); // its Warning was queued before
        assertThat(postedEvents()).filteredOn(e -> EphemeralContainers.REASON.equals(e.getReason())).hasSize(2);
        assertThat(ephemeralStatuses("web")).isEmpty();
    }

    /**
     * Every write of a pod's status carries its ephemeral containers' too: one the API server refuses for good (422, its
     * validation refusing the field) refused the pod's own reports with it, so its restarts, Failed or Succeeded never
     * reached the API server. The pod's own status is written again without those not shown yet (those shown stay),
     * and once the API server takes them, a write of it carries them, though the node stopped writing them alone
     * ({@value EphemeralContainers#REFUSALS} refusals): an operator who mends what refused them sees kubectl debug end.
     */
    @Test
    void aPodsOwnStatusIsWrittenWithoutAnEphemeralStatusRefusedForGood() {
        UUID id = runningWeb();
        debug("web", "debugger-abc");
        await().atMost(CALL).until(() -> ephemeralStatuses("web").size() == 1);
        cluster.invalid = body -> body.contains("ephemeralContainerStatuses") && body.contains("debugger-def");

        debug("web", "debugger-def");
        for (int i = 0; i < 2 * EphemeralContainers.REFUSALS; i++) {
            cluster.touch("default", "web");
        }
        Pod marker = cluster.create(MockCluster.pod("marker", MockCluster.NODE, "r.example/a:v1", "Never").build());
        await().atMost(CALL).until(() -> desired.desired.containsKey(UUID.fromString(marker.getMetadata().getUid())));
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 2)).block(CALL);
        assertThat(cluster.get("web").getStatus().getContainerStatuses().getFirst().getRestartCount()).isEqualTo(2);
        assertThat(ephemeralStatuses("web")).extracting(s -> s.getName()).containsExactly("debugger-abc");

        cluster.invalid = body -> false;
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 3)).block(CALL);
        assertThat(cluster.get("web").getStatus().getContainerStatuses().getFirst().getRestartCount()).isEqualTo(3);
        assertThat(ephemeralStatuses("web")).extracting(s -> s.getName()).containsExactly("debugger-abc", "debugger-def");
    }

    /** How many PATCHes of pod web's status reached the API server (requests drained into {@code seen}). */
    private long statusPatches(List<String> seen) throws InterruptedException {
        cluster.deletions("web", seen);
        return seen.stream().filter(r -> r.startsWith("PATCH /api/v1/namespaces/default/pods/web/status ")).count();
    }

    /**
     * The events of namespace default once the adapter posted all it recorded: they are posted off the worker, after what
     * the test awaited, and its recorder's close posts those still waiting (an event recorded after is dropped).
     */
    private List<io.fabric8.kubernetes.api.model.Event> postedEvents() {
        adapter.events().close();
        return cluster.client.v1().events().inNamespace("default").list().getItems();
    }

    private List<io.fabric8.kubernetes.api.model.Event> events(String reason) {
        return cluster.client.v1().events().inNamespace("default").list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    /**
     * A pod's image is quoted as any text of the pod, by its first 64 characters: an API server takes an image of any
     * length, which the Pulling and BackOff events copied whole, and a pull's failure quoted a reference whole (one with
     * a space at any length, one of the 512 characters a reference may have otherwise) into the container's status and
     * its event.
     */
    @Test
    void anImageIsQuotedByItsFirstCharactersInItsPullEventsAndFailures() {
        String spaced = "r.example/" + "ab ".repeat(256 * 1024 / 3);
        String absent = "r.example/" + "a".repeat(502);
        UUID spacedId = UUID.fromString(cluster.create(MockCluster.pod("spaced", MockCluster.NODE, spaced, "Never").build()).getMetadata().getUid());
        UUID absentId = UUID.fromString(cluster.create(MockCluster.pod("absent", MockCluster.NODE, absent, "Never")
                .editSpec().editFirstContainer().withImagePullPolicy("Never").endContainer().endSpec().build()).getMetadata().getUid());
        start();
        await().atMost(CALL).until(() -> desired.desired.containsKey(spacedId) && desired.desired.containsKey(absentId));

        Throwable notAReference = catchThrowable(() -> adapter.fetch(spacedId, spaced));
        assertThat(notAReference).hasMessage("'" + spaced + "' is not an image reference");
        assertThat(catchThrowable(() -> adapter.fetch(absentId, absent)))
                .hasMessage(absent + " is not on this node and imagePullPolicy is Never");
        adapter.status(spacedId, new ReplicaStatusReport(ReplicaPhase.Pulling, null, null, 0)).block(CALL);
        // as the data plane reports the failure: the node's status and event quote the image, wherever it stands
        String failure = "cannot fetch " + spaced + ": " + notAReference.getMessage();
        adapter.status(spacedId, new ReplicaStatusReport(ReplicaPhase.Failed, "ModuleFetchFailed", failure, 0)).block(CALL);
        await().atMost(CALL).untilAsserted(() -> assertThat(cluster.get("spaced").getStatus().getContainerStatuses().getFirst().getState()
                .getWaiting().getMessage()).isEqualTo("cannot fetch " + Excerpt.of(spaced) + ": '" + Excerpt.of(spaced) + "' is not an image reference"));
        await().atMost(CALL).untilAsserted(() -> assertThat(cluster.client.v1().events().inNamespace("default").list().getItems())
                .filteredOn(e -> e.getInvolvedObject().getName().equals("spaced"))
                .extracting(e -> e.getMessage())
                .contains("Pulling image \"" + Excerpt.of(spaced) + "\"")
                .anySatisfy(m -> assertThat(m).startsWith("Back-off pulling image \"" + Excerpt.of(spaced) + "\" for ")));
    }

    /**
     * A replica of the image a pod named before an edit, still fetching it, names that image in its failure and events:
     * quoted by its first characters as the pod's image now is, and so is it in the refusal of its fetch.
     */
    @Test
    void anImageThePodNamedBeforeAnEditIsQuotedByItsFirstCharactersToo() {
        String old = "r.example/old:" + "v".repeat(1000);
        UUID id = edited(old);
        edit(id, "r.example/new:v2");
        aFetchOfTheImageIsRefusedAndItsFailureQuoted(id, old);
    }

    /**
     * An image the pod named before as many edits as the images it remembers ({@value TrackedPod#IMAGES}) is quoted by its
     * first characters too, in the refusal of its fetch as in the status and events of a replica still fetching it: it
     * went whole into them, the pod remembering only the latest four it was told to run.
     */
    @Test
    void anImageThePodNamedBeforeMoreEditsThanItRemembersIsQuotedByItsFirstCharactersToo() {
        String old = "r.example/old:" + "v".repeat(1000);
        UUID id = edited(old);
        for (int i = 1; i <= TrackedPod.IMAGES; i++) {
            edit(id, "r.example/new:v" + i);
        }
        aFetchOfTheImageIsRefusedAndItsFailureQuoted(id, old);
    }

    /** Pod edited, running {@code image}, by its uid. */
    private UUID edited(String image) {
        Pod pod = cluster.create(MockCluster.pod("edited", MockCluster.NODE, image, "Never").build());
        UUID id = UUID.fromString(pod.getMetadata().getUid());
        start();
        await().atMost(CALL).until(() -> desired.desired.containsKey(id));
        return id;
    }

    private void edit(UUID id, String image) {
        cluster.client.pods().inNamespace("default").withName("edited").edit(p -> {
            p.getSpec().getContainers().getFirst().setImage(image);
            return p;
        });
        await().atMost(CALL).until(() -> image.equals(desired.desired.get(id).moduleDigest()));
    }

    /** A replica of pod edited still fetching {@code old}: refused, and its failure quotes it in the pod's events and status. */
    private void aFetchOfTheImageIsRefusedAndItsFailureQuoted(UUID id, String old) {
        assertThat(catchThrowable(() -> adapter.fetch(id, old))).hasMessageEndingWith(" runs " + Excerpt.of(old));
        String failure = "cannot fetch " + old + ": no pod on this node with uid " + id + " runs " + Excerpt.of(old);
        adapter.event(id, new EventReport("Warning", "ModuleFetchFailed", failure)).block(CALL);
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Failed, "ModuleFetchFailed", failure, 0)).block(CALL);
        String quoted = "cannot fetch " + Excerpt.of(old) + ": no pod on this node with uid " + id + " runs " + Excerpt.of(old);
        await().atMost(CALL).untilAsserted(() -> assertThat(cluster.client.v1().events().inNamespace("default").list().getItems())
                .filteredOn(e -> e.getInvolvedObject().getName().equals("edited")).extracting(e -> e.getMessage()).contains(quoted));
        await().atMost(CALL).untilAsserted(() -> assertThat(cluster.get("edited").getStatus().getContainerStatuses().getFirst().getState()
                .getWaiting().getMessage()).isEqualTo(quoted));
    }

    /** Pod web, an HTTP pod the node runs and reported Running, by its uid. */
    private UUID runningWeb() {
        Pod web = cluster.create(MockCluster.pod("web", MockCluster.NODE, "r.example/a:v1", "Always")
                .editMetadata().addToAnnotations(PodTranslation.ROUTE, "/web").endMetadata().build());
        UUID id = UUID.fromString(web.getMetadata().getUid());
        start();
        await().atMost(CALL).until(() -> desired.desired.containsKey(id));
        adapter.status(id, new ReplicaStatusReport(ReplicaPhase.Running, null, null, 0)).block(CALL);
        return id;
    }

    /** What {@code kubectl debug web --image=busybox -c name} adds to the pod. */
    private void debug(String pod, String name) {
        Pod p = cluster.get(pod);
        p.getSpec().getEphemeralContainers().add(new io.fabric8.kubernetes.api.model.EphemeralContainerBuilder()
                .withName(name).withImage("busybox").withStdin(true).withTty(true).build());
        cluster.client.pods().inNamespace("default").withName(pod).patch(PatchContext.of(PatchType.JSON), // a merge patch appends on the mock
                "[{\"op\":\"add\",\"path\":\"/spec/ephemeralContainers\",\"value\":"
                        + cluster.client.getKubernetesSerialization().asJson(p.getSpec().getEphemeralContainers()) + "}]");
    }

    private List<io.fabric8.kubernetes.api.model.ContainerStatus> ephemeralStatuses(String pod) {
        Pod p = cluster.get(pod);
        return p.getStatus() == null || p.getStatus().getEphemeralContainerStatuses() == null ? List.of()
                : p.getStatus().getEphemeralContainerStatuses();
    }

    private UUID job(String name) {
        return UUID.fromString(cluster.create(MockCluster.pod(name, MockCluster.NODE, "r.example/job:v1", "Never").build()).getMetadata().getUid());
    }

    private boolean failedOutOfPods(String name) {
        Pod p = cluster.get(name);
        return p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()) && "OutOfpods".equals(p.getStatus().getReason());
    }

    /**
     * A pod names its node itself ({@code spec.nodeName}) past the scheduler and its count of the node's {@code pods}:
     * as a kubelet's admission does, the node runs at most its capacity of pods at once (10 here, {@link
     * MockCluster#node()}) and fails the others with {@code OutOfpods}.
     */
    @Test
    void podsBeyondTheNodesCapacityFailWithOutOfPodsAndAFinishedOrDeletedPodFreesItsPlace() {
        start();
        UUID first = job("job-0");
        for (int i = 1; i < 10; i++) {
            job("job-" + i);
        }
        await().atMost(CALL).until(() -> desired.desired.size() == 10);

        UUID extra = job("extra");
        await().atMost(CALL).until(() -> failedOutOfPods("extra"));
        assertThat(cluster.get("extra").getStatus().getMessage()).isEqualTo("Node didn't have enough resource: pods, requested: 1, used: 10, capacity: 10");
        assertThat(desired.desired).hasSize(10).doesNotContainKey(extra);
        await().atMost(CALL).until(() -> cluster.client.v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(e -> e.getInvolvedObject().getName().equals("extra") && e.getReason().equals("OutOfpods")));

        adapter.status(first, new ReplicaStatusReport(ReplicaPhase.Succeeded, null, null, 0)).block(CALL);
        await().atMost(CALL).until(() -> "Succeeded".equals(cluster.get("job-0").getStatus().getPhase()));
        UUID afterSuccess = job("after-success");
        await().atMost(CALL).until(() -> desired.desired.containsKey(afterSuccess));

        UUID full = job("full");
        await().atMost(CALL).until(() -> failedOutOfPods("full"));
        cluster.client.pods().inNamespace("default").withName("job-1").withGracePeriod(0).delete();
        UUID afterDelete = job("after-delete");
        await().atMost(CALL).until(() -> desired.desired.containsKey(afterDelete));
        assertThat(desired.desired).doesNotContainKey(full);
    }

    /**
     * A pod a finalizer keeps after its deletion stops counting among the node's {@code pods} once its run stopped (its
     * drain ended and the node deleted it), as a kubelet stops counting a pod with a deletionTimestamp whose containers
     * stopped: it held its place until the API server removed it, which a finalizer may put off for ever.
     */
    @Test
    void aDeletedPodAFinalizerKeepsFreesItsPlaceOnceItsRunStopped() throws InterruptedException {
        UUID web = runningThenDeleted(adapter);
        for (int i = 1; i < 10; i++) {
            job("job-" + i);
        }
        await().atMost(CALL).until(() -> desired.desired.size() == 10);
        adapter.status(web, new ReplicaStatusReport(ReplicaPhase.Terminating, "Stopped", "stopped", 0)).block(CALL);
        List<String> seen = new ArrayList<>();
        await().atMost(CALL).until(() -> cluster.deletedWithGraceZero("web", seen));
        assertThat(cluster.get("web").getMetadata().getDeletionTimestamp()).isNotNull();

        UUID next = job("next");
        await().atMost(CALL).until(() -> desired.desired.containsKey(next) || failedOutOfPods("next"));
        assertThat(failedOutOfPods("next")).isFalse();
    }

    /** Pod web, whose env names config map settings, which the API server fails to give (500) {@code failures} times first. */
    private Pod webOfUnreadSettings(int failures) {
        cluster.client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("settings").endMetadata().addToData("level", "debug").build()).create();
        cluster.server.expect().get().withPath("/api/v1/namespaces/default/configmaps/settings").andReturn(500, "{}").times(failures);
        return cluster.create(MockCluster.pod("web", MockCluster.NODE, "r.example/a:v1", "Never").editSpec().editFirstContainer()
                .addNewEnv().withName("LEVEL").withNewValueFrom().withNewConfigMapKeyRef("level", "settings", false).endValueFrom().endEnv()
                .endContainer().endSpec().build());
    }

    /** Pod web, whose config map {@code settings} the API server fails to give (500, counted in {@code failed}) until {@code given}. */
    private Pod webOfSettingsUnreadUntil(java.util.function.BooleanSupplier given, AtomicInteger failed) {
        String settings = io.fabric8.kubernetes.client.utils.Serialization.asJson(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("settings").withNamespace("default").endMetadata().addToData("level", "debug").build());
        cluster.server.expect().get().withPath("/api/v1/namespaces/default/configmaps/settings").andReply(new ResponseProvider<>() {
            @Override
            public int getStatusCode(RecordedRequest request) {
                if (given.getAsBoolean()) {
                    return 200;
                }
                failed.incrementAndGet();
                return 500;
            }

            @Override
            public Object getBody(RecordedRequest request) { // a 500's body is not read
                return settings;
            }

            @Override
            public Headers getHeaders() {
                return Headers.builder().build();
            }

            @Override
            public void setHeaders(Headers headers) {}
        }).always();
        return cluster.create(MockCluster.pod("web", MockCluster.NODE, "r.example/a:v1", "Never").editSpec().editFirstContainer()
                .addNewEnv().withName("LEVEL").withNewValueFrom().withNewConfigMapKeyRef("level", "settings", false).endValueFrom().endEnv()
                .endContainer().endSpec().build());
    }

    /** {@code steps}, an agent watching on a client that does not retry a failed request itself. */
    private void withUnretriedAgent(Runnable steps) {
        try (var unretried = cluster.unretried(); var agent = cluster.adapter(unretried, desired, id -> true, java.time.Clock.systemUTC())) {
            agent.register().block(CALL);
            // tried again as the driver tries it (ControlPlaneDriver.assignments): a first list that failed (a request
            // timed out on a loaded machine) stopped the only pod informer, and no pod was ever weighed
            Disposable watch = Flux.defer(agent::watch).retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
                    .maxBackoff(Duration.ofSeconds(1))).subscribe(x -> {}, e -> {});
            try {
                steps.run();
            } finally {
                watch.dispose();
            }
        }
    }

    /**
     * A config map the API server failed to give (a 500) makes the pod wait saying why, and it is read again soon, with
     * a bounded back-off: it went unsaid, the pod Pending with no status until its next event or resync (a minute here).
     */
    @Test
    void aConfigMapTheApiServerFailedToGiveIsReadAgainSoonAndThePodSaysWhyItWaits() {
        UUID id = UUID.fromString(webOfUnreadSettings(3).getMetadata().getUid());
        withUnretriedAgent(() -> {
            await().atMost(CALL).until(() -> cluster.get("web").getStatus() != null);
            var waiting = cluster.get("web").getStatus().getContainerStatuses().getFirst().getState().getWaiting();
            assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
            assertThat(waiting.getMessage()).isEqualTo("configmap \"settings\" cannot be read now (HTTP 500): trying again shortly");
            await().atMost(CALL).until(() -> desired.desired.containsKey(id));
            assertThat(desired.desired.get(id).spec().env()).containsEntry("LEVEL", "debug");
        });
    }

    /**
     * With the client's own retries (fabric8's ten over some 19 s), a read of what a pod needs is retried
     * {@value BriefRetries#RETRIES} times only and then waits, said, for {@link ReadRetries}: a config map the API server
     * failed three times in a row was read on, the pod silent, and one that is down blocked the node's single worker
     * for those 19 s, the other pods' changes waiting behind it.
     */
    @Test
    void aFailedReadIsRetriedBrieflySoThatOnePodsOutageDoesNotStallTheOthers() {
        cluster.server.expect().get().withPath("/api/v1/namespaces/default/configmaps/down").andReturn(500, "{}").always();
        cluster.create(MockCluster.pod("stuck", MockCluster.NODE, "r.example/a:v1", "Never").editSpec().editFirstContainer()
                .addNewEnv().withName("LEVEL").withNewValueFrom().withNewConfigMapKeyRef("level", "down", false).endValueFrom().endEnv()
                .endContainer().endSpec().build());
        UUID web = UUID.fromString(webOfUnreadSettings(BriefRetries.RETRIES + 1).getMetadata().getUid());
        start();

        assertThat(awaitWaiting("web")).isEqualTo("configmap \"settings\" cannot be read now (HTTP 500): trying again shortly");
        await().atMost(CALL).until(() -> desired.desired.containsKey(web));
        assertThat(awaitWaiting("stuck")).isEqualTo("configmap \"down\" cannot be read now (HTTP 500): trying again shortly");
    }

    /**
     * {@link BriefRetries} bounds the node client's retries, never raises them: a client set to retry less (an operator's
     * {@code requestRetryBackoffLimit}, or none, as here) retried its reads {@value BriefRetries#RETRIES} times, so that a
     * failure the node was to see was absorbed.
     */
    @Test
    void briefRetriesNeverRetryMoreThanTheNodesClientDoes() {
        cluster.server.expect().get().withPath("/api/v1/namespaces/default/configmaps/blip").andReturn(500, "{}").once();
        try (var unretried = cluster.unretried()) {
            var read = BriefRetries.of(unretried).configMaps().inNamespace("default").withName("blip");

            assertThat(catchThrowable(read::get)).isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class,
                    e -> assertThat(e.getCode()).isEqualTo(500));
        }
    }

    /**
     * A pod deleted while the read of its config map waits to be tried again is not weighed by that retry: the config
     * map read then would run the deleted pod again, tracked anew, with nothing left to stop it. The API server fails the
     * read until the node has removed the deleted pod, then gives it, so the retry that waits then is the one
     * that would run it: failing the read a fixed number of times put that retry 15 s away. It comes at most its back-off
     * after the removal, and that back-off is at most the one after as many failures as the API server gave.
     */
    @Test
    void aPodDeletedWhileItsReadWaitsToBeTriedAgainDoesNotRunAgain() {
        AtomicInteger failed = new AtomicInteger();
        UUID id = UUID.fromString(webOfSettingsUnreadUntil(() -> !desired.removed.isEmpty(), failed).getMetadata().getUid());
        withUnretriedAgent(() -> {
            await().atMost(CALL).until(() -> cluster.get("web").getStatus() != null);
            cluster.client.pods().inNamespace("default").withName("web").withGracePeriod(0).delete();
            await().atMost(CALL).until(() -> desired.removed.contains(id));
            Duration retried = ReadRetries.delay(failed.get(), PodTranslation.Retry.UNREAD).plusSeconds(1);
            await().during(retried).atMost(CALL.plus(retried)).until(() -> !desired.desired.containsKey(id));
        });
    }

    /**
     * A config map or secret the API server refuses to give (403: the node's RBAC lacks the permission; 401: it did not
     * take the node's credentials) makes the pod wait naming why, as the Services' 403 does: it threw past the pod, which
     * stayed Pending with no word. It is read again on the pod's next event or resync, never on a timer of its own: a
     * 401 was read again after 1 s, 2 s, 4 s, up to every 30 s until the pod was deleted.
     */
    @Test
    void aConfigOrSecretTheApiServerRefusesMakesThePodWaitNamingWhyAndIsReadAgainOnlyOnItsEvents() {
        AtomicInteger configReads = refuse("/api/v1/namespaces/default/configmaps/settings", 403);
        refuse("/api/v1/namespaces/default/secrets/token", 401);
        cluster.create(MockCluster.pod("cm", MockCluster.NODE, "r.example/a:v1", "Never").editSpec().editFirstContainer()
                .addNewEnv().withName("LEVEL").withNewValueFrom().withNewConfigMapKeyRef("level", "settings", false).endValueFrom().endEnv()
                .endContainer().endSpec().build());
        cluster.create(MockCluster.pod("sec", MockCluster.NODE, "r.example/a:v1", "Never").editSpec().editFirstContainer()
                .addNewEnv().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef("token", "token", false).endValueFrom().endEnv()
                .endContainer().endSpec().build());
        start();

        assertThat(awaitWaiting("cm")).isEqualTo("configmap \"settings\" cannot be read for the container's env: the node agent's"
                + " service account needs get on configmaps (403)");
        assertThat(awaitWaiting("sec")).isEqualTo("secret \"token\" cannot be read for the container's env: the API server did"
                + " not take the node agent's credentials (401)");
        assertThat(cluster.timer.getQueue()).as("no read of either pod waits to be tried again").isEmpty();
        int read = configReads.get();
        cluster.touch("default", "cm");
        await().atMost(CALL).until(() -> configReads.get() > read);
        assertThat(postedEvents())
                .filteredOn(e -> "cm".equals(e.getInvolvedObject().getName())).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).endsWith("get on configmaps (403)"));
    }

    /** Every GET of {@code path} answered {@code code}; how many there were. */
    private AtomicInteger refuse(String path, int code) {
        AtomicInteger reads = new AtomicInteger();
        cluster.server.expect().get().withPath(path).andReply(code, request -> {
            reads.incrementAndGet();
            return "{}";
        }).always();
        return reads;
    }

    private String awaitWaiting(String pod) {
        await().atMost(CALL).until(() -> cluster.get(pod).getStatus() != null);
        var waiting = cluster.get(pod).getStatus().getContainerStatuses().getFirst().getState().getWaiting();
        assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
        return waiting.getMessage();
    }
}

