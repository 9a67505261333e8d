package dev.nanolet.agent.kubernetes;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.RestartProperties;
import dev.nanolet.agent.control.RecordingDesiredState;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.oci.OciModules;
import dev.nanolet.testsupport.kubernetes.NodeNameSelector;
import dev.nanolet.testsupport.registry.LocalRegistry;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * fabric8's mock API server in CRUD mode (with answers a test expects first, to make a call fail), a real registry on loopback, and adapters for node {@code n1}
 * against them. Pods are created the way a scheduler leaves them (bound with {@code spec.nodeName}); the server
 * answers a list or watch of pods by {@code spec.nodeName} as an API server does ({@link NodeNameSelector}), and
 * nothing relies on the mock's other quirks (no other field selectors, no status patches).
 */
final class MockCluster implements AutoCloseable {

    static final String NODE = "n1";
    /** Answers a test sets up with {@code server.expect()}; every other request goes to the CRUD store. */
    private final Map<ServerRequest, Queue<ServerResponse>> expected = new HashMap<>();
    /** The PATCHes whose body this matches are refused 422 Unprocessable (the API server's validation); others go on as usual. */
    volatile Predicate<String> invalid = body -> false;
    /**
     * The requests this matches ({@code "METHOD path body"}) are answered 500, the API server failing them, for as long as
     * a test leaves it set: an outage of some calls, which ends when the test says.
     */
    volatile Predicate<String> failing = request -> false;
    /**
     * The requests this matches ({@code "METHOD path body"}) are not answered within {@link #SILENCE}, longer than the
     * client's request timeout: an API server that does not answer them at all. One asked before a test clears this stays
     * unanswered.
     */
    volatile Predicate<String> silent = request -> false;
    /** The requests this matches ({@code "METHOD path body"}) are refused 403 Forbidden: a permission the node lacks. */
    volatile Predicate<String> forbidden = request -> false;
    static final Duration SILENCE = Duration.ofMinutes(5);
    /** Another writer's changes, made in the store just before requests a test names are answered ({@link #meanwhile}). */
    private volatile OtherWriter otherWriter;

    /** Merge patches of {@code path} made {@code times} times, each just before a request {@code before} matches is answered. */
    private record OtherWriter(Predicate<String> before, AtomicInteger times, String path, IntFunction<String> mergePatch) {

        /** The next change, or null once {@code times} were made. */
        RecordedRequest next() {
            int left = times.getAndDecrement();
            if (left <= 0) {
                return null;
            }
            var headers = Headers.builder().add("Content-Type", "application/merge-patch+json").build();
            return new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, path, headers, new Buffer(mergePatch.apply(left).getBytes(StandardCharsets.UTF_8)));
        }
    }
    private final KubernetesMixedDispatcher dispatcher = new KubernetesMixedDispatcher(expected) {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            // the body's bytes as they are: reading it as text empties it for the CRUD store
            String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
            String line = request.getMethod() + " " + request.getPath() + " " + body;
            OtherWriter other = otherWriter;
            RecordedRequest change = other != null && other.before().test(line) ? other.next() : null;
            if (change != null) {
                super.dispatch(change);
            }
            if (silent.test(line)) {
                return new MockResponse().setResponseCode(500).setBody("{}").setBodyDelay(SILENCE);
            }
            if (forbidden.test(line)) {
                return new MockResponse().setResponseCode(403).setBody("{}");
            }
            if (failing.test(line)) {
                return new MockResponse().setResponseCode(500).setBody("{}");
            }
            boolean refused = "PATCH".equals(request.getMethod()) && request.getBody() != null && invalid.test(body);
            return refused ? new MockResponse().setResponseCode(422).setBody("{}") : super.dispatch(request);
        }
    };
    /** How the server takes a pod's {@code spec.nodeName} in a field selector: honoured, unless a test says it ignores it. */
    final NodeNameSelector nodeNames = NodeNameSelector.install(dispatcher);
    final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), expected, dispatcher, false);
    final KubernetesClient client;
    final LocalRegistry registry = LocalRegistry.start();
    /** The agent's timer (retries, drains): its queue shows what waits to run. */
    final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final Path cache;
    private final java.util.List<ServiceCache> caches = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The adapters {@link #started}: their watches stopped and they closed with the cluster. */
    private final java.util.List<Runnable> stops = new java.util.concurrent.CopyOnWriteArrayList<>();

    MockCluster() {
        server.init(java.net.InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        try {
            cache = Files.createTempDirectory("nanolet-kube-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NodeProperties node() {
        return new NodeProperties(NODE, Map.of("team", "wasm"), 10, 512, 8181, null, Path.of("unused"));
    }

    static KubernetesProperties props() {
        return props(Duration.ofSeconds(60));
    }

    /** The node's settings, its pods resynced every {@code resync}. */
    static KubernetesProperties props(Duration resync) {
        return new KubernetesProperties("10.1.2.3", 10250, null, null, null, Set.of(), null, Duration.ofSeconds(4), resync, Set.of(), Duration.ofMinutes(1));
    }

    /**
     * Another writer (a node controller, an admin's {@code kubectl}) changes the object at {@code path} with the JSON merge
     * patch {@code mergePatch} (of how many changes are left, counting this one) just before each of the next
     * {@code times} requests that {@code before} matches ({@code "METHOD path body"}) is answered: between the node's read
     * of an object and its write, made with the version it read, when {@code before} matches that write.
     */
    void meanwhile(Predicate<String> before, int times, String path, IntFunction<String> mergePatch) {
        otherWriter = new OtherWriter(before, new AtomicInteger(times), path, mergePatch);
    }

    KubernetesControlPlane adapter(RecordingDesiredState desired, Predicate<UUID> idle) {
        return adapter(desired, idle, Clock.systemUTC());
    }

    KubernetesControlPlane adapter(RecordingDesiredState desired, Predicate<UUID> idle, Clock clock) {
        return adapter(client, desired, idle, clock);
    }

    /**
     * A client of this server that does not retry a failed request itself (fabric8 retries a 5xx ten times over some
     * 19 s by default), to see what the node does with a failure; the caller closes it.
     */
    KubernetesClient unretried() {
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(
                client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build();
    }

    KubernetesControlPlane adapter(KubernetesClient client, RecordingDesiredState desired, Predicate<UUID> idle, Clock clock) {
        return adapter(client, props(), desired, idle, clock);
    }

    /** An adapter whose pods are resynced every {@code resync} (a test sets it long to see that a resync did not do what it saw). */
    KubernetesControlPlane adapter(RecordingDesiredState desired, Duration resync) {
        return adapter(client, props(resync), desired, id -> true, Clock.systemUTC());
    }

    private KubernetesControlPlane adapter(KubernetesClient client, KubernetesProperties props, RecordingDesiredState desired,
            Predicate<UUID> idle, Clock clock) {
        return new KubernetesControlPlane(client, node(), props, desired, new OciModules(cache.resolve("oci"), Set.of(), 1 << 26, Duration.ofMinutes(1)),
                clock, new RestartProperties(Duration.ofMillis(200), Duration.ofMillis(800)), idle, timer);
    }

    /** {@code adapter} registered and watching, as the driver runs it, until the cluster is closed. */
    void started(KubernetesControlPlane adapter) {
        adapter.register().block(Duration.ofSeconds(30));
        reactor.core.Disposable watch = adapter.watch().subscribe(x -> {}, e -> {});
        stops.add(() -> {
            watch.dispose();
            adapter.close();
        });
    }

    /** The pods' writes as the adapter makes them ({@link PodWrites}), but each first attempt on the caller's thread. */
    PodWrites writes() {
        return new PodWrites(Runnable::run, timer);
    }

    /**
     * Config maps and secrets read from this server, and its Services from their informer, which has listed them
     * (Services created later reach it by its watch); closed with the cluster.
     */
    ClusterConfig config() {
        ServiceCache services = new ServiceCache(client);
        caches.add(services);
        services.start().join();
        return new ClusterConfig(client, services);
    }

    /** Pushes {@code examples/<example>} as {@code <repo>:v1} and answers its reference. */
    String image(String repo, String example) {
        registry.pushWasm(repo, "v1", Fixtures.bytes(example));
        return registry.host() + "/" + repo + ":v1";
    }

    /** A pod bound to {@code nodeName} running {@code image}, as the scheduler leaves it. */
    static PodBuilder pod(String name, String nodeName, String image, String restartPolicy) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").withUid(UUID.randomUUID().toString()).endMetadata()
                .withNewSpec().withNodeName(nodeName).withRestartPolicy(restartPolicy).withRuntimeClassName("nanolet")
                    .addNewContainer().withName("main").withImage(image).endContainer()
                .endSpec();
    }

    Pod create(Pod pod) {
        return client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    }

    /**
     * A change to pod {@code name} of {@code namespace} (a label) that nothing reads: an event for the node, which weighs the pod again.
     * A merge patch, unconditional: an edit carries the resourceVersion it read and conflicts with the node's status writes.
     */
    void touch(String namespace, String name) {
        client.pods().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"touched\":\"" + System.nanoTime() + "\"}}}");
    }

    Pod get(String name) {
        return get("default", name);
    }

    /** Whether pod {@code name} of namespace default is Running and Ready, its container waiting for nothing. */
    boolean ready(String name) {
        Pod p = get(name);
        return "Running".equals(p.getStatus().getPhase()) && p.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).map(io.fabric8.kubernetes.api.model.PodCondition::getStatus).allMatch("True"::equals)
                && p.getStatus().getContainerStatuses().getFirst().getState().getWaiting() == null;
    }

    Pod get(String namespace, String name) {
        return client.pods().inNamespace(namespace).withName(name).get();
    }

    /** Whether a DELETE of pod {@code name} with grace period 0 reached the API server (requests are drained into {@code seen}). */
    boolean deletedWithGraceZero(String name, java.util.List<String> seen) throws InterruptedException {
        return deletions(name, seen).stream().anyMatch(o -> Long.valueOf(0).equals(o.getGracePeriodSeconds()));
    }

    /** The options of every DELETE of pod {@code name} in namespace default that reached the API server (requests are drained into {@code seen}). */
    java.util.List<DeleteOptions> deletions(String name, java.util.List<String> seen) throws InterruptedException {
        requests(seen);
        String delete = "DELETE /api/v1/namespaces/default/pods/" + name + " ";
        return seen.stream().filter(s -> s.startsWith(delete) && s.length() > delete.length())
                .map(s -> client.getKubernetesSerialization().unmarshal(s.substring(delete.length()), DeleteOptions.class)).toList();
    }

    /** Drains the requests that reached the API server since the last drain into {@code seen} ({@code "METHOD path body"}). */
    void requests(java.util.List<String> seen) throws InterruptedException {
        io.fabric8.mockwebserver.http.RecordedRequest r;
        while ((r = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
            // the body's bytes, not getUtf8Body(), which empties it: a request is queued here before it is dispatched,
            // and a body read away first reached the CRUD store empty (a POST of an event refused 400 and lost)
            seen.add(r.getMethod() + " " + r.getPath() + " " + (r.getBody() == null ? "" : new String(r.getBody().getBytes(), StandardCharsets.UTF_8)));
        }
    }

    @Override
    public void close() {
        stops.forEach(Runnable::run);
        caches.forEach(ServiceCache::close);
        timer.shutdownNow();
        client.close();
        server.destroy();
        registry.close();
    }
}
