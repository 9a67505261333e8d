package dev.nanolet.e2e;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.AssignmentSnapshot;
import dev.nanolet.wire.NodeCredential;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node that speaks the real node protocol over real HTTP (registration with the bootstrap token,
 * its own credential, lease, assignments, status reports) but runs nothing: an http replica is
 * reported Running, a job whose first argument is {@code 0} Succeeded, any other job
 * CrashLoopBackOff with the exit code as its reason. It stands in for node-agent, whose client of
 * the per-node credentials (platform-api's node protocol at this commit) is still being written on
 * another branch; the CLI's pipeline only needs replicas to reach these phases.
 */
final class StandInNode implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final Set<UUID> reported = ConcurrentHashMap.newKeySet();
    private final String api;
    private final String name;
    private final String credential;

    StandInNode(String api, String bootstrapToken, String name) {
        this.api = api;
        this.name = name;
        NodeRegistration registration = new NodeRegistration(name, Map.of(), new NodeRegistration.Capacity(20, 4096),
                "http://localhost:" + Paths.freePort());
        this.credential = JSON.readValue(send("POST", "/api/v1/nodes", registration, bootstrapToken, 201), NodeCredential.class).token();
        loop.scheduleWithFixedDelay(this::tick, 0, 300, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            send("PUT", "/api/v1/nodes/" + name + "/lease", null, credential, 200);
            AssignmentSnapshot snapshot = JSON.readValue(send("GET", "/api/v1/nodes/" + name + "/assignments", null, credential, 200),
                    AssignmentSnapshot.class);
            for (Assignment a : snapshot.replicas()) {
                if (a.terminating()) {
                    report(a, ReplicaPhase.Terminating, null, null);
                } else if (reported.add(a.replicaId())) {
                    run(a);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("stand-in node " + name + ": " + e.getMessage());
        }
    }

    private void run(Assignment a) {
        if (a.spec().servesHttp()) {
            report(a, ReplicaPhase.Running, null, null);
            return;
        }
        List<String> args = a.spec().args();
        String code = args.isEmpty() ? "0" : args.getFirst();
        report(a, ReplicaPhase.Starting, null, null);
        if (code.equals("0")) {
            report(a, ReplicaPhase.Succeeded, null, null);
        } else {
            report(a, ReplicaPhase.CrashLoopBackOff, "ExitCode", "exited with code " + code + "; restarting with back-off");
        }
    }

    private void report(Assignment a, ReplicaPhase phase, String reason, String message) {
        send("PUT", "/api/v1/nodes/" + name + "/replicas/" + a.replicaId() + "/status",
                new ReplicaStatusReport(phase, reason, message, null), credential, 0);
    }

    private String send(String method, String path, Object body, String token, int expected) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (expected != 0 && r.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
