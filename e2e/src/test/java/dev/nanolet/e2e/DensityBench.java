package dev.nanolet.e2e;

import dev.nanolet.testsupport.TestPostgres;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.IntConsumer;
import org.awaitility.Awaitility;

/**
 * The density benchmark (issue 13): one real node agent ({@code java -Xmx<heap> -jar node-agent.jar}) and one
 * platform-api on a fresh PostgreSQL database; {@code deployments} HTTP deployments of one replica each,
 * with distinct names ({@code d-<i>}) and routes ({@code /d/<i>}), spread over {@code variants} distinct
 * hello modules (hello.wasm with its greeting changed in the data segment, so each has its own digest, is
 * fetched and compiled on its own, and answers its own text) and the echo module (every 10th deployment).
 * Measures: apply → every route answers 200 with its own deployment's body; heap after a full collection
 * before and after (→ memory per idle deployment) and the live-object histogram; the first request of a
 * module the node has never seen (fetch + compile) against one whose module it has compiled; and, after a
 * SIGKILL of the agent, the time until every route answers again (the compiled-class cache on disk on,
 * as always). Writes the histogram to {@code e2e/target/bench/density-histogram.txt}.
 */
final class DensityBench implements AutoCloseable {
    static final String NAMESPACE = "density";
    /** What every deployment reserves and may use per instance: enough for hello and echo (128 KiB + 64 KiB buffers). */
    static final int MEMORY_MIB = 4;

    /** What one run is. */
    record Settings(int deployments, int variants, String heap, int rounds, int concurrency) {
        static Settings fromSystemProperties(int deployments, int rounds) {
            return new Settings(Integer.getInteger("bench.deployments", deployments), Integer.getInteger("bench.variants", 10),
                    System.getProperty("bench.heap", "2g"), Integer.getInteger("bench.rounds", rounds),
                    Integer.getInteger("bench.concurrency", 8));
        }
    }

    /** What one run measured. */
    record Result(Settings settings, double applySeconds, double allAnsweringSeconds, double readySeconds, long heapIdleMiB,
            long heapBaseMiB, long heapMaxMiB, long rssMiB, long threads, List<Double> neverSeenMs, List<Double> cachedMs,
            double restartUpSeconds, double restartAllSeconds, double killToAllSeconds, String load) {

        double kibPerDeployment() {
            return (heapIdleMiB - heapBaseMiB) * 1024.0 / settings.deployments;
        }

        String text() {
            List<Double> fresh = sorted(neverSeenMs);
            List<Double> cached = sorted(cachedMs);
            return String.format("""
                    density benchmark: %d http deployments on one node agent (-Xmx%s), %d hello variants + echo
                      apply (PUT every deployment)        %8.2f s
                      apply -> every route answers 200    %8.2f s
                      apply -> API counts every replica ready %4.2f s
                      heap after full GC, idle node       %8d MiB
                      heap after full GC, all deployed    %8d MiB   (max heap %d MiB, goal <= 2048)
                      memory per idle deployment          %8.1f KiB
                      node RSS / threads                  %8d MiB / %d
                      apply -> first 200, never-seen module (fetch + compile)  p50 %6.0f ms  min %6.0f  max %6.0f  (%d rounds)
                      apply -> first 200, cached module                       p50 %6.0f ms  min %6.0f  max %6.0f
                      restart (SIGKILL, start again): start -> agent up        %8.2f s
                      restart: start -> every route answers 200                %8.2f s
                      restart: kill -> every route answers 200                 %8.2f s
                      load average              %s""",
                    settings.deployments, settings.heap, settings.variants, applySeconds, allAnsweringSeconds, readySeconds,
                    heapBaseMiB, heapIdleMiB, heapMaxMiB, kibPerDeployment(), rssMiB, threads,
                    ControlPlaneBench.percentile(fresh, 50), first(fresh), last(fresh), fresh.size(),
                    ControlPlaneBench.percentile(cached, 50), first(cached), last(cached),
                    restartUpSeconds, restartAllSeconds, killToAllSeconds, load);
        }

        private static List<Double> sorted(List<Double> l) {
            return l.stream().sorted().toList();
        }

        private static double first(List<Double> l) {
            return l.isEmpty() ? Double.NaN : l.getFirst();
        }

        private static double last(List<Double> l) {
            return l.isEmpty() ? Double.NaN : l.getLast();
        }
    }

    private final Settings settings;
    private final String adminToken = "admin-" + UUID.randomUUID();
    private final String nodeToken = "node-" + UUID.randomUUID();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
    private final byte[] hello = read(Paths.example("hello"));
    private ServiceProcess api;
    private ServiceProcess node;
    private ApiClient client;

    DensityBench(Settings settings) {
        this.settings = settings;
    }

    Result run() throws Exception {
        String loadBefore = ControlPlaneBench.loadAverage();
        TestPostgres.Database db = TestPostgres.newDatabase();
        api = launchApi(db);
        node = node().launch(); // beside platform-api: it retries its registration until platform-api answers
        api.awaitUp();
        node.awaitUp();
        client = new ApiClient(api.url(), adminToken);
        await("the node Ready", Duration.ofSeconds(120), () -> client.nodes().stream().anyMatch(n -> n.ready()));
        long heapBase = Jcmd.heapAfterGcMiB(node.pid());

        List<String> digests = new ArrayList<>();
        for (int v = 0; v < settings.variants; v++) {
            digests.add(upload(variant(v), "hello-v" + v));
        }
        String echo = retrying("upload echo", () -> client.upload(Paths.example("echo"))).digest();

        long start = System.nanoTime();
        List<RuntimeException> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
        parallel(settings.deployments, i -> {
            try {
                apply(name(i), spec(i % 10 == 9 ? echo : digests.get(i % digests.size()), i));
            } catch (RuntimeException e) {
                refused.add(e);
            }
        });
        if (!refused.isEmpty()) {
            throw new IllegalStateException(refused.size() + " applies failed, the first: " + refused.getFirst().getMessage(), refused.getFirst());
        }
        double applySeconds = since(start);
        Duration generous = Duration.ofSeconds(Math.max(300, settings.deployments / 5));
        Set<Integer> pending = all();
        await("every route answering 200", generous, () -> sweep(pending));
        double answering = since(start);
        await("the API counting every replica ready", generous, () -> ready() >= settings.deployments);
        double ready = since(start);

        long heapIdle = Jcmd.heapAfterGcMiB(node.pid());
        writeHistogram(Jcmd.liveHistogram(node.pid(), 40));
        long rss = Jcmd.procStatus(node.pid(), "VmRSS") / 1024;
        long threads = Jcmd.procStatus(node.pid(), "Threads");

        List<Double> neverSeen = new ArrayList<>();
        List<Double> cached = new ArrayList<>();
        for (int r = 0; r < settings.rounds; r++) {
            String fresh = upload(variant(settings.variants + r), "hello-fresh" + r);
            neverSeen.add(firstAnswer("fresh-" + r, "/fresh/" + r, fresh));
            cached.add(firstAnswer("cached-" + r, "/cached/" + r, digests.get(r % digests.size())));
        }

        node.kill();
        long killed = System.nanoTime();
        long launched = System.nanoTime();
        node.launch().awaitUp();
        double up = since(launched);
        Set<Integer> again = all();
        await("every route answering 200 after the restart", generous, () -> sweep(again));
        double restartAll = since(launched);
        double killToAll = since(killed);

        return new Result(settings, applySeconds, answering, ready, heapIdle, heapBase, maxHeapMiB(), rss, threads,
                neverSeen, cached, up, restartAll, killToAll, loadBefore + " before, " + ControlPlaneBench.loadAverage() + " after");
    }

    private ServiceProcess launchApi(TestPostgres.Database db) {
        int port = Paths.freePort();
        Map<String, String> env = Bench.apiEnvironment(port, db, adminToken, nodeToken);
        env.put("NANOLET_LEASE_DURATION", LEASE);
        env.put("NANOLET_NODES_MAX_CAPACITY_INSTANCES", String.valueOf(instances())); // above the default 512 from 497 deployments up
        return new ServiceProcess("density-platform-api", "platform-api", port, env, List.of("-Xmx1g")).launch();
    }

    /**
     * A lease longer than the default 15 s: the restart measured is the agent's reconcile, not an eviction
     * of every replica because a JVM start on a loaded machine took longer than a lease.
     */
    static final String LEASE = "60s";

    private int instances() {
        return settings.deployments + 2 * settings.rounds + 16;
    }

    /**
     * The one node agent, as an operator would size it for this many deployments: room for every replica
     * ({@code NANOLET_NODE_INSTANCES}) and their memory reservations ({@code NANOLET_NODE_MEMORY_MIB}).
     */
    private ServiceProcess node() {
        int port = Paths.freePort();
        int instances = instances();
        Map<String, String> env = new HashMap<>();
        env.put("NANOLET_PLATFORM_URL", api.url());
        env.put("NANOLET_NODE_TOKEN", nodeToken);
        env.put("NANOLET_NODE_NAME", "dense-1");
        env.put("NANOLET_NODE_PORT", String.valueOf(port));
        env.put("NANOLET_NODE_ADDRESS", "http://localhost:" + port);
        env.put("NANOLET_NODE_DATA_DIR", dataDir().toString());
        env.put("NANOLET_NODE_INSTANCES", String.valueOf(instances));
        env.put("NANOLET_NODE_MEMORY_MIB", String.valueOf(instances * MEMORY_MIB));
        env.put("NANOLET_LEASE_DURATION", LEASE);
        return new ServiceProcess("density-node", "node-agent", port, env, List.of("-Xmx" + settings.heap));
    }

    /**
     * PUTs a deployment as a CI pipeline would: a 503 (platform-api's database pool busy, with Retry-After)
     * is tried again, for up to two minutes; anything else fails the run.
     */
    private void apply(String name, DeploymentSpec spec) {
        retrying("PUT " + name, () -> client.apply(NAMESPACE, name, spec));
    }

    private static <T> T retrying(String what, java.util.concurrent.Callable<T> call) {
        java.util.concurrent.atomic.AtomicReference<T> answer = new java.util.concurrent.atomic.AtomicReference<>();
        Awaitility.await(what).atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptionsMatching(e -> e.getMessage() != null && e.getMessage().contains(" -> 503 "))
                .until(() -> {
                    answer.set(call.call());
                    return true;
                });
        return answer.get();
    }

    private static DeploymentSpec spec(String digest, int i) {
        return new DeploymentSpec(digest, new DeploymentSpec.HttpSpec("/d/" + i), null, 1, List.of(), Map.of(),
                new DeploymentSpec.Limits(MEMORY_MIB, null, null), Map.of());
    }

    private static String name(int i) {
        return "d-" + i;
    }

    /**
     * hello.wasm with "Wasm" in its greeting replaced by {@code v<nnn>}: the same code, another data segment,
     * so another digest, and an answer that says which variant ran.
     */
    private byte[] variant(int v) {
        byte[] wanted = "Hello from Wasm".getBytes(StandardCharsets.US_ASCII);
        byte[] out = hello.clone();
        int at = indexOf(out, wanted);
        if (at < 0) {
            throw new IllegalStateException("examples/hello.wasm no longer says 'Hello from Wasm'");
        }
        byte[] tag = String.format("v%03d", v % 1000).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tag, 0, out, at + wanted.length - tag.length, tag.length);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private String upload(byte[] wasm, String name) throws IOException {
        Path dir = Paths.root().resolve("e2e/target/bench/density-modules");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".wasm");
        Files.write(file, wasm);
        return retrying("upload " + name, () -> client.upload(file)).digest();
    }

    /** What deployment {@code i}'s route must answer: its variant's greeting, or echo's SCRIPT_NAME. */
    private String expected(int i) {
        return i % 10 == 9 ? "SCRIPT_NAME=/d/" + i : String.format("Hello from v%03d", (i % settings.variants) % 1000);
    }

    private Set<Integer> all() {
        Set<Integer> s = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < settings.deployments; i++) {
            s.add(i);
        }
        return s;
    }

    /** One GET of every pending route (bounded concurrency); those that answered right leave the set. True when empty. */
    private boolean sweep(Set<Integer> pending) throws InterruptedException {
        List<Integer> now = List.copyOf(pending);
        parallel(now.size(), k -> {
            int i = now.get(k);
            HttpResponse<String> r = get(node.url() + "/d/" + i);
            if (r != null && r.statusCode() == 200 && r.body().contains(expected(i))) {
                pending.remove(i);
            }
        });
        return pending.isEmpty();
    }

    /** Applies one deployment and polls its route every 5 ms: milliseconds from the PUT to the first 200. */
    private double firstAnswer(String name, String path, String digest) {
        long start = System.nanoTime();
        apply(name, new DeploymentSpec(digest, new DeploymentSpec.HttpSpec(path), null, 1, List.of(), Map.of(),
                new DeploymentSpec.Limits(MEMORY_MIB, null, null), Map.of()));
        Awaitility.await(name + " answering").atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    HttpResponse<String> r = get(node.url() + path);
                    return r != null && r.statusCode() == 200;
                });
        return (System.nanoTime() - start) / 1e6;
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private int ready() {
        return client.list(NAMESPACE).stream().filter(d -> d.name().startsWith("d-")).mapToInt(d -> d.status().ready()).sum();
    }

    private long maxHeapMiB() {
        String size = settings.heap.toLowerCase(java.util.Locale.ROOT);
        long n = Long.parseLong(size.replaceAll("[^0-9]", ""));
        return size.endsWith("g") ? n * 1024 : size.endsWith("m") ? n : n / (1024 * 1024);
    }

    private void writeHistogram(String histogram) throws IOException {
        Path out = Paths.root().resolve("e2e/target/bench/density-histogram.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "live objects of the node agent holding " + settings.deployments + " deployments\n" + histogram);
    }

    private Path dataDir() {
        try {
            Files.createDirectories(Paths.root().resolve("e2e/target"));
            return Files.createTempDirectory(Paths.root().resolve("e2e/target"), "data-density-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void parallel(int n, IntConsumer body) throws InterruptedException {
        Semaphore open = new Semaphore(settings.concurrency);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int index = i;
                open.acquire();
                executor.submit(() -> {
                    try {
                        body.accept(index);
                    } finally {
                        open.release();
                    }
                });
            }
        }
    }

    private static void await(String what, Duration max, java.util.concurrent.Callable<Boolean> done) {
        Awaitility.await(what).atMost(max).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(done);
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
        if (api != null) {
            api.close();
        }
    }
}
