package dev.nanolet.e2e;

import dev.nanolet.testsupport.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A whole Nanolet on this machine for one test class: platform-api and node agents as real
 * processes on free ports, on a fresh PostgreSQL database.
 */
final class LocalPlatform implements AutoCloseable {
    static final String LEASE_DURATION = "4s";

    final String adminToken = "admin-" + UUID.randomUUID();
    final String nodeToken = "node-" + UUID.randomUUID();
    private final TestPostgres.Database db = TestPostgres.newDatabase();
    private final int apiPort = Paths.freePort();
    private ServiceProcess api;
    private final List<ServiceProcess> nodes = new ArrayList<>();
    private final Path cacheRoot;

    LocalPlatform(Path cacheRoot) {
        this.cacheRoot = cacheRoot;
    }

    LocalPlatform startApi() {
        Map<String, String> env = new HashMap<>();
        env.put("NANOLET_API_PORT", String.valueOf(apiPort));
        env.put("NANOLET_DB_URL", db.url());
        env.put("NANOLET_DB_USER", db.user());
        env.put("NANOLET_DB_PASSWORD", db.password());
        env.put("NANOLET_ADMIN_TOKEN", adminToken);
        env.put("NANOLET_NODE_TOKEN", nodeToken);
        env.put("NANOLET_LEASE_DURATION", LEASE_DURATION);
        api = new ServiceProcess("platform-api-" + apiPort, "platform-api", apiPort, env).start();
        return this;
    }

    /** Starts a node agent named {@code name}; its extra environment overrides the defaults. */
    ServiceProcess startNode(String name, Map<String, String> extra) {
        int port = Paths.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("NANOLET_PLATFORM_URL", apiUrl());
        env.put("NANOLET_NODE_TOKEN", nodeToken);
        env.put("NANOLET_NODE_NAME", name);
        env.put("NANOLET_NODE_PORT", String.valueOf(port));
        env.put("NANOLET_NODE_ADDRESS", "http://localhost:" + port);
        env.put("NANOLET_NODE_CACHE_DIR", cacheRoot.resolve(name).toString());
        env.putAll(extra);
        ServiceProcess node = new ServiceProcess(name + "-" + port, "node-agent", port, env).start();
        nodes.add(node);
        return node;
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
    public void close() {
        nodes.forEach(ServiceProcess::close);
        if (api != null) {
            api.close();
        }
    }
}
