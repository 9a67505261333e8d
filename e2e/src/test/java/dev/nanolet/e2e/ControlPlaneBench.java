package dev.nanolet.e2e;

import dev.nanolet.testsupport.TestPostgres;
import dev.nanolet.wire.ReplicaPhase;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The control-plane benchmark: {@code apis} platform-api processes on one fresh PostgreSQL database,
 * {@code nodes} {@link SimulatedNode}s in this JVM, {@code replicas} HTTP replicas applied at once as
 * deployments of at most {@code perDeployment} each; then every deployment scaled to zero. Measures
 * time to all Running, binds per second, watch delivery latency (the binding transaction's timestamp in
 * {@code assignment_changes} → the SSE event read on the node) and platform-api CPU time and heap.
 */
final class ControlPlaneBench implements AutoCloseable {
    /** What one run is. */
    record Settings(int nodes, int replicas, int apis, int perDeployment, boolean batched, boolean jfr) {
        static Settings fromSystemProperties(int nodes, int replicas) {
            return new Settings(Integer.getInteger("bench.nodes", nodes), Integer.getInteger("bench.replicas", replicas),
                    Integer.getInteger("bench.apis", 1), Integer.getInteger("bench.perDeployment", 1000),
                    Boolean.parseBoolean(System.getProperty("bench.batched", "true")), Boolean.getBoolean("bench.jfr"));
        }
    }

    /** What one run measured. */
    record Result(Settings settings, double runningSeconds, double bindsPerSecond, double deliveryP50Ms, double deliveryP99Ms,
            double zeroSeconds, double apiCpuSeconds, double nodesCpuSeconds, long apiHeapMiB, int reportErrors,
            String refusals, int batchRetries, String evictions, long statusCalls, long statusReports, long routeFetches, String load) {
        String text() {
            return String.format("""
                    control-plane benchmark: %d nodes, %d replicas (%d per deployment), %d platform-api, %s status reports%s
                      apply -> all Running      %8.2f s
                      binds per second          %8.0f
                      watch delivery p50 / p99  %8.1f / %.1f ms
                      scale to zero -> all gone %8.2f s
                      platform-api CPU          %8.1f s (all instances, whole run)   heap used at the end %d MiB (largest instance)
                      simulated nodes CPU       %8.1f s (this JVM, whole run)
                      status reports refused    %8d   %s(batches sent again after a 429/5xx: %d)
                      evicted (NotReady)        %s
                      status calls / reports    %8d / %d (%.2f calls, %.2f reports per replica; first attempts)
                      route-table fetches       %8d (%.1f per node; after a snapshot or a routes event, and every 2 s, as the agent)
                      load average              %s""",
                    settings.nodes, settings.replicas, settings.perDeployment, settings.apis,
                    settings.batched ? "batched" : "one-by-one", settings.jfr ? ", JFR on" : "",
                    runningSeconds, bindsPerSecond, deliveryP50Ms, deliveryP99Ms, zeroSeconds, apiCpuSeconds, apiHeapMiB,
                    nodesCpuSeconds, reportErrors, refusals.isEmpty() ? "" : refusals + " ", batchRetries, evictions,
                    statusCalls, statusReports, statusCalls / (double) settings.replicas, statusReports / (double) settings.replicas,
                    routeFetches, routeFetches / (double) settings.nodes, load);
        }
    }

    /**
     * How often a simulated node renews its lease: the agent's default ({@code NANOLET_LEASE_RENEW_INTERVAL}).
     * It was 2 s, two and a half times the renewals a real fleet sends.
     */
    private static final Duration RENEW_EVERY = Duration.ofSeconds(5);

    private final Settings settings;
    private final String adminToken = "admin-" + UUID.randomUUID();
    private final String nodeToken = "node-" + UUID.randomUUID();
    private final List<ServiceProcess> apis = new ArrayList<>();
    private final List<SimulatedNode> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<UUID, Instant> addedAt = new ConcurrentHashMap<>();
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    private final Set<UUID> deleted = ConcurrentHashMap.newKeySet();
    private final Set<String> snapshots = ConcurrentHashMap.newKeySet();
    private final AtomicInteger errors = new AtomicInteger();
    private final Map<String, AtomicInteger> refusals = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final AtomicInteger retries = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong statusCalls = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong statusReports = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong routeFetches = new java.util.concurrent.atomic.AtomicLong();
    private TestPostgres.Database db;

    ControlPlaneBench(Settings settings) {
        this.settings = settings;
    }

    Result run() throws Exception {
        String loadBefore = loadAverage();
        db = TestPostgres.newDatabase();
        for (int i = 0; i < settings.apis; i++) {
            apis.add(startApi(i));
        }
        // two JVMs starting at once on a loaded 2-core machine took more than the tests' two minutes
        apis.forEach(api -> api.awaitUp(Duration.ofMinutes(6)));
        SimulatedNode.Recorder recorder = new Recorder();
        int capacity = settings.replicas / settings.nodes * 2 + 10;
        for (int i = 0; i < settings.nodes; i++) {
            String api = apis.get(i % apis.size()).url();
            nodes.add(new SimulatedNode("sim-" + i, api, http, recorder, settings.batched)
                    .start(nodeToken, capacity, RENEW_EVERY));
        }
        await("every node's first snapshot", Duration.ofMinutes(3), () -> snapshots.size() == settings.nodes);
        ApiClient client = new ApiClient(apis.getFirst().url(), adminToken);
        String digest = client.upload(Paths.example("hello")).digest();
        long cpuBefore = apiCpuNanos();
        long ownCpuBefore = ownCpuNanos();

        List<String> names = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int left = settings.replicas, i = 0; left > 0; left -= settings.perDeployment, i++) {
            names.add("bench-" + i);
            sizes.add(Math.min(left, settings.perDeployment));
        }
        Instant applied = Instant.now();
        parallel(names.size(), i -> client.apply("bench", names.get(i), Specs.http(digest, "/bench/" + i, sizes.get(i))));
        Duration generous = Duration.ofSeconds(Math.max(120, settings.replicas / 20));
        await("every replica bound and delivered", generous, () -> addedAt.size() >= settings.replicas);
        Instant allBound = addedAt.values().stream().max(Instant::compareTo).orElseThrow();
        await("every replica Running", generous, () -> running.size() >= settings.replicas);
        Instant allRunning = Instant.now();
        // a slower poll: each one is a GET per deployment, which at 20 ms was hundreds of requests a second to platform-api
        await("the API to count every replica ready", generous, Duration.ofMillis(250), () -> ready(client, names) >= settings.replicas);
        List<Double> delivery = deliveryMillis();

        Instant zero = Instant.now();
        parallel(names.size(), i -> client.scale("bench", names.get(i), 0));
        await("every replica deleted", generous, () -> deleted.size() >= settings.replicas);
        Instant allGone = Instant.now();
        long cpu = apiCpuNanos() - cpuBefore;
        long ownCpu = ownCpuNanos() - ownCpuBefore;
        long heap = apis.stream().mapToLong(api -> Jcmd.heapUsedMiB(api.pid())).max().orElse(-1);

        return new Result(settings, seconds(applied, allRunning), settings.replicas / seconds(applied, allBound),
                percentile(delivery, 50), percentile(delivery, 99), seconds(zero, allGone), cpu / 1e9, ownCpu / 1e9, heap, errors.get(),
                refusals.isEmpty() ? "" : refusals.toString(), retries.get(), evictions(), statusCalls.get(), statusReports.get(),
                routeFetches.get(), loadBefore + " before, " + loadAverage() + " after");
    }

    private ServiceProcess startApi(int i) {
        int port = Paths.freePort();
        Map<String, String> env = Bench.apiEnvironment(port, db, adminToken, nodeToken);
        env.put("NANOLET_NODES_MAX_WATCHES_PER_NODE", "4");
        String pool = System.getProperty("bench.dbPool"); // connections per instance; platform-api's default (10) if unset
        if (pool != null) {
            env.put("NANOLET_DB_POOL_SIZE", pool);
        }
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        if (settings.jfr) {
            Path jfr = Paths.root().resolve("e2e/target/bench/platform-api-" + i + ".jfr");
            mkdirs(jfr.getParent());
            jvm.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        }
        return new ServiceProcess("bench-platform-api-" + i, "platform-api", port, env, jvm).launch();
    }

    private int ready(ApiClient client, List<String> names) {
        return names.stream().mapToInt(n -> client.get("bench", n).status().ready()).sum();
    }

    /** Delivery latency of every {@code added} change: its stamp in the log → read by the node. */
    private List<Double> deliveryMillis() throws SQLException {
        List<Double> millis = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                ResultSet rs = c.createStatement().executeQuery("SELECT replica_id, created_at FROM assignment_changes WHERE kind = 'added'")) {
            while (rs.next()) {
                Instant seen = addedAt.get(rs.getObject(1, UUID.class));
                if (seen != null) {
                    millis.add(Duration.between(rs.getTimestamp(2).toInstant(), seen).toNanos() / 1e6);
                }
            }
        }
        millis.sort(Double::compare);
        return millis;
    }

    /** Nodes that went NotReady and replicas evicted from them, from the platform's events (none in a healthy run). */
    private String evictions() throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                ResultSet rs = c.createStatement().executeQuery("""
                        SELECT count(DISTINCT node_name) FILTER (WHERE reason = 'NodeNotReady'), count(*) FILTER (WHERE reason = 'Evicted')
                        FROM events""")) {
            rs.next();
            return String.format("%8d nodes, %d replicas", rs.getInt(1), rs.getInt(2));
        }
    }

    private long apiCpuNanos() {
        return apis.stream().mapToLong(p -> p.cpu().toNanos()).sum();
    }

    /** This JVM's CPU: the simulated nodes (they share the machine's cores with platform-api and PostgreSQL). */
    private static long ownCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    static double percentile(List<Double> sorted, int p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** Runs {@code body} for 0 … n-1 at once, each call again while platform-api answers 503; the first failure fails the run. */
    private static void parallel(int n, java.util.function.IntConsumer body) throws Exception {
        List<java.util.concurrent.Future<?>> calls = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int index = i;
                calls.add(executor.submit(() -> againWhileUnavailable(() -> body.accept(index))));
            }
        }
        for (var call : calls) {
            call.get();
        }
    }

    /**
     * Calls again (200 ms apart, for up to a minute) while platform-api answers 503: under a burst a
     * request may find no free database connection within its wait (503 + Retry-After), and a client
     * that honours Retry-After sends it again. Before, such an apply was lost without a word and the
     * run waited for replicas that no deployment asked for.
     */
    private static void againWhileUnavailable(Runnable call) {
        org.awaitility.Awaitility.await("a call that platform-api answers 503 for the while").atMost(Duration.ofMinutes(1)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    try {
                        call.run();
                        return true;
                    } catch (IllegalStateException e) {
                        if (e.getMessage() == null || !e.getMessage().contains(" -> 503 ")) {
                            throw e;
                        }
                        return false;
                    }
                });
    }

    private static void await(String what, Duration max, BooleanSupplier done) {
        await(what, max, Duration.ofMillis(20), done);
    }

    private static void await(String what, Duration max, Duration poll, BooleanSupplier done) {
        org.awaitility.Awaitility.await(what).atMost(max).pollInterval(poll).until(done::getAsBoolean);
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private final class Recorder implements SimulatedNode.Recorder {
        @Override
        public void snapshot(String node) {
            snapshots.add(node);
        }

        @Override
        public void added(UUID replica) {
            addedAt.putIfAbsent(replica, Instant.now());
        }

        @Override
        public void reported(UUID replica, ReplicaPhase phase, int status) {
            if (status >= 300) {
                errors.incrementAndGet();
                refusals.computeIfAbsent(phase + " " + status, k -> new AtomicInteger()).incrementAndGet();
            } else if (phase == ReplicaPhase.Running) {
                running.add(replica);
            }
        }

        @Override
        public void deleted(UUID replica) {
            deleted.add(replica);
        }

        @Override
        public void retried(int status) {
            retries.incrementAndGet();
        }

        @Override
        public void statusCall(int reports) {
            statusCalls.incrementAndGet();
            statusReports.addAndGet(reports);
        }

        @Override
        public void routeFetch() {
            routeFetches.incrementAndGet();
        }
    }

    @Override
    public void close() {
        nodes.forEach(SimulatedNode::close);
        apis.forEach(ServiceProcess::close);
    }
}
