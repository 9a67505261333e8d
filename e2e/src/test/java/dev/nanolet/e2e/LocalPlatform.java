package dev.nanolet.e2e;

import dev.nanolet.testsupport.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A whole Nanolet on this machine for one test class: platform-api, node agents and admin-ui as
 * real processes on free ports, on a fresh PostgreSQL database. Registered as a JUnit extension
 * so that a failed test prints the tail of every process log.
 */
final class LocalPlatform implements AutoCloseable, TestWatcher {
    /** Short, so that a dead node is noticed within seconds. */
    static final String LEASE_DURATION = "4s";
    static final int LEASE_SECONDS = 4;
    /** Jobs of a NotReady node are replaced this long after its lease expired (the node fences them at expiry). */
    static final String JOB_FENCE_MARGIN = "2s";
    /**
     * The longest back-off of a node started beside platform-api ({@code nanolet.platform.retry-max}, 30 s by default):
     * it registers within a second of platform-api answering, where the default back-off once left a node 12 s behind a
     * platform-api that took 80 s to start on a loaded machine. Nodes started after platform-api keep the default, so
     * that PartitionE2eTest's node-p learns of its return by its lease renewal, not by a watch retried every second.
     */
    static final String RETRY_MAX_BESIDE_API = "1s";

    final String adminToken = "admin-" + UUID.randomUUID();
    final String nodeToken = "node-" + UUID.randomUUID();
    /** Seals secrets at rest (NANOLET_SECRETS_KEY); kept across restarts of platform-api, as an operator keeps it. */
    final String secretsKey = randomKey();
    private final int apiPort = Paths.freePort();
    private final List<ServiceProcess> processes = new ArrayList<>();
    private TestPostgres.Database db;
    private ServiceProcess api;
    private final Map<String, String> apiEnv = new HashMap<>();

    /** Runs platform-api on {@code database} (for example a server the test stops) instead of a new database on the shared server. */
    LocalPlatform onDatabase(TestPostgres.Database database) {
        db = database;
        return this;
    }

    /** Starts platform-api with {@code name} set to {@code value} in its environment (a setting the test needs short). */
    LocalPlatform withApiEnv(String name, String value) {
        apiEnv.put(name, value);
        return this;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /** Starts platform-api (again, after a kill: same port, same database). */
    LocalPlatform startApi() {
        api = launchApi().awaitUp();
        return this;
    }

    /**
     * Starts platform-api and node agents side by side (as {@link #node}) and waits for all of them: a node retries
     * its registration until platform-api answers, so the two JVM starts overlap instead of following each other.
     * These nodes retry at least once a second ({@link #RETRY_MAX_BESIDE_API}).
     */
    List<ServiceProcess> start(String... nameAndLabels) {
        ServiceProcess launched = launchApi();
        List<ServiceProcess> nodes = launchNodes(apiUrl(), Map.of("NANOLET_PLATFORM_RETRYMAX", RETRY_MAX_BESIDE_API), nameAndLabels);
        api = launched.awaitUp();
        nodes.forEach(ServiceProcess::awaitUp);
        return nodes;
    }

    private ServiceProcess launchApi() {
        if (db == null) {
            db = TestPostgres.newDatabase();
        }
        Map<String, String> env = new HashMap<>();
        env.put("NANOLET_API_PORT", String.valueOf(apiPort));
        env.put("NANOLET_DB_URL", db.url());
        env.put("NANOLET_DB_USER", db.user());
        env.put("NANOLET_DB_PASSWORD", db.password());
        env.put("SPRING_DATASOURCE_URL", db.url());
        env.put("SPRING_DATASOURCE_USERNAME", db.user());
        env.put("SPRING_DATASOURCE_PASSWORD", db.password());
        env.put("NANOLET_ADMIN_TOKEN", adminToken);
        env.put("NANOLET_NODE_TOKEN", nodeToken);
        env.put("NANOLET_SECRETS_KEY", secretsKey);
        env.put("NANOLET_LEASE_DURATION", LEASE_DURATION);
        env.put("NANOLET_NODES_LEASE_DURATION", LEASE_DURATION);
        env.put("NANOLET_JOB_FENCE_MARGIN", JOB_FENCE_MARGIN);
        env.putAll(apiEnv);
        ServiceProcess launched = new ServiceProcess("platform-api-" + apiPort, "platform-api", apiPort, env);
        processes.add(launched);
        return launched.launch();
    }

    /** Starts node agents side by side (as {@link #node}) and waits for all of them. */
    List<ServiceProcess> startNodes(String... nameAndLabels) {
        return startNodesVia(apiUrl(), nameAndLabels);
    }

    /** As {@link #startNodes}, the nodes reaching platform-api at {@code platformUrl} (for example through a proxy). */
    List<ServiceProcess> startNodesVia(String platformUrl, String... nameAndLabels) {
        List<ServiceProcess> nodes = launchNodes(platformUrl, Map.of(), nameAndLabels);
        nodes.forEach(ServiceProcess::awaitUp);
        return nodes;
    }

    private List<ServiceProcess> launchNodes(String platformUrl, Map<String, String> env, String... nameAndLabels) {
        List<ServiceProcess> nodes = new ArrayList<>();
        for (String spec : nameAndLabels) {
            String[] parts = spec.split(" ", 2);
            ServiceProcess node = node(parts[0], parts.length > 1 ? parts[1] : "", platformUrl, env);
            processes.add(node);
            nodes.add(node.launch());
        }
        return nodes;
    }

    /**
     * A node agent named {@code name} with {@code labels}: lease renewed every second (and
     * given up after {@link #LEASE_DURATION}), job restarts backing off from 1 s to 4 s, and {@code extra} in its environment.
     */
    private ServiceProcess node(String name, String labels, String platformUrl, Map<String, String> extra) {
        int port = Paths.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("NANOLET_PLATFORM_URL", platformUrl);
        env.put("NANOLET_LEASE_DURATION", LEASE_DURATION);
        env.put("NANOLET_NODE_TOKEN", nodeToken);
        env.put("NANOLET_NODE_NAME", name);
        env.put("NANOLET_NODE_LABELS", labels);
        env.put("NANOLET_NODE_PORT", String.valueOf(port));
        env.put("NANOLET_NODE_ADDRESS", "http://localhost:" + port);
        env.put("NANOLET_NODE_DATA_DIR", dataDir(name).toString());
        env.put("NANOLET_LEASE_RENEW_INTERVAL", "1s");
        env.put("NANOLET_RESTART_BACKOFF_BASE", "1s");
        env.put("NANOLET_RESTART_BACKOFF_MAX", "4s");
        env.putAll(extra);
        return new ServiceProcess(name + "-" + port, "node-agent", port, env);
    }

    /** Starts admin-ui; its "try it" button sends requests to {@code routeUrl} (a node's data plane). */
    ServiceProcess startUi(String routeUrl) {
        int port = Paths.freePort();
        return start(new ServiceProcess("admin-ui-" + port, "admin-ui", port,
                Map.of("NANOLET_UI_PORT", String.valueOf(port), "NANOLET_PLATFORM_URL", apiUrl(), "NANOLET_ROUTE_URL", routeUrl)));
    }

    private ServiceProcess start(ServiceProcess process) {
        processes.add(process);
        return process.start();
    }

    private Path dataDir(String node) {
        try {
            return Files.createTempDirectory(Paths.root().resolve("e2e/target"), "data-" + node + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int apiPort() {
        return apiPort;
    }

    String apiUrl() {
        return "http://localhost:" + apiPort;
    }

    ServiceProcess api() {
        return api;
    }

    ApiClient client() {
        return new ApiClient(apiUrl(), adminToken);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.err.println("=== " + context.getDisplayName() + " failed: " + cause);
        for (ServiceProcess p : processes) {
            System.err.println("=== last lines of " + p.name() + (p.alive() ? "" : " (not running)") + "\n" + p.logTail(120));
        }
    }

    /** Stops every process, nodes first, then the API. */
    @Override
    public void close() {
        processes.reversed().forEach(ServiceProcess::close);
    }
}
