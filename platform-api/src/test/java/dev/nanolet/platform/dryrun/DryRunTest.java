package dev.nanolet.platform.dryrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * {@code dryRun=All} on every write of one object (scale, rollback and delete of a deployment, put and delete of a
 * secret) answers as the write would — its status and body, its 4xx for invalid input, a missing permission, a stale
 * {@code If-Match} — and leaves the stored state, the resource versions and the events as they were; the audit log gets
 * the request's own entry only, as a {@code PUT}'s dry run does. Every other write refuses the parameter (400).
 */
@PlatformApiTest
class DryRunTest extends NamespaceTestBase {
    @Autowired
    JdbcClient jdbc;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    String zone;

    @BeforeEach
    void nodeWithRoomForTwo() {
        zone = "z-" + UUID.randomUUID();
        jdbc.sql("INSERT INTO nodes (name, labels, capacity_instances, capacity_memory_mib, address) "
                + "VALUES (?, ?::jsonb, 2, 1024, 'http://dry:8181')").params(zone, "{\"zone\":\"" + zone + "\"}").update();
        jdbc.sql("INSERT INTO node_leases (node_name, renewed_at) VALUES (?, now())").param(zone).update();
    }

    String deployment(String name) {
        return "/api/v1/namespaces/" + ns + "/deployments/" + name;
    }

    String secret(String name) {
        return "/api/v1/namespaces/" + ns + "/secrets/" + name;
    }

    String spec(int replicas, String greeting) {
        return "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + ns + "\"},\"replicas\":" + replicas + ",\"nodeSelector\":{\"zone\":\"" + zone + "\"},"
                + "\"env\":{\"GREETING\":\"" + greeting + "\"}}";
    }

    static Response send(ApiClient as, HttpMethod method, String path, String json, Map<String, String> headers) {
        return as.send(method, path, json == null ? null : MediaType.APPLICATION_JSON,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), headers);
    }

    Response send(HttpMethod method, String path, String json) {
        return send(admin, method, path, json, Map.of());
    }

    /** Everything stored about the namespace but its audit entries: rows whole, resource versions included. */
    List<String> stored() {
        List<String> rows = new ArrayList<>();
        for (String table : List.of("deployments", "secrets", "events")) {
            rows.addAll(jdbc.sql("SELECT to_jsonb(t)::text FROM " + table + " t WHERE namespace = ? ORDER BY 1").param(ns)
                    .query(String.class).list());
        }
        rows.addAll(jdbc.sql("SELECT to_jsonb(r)::text FROM revisions r JOIN deployments d ON d.id = r.deployment_id "
                + "WHERE d.namespace = ? ORDER BY 1").param(ns).query(String.class).list());
        return rows;
    }

    /** The audit entries of the namespace, oldest first: method, path and status. */
    List<String> audited() {
        return jdbc.sql("SELECT method || ' ' || path || ' ' || status FROM audit_log WHERE namespace = ? ORDER BY id").param(ns)
                .query(String.class).list();
    }

    /**
     * Runs {@code dryRuns}, each answering the status expected of it, and checks that nothing stored changed and that
     * each was audited as its own request only.
     */
    void changeNothing(List<Supplier<Response>> dryRuns, List<Integer> statuses) {
        List<String> before = stored();
        List<String> auditedBefore = audited();
        for (int i = 0; i < dryRuns.size(); i++) {
            Response r = dryRuns.get(i).get();
            assertThat(r.status()).as("dry run %d: %s", i, r.body()).isEqualTo(statuses.get(i));
            assertThat(r.headers().getETag()).as("dry run %d", i).isNull();
        }
        assertThat(stored()).isEqualTo(before);
        await().untilAsserted(() -> { // each entry is written once its answer is sent
            List<String> after = audited();
            assertThat(after.subList(0, auditedBefore.size())).isEqualTo(auditedBefore);
            assertThat(after.subList(auditedBefore.size(), after.size())).as("each dry run's own entry, and nothing else")
                    .extracting(entry -> Integer.parseInt(entry.substring(entry.lastIndexOf(' ') + 1))).isEqualTo(statuses);
        });
    }

    @Test
    void scaleRollbackAndDeleteOfADeploymentAnswerAsTheWriteWouldAndWriteNothing() {
        assertThat(send(HttpMethod.PUT, deployment("web"), spec(1, "a")).status()).isEqualTo(201);
        Response now = send(HttpMethod.PUT, deployment("web"), spec(1, "b"));
        assertThat(now.status()).as(now.body()).isEqualTo(200);
        String version = now.json().path("resourceVersion").asString();
        long generation = now.json().path("generation").asLong();
        ApiClient viewer = withGrant("viewer", ns);

        List<Response> answers = new ArrayList<>();
        changeNothing(List.of(
                        () -> keep(answers, send(HttpMethod.PUT, deployment("web") + "/scale?dryRun=All", "{\"replicas\":2}")),
                        () -> keep(answers, send(HttpMethod.POST, deployment("web") + "/rollback?dryRun=All", "{\"revision\":1}")),
                        () -> send(HttpMethod.DELETE, deployment("web") + "?dryRun=All", null),
                        () -> send(HttpMethod.PUT, deployment("web") + "/scale?dryRun=All", "{\"replicas\":3}"),
                        () -> send(HttpMethod.PUT, deployment("web") + "/scale?dryRun=All", "{\"replicas\":-1}"),
                        () -> send(HttpMethod.POST, deployment("web") + "/rollback?dryRun=All", "{\"revision\":9}"),
                        () -> send(HttpMethod.POST, deployment("web") + "/rollback?dryRun=All&wait=true", "{}"),
                        () -> send(HttpMethod.PUT, deployment("gone") + "/scale?dryRun=All", "{\"replicas\":1}"),
                        () -> send(HttpMethod.POST, deployment("gone") + "/rollback?dryRun=All", "{\"revision\":1}"),
                        () -> send(HttpMethod.DELETE, deployment("gone") + "?dryRun=All", null),
                        () -> send(admin, HttpMethod.PUT, deployment("web") + "/scale?dryRun=All", "{\"replicas\":2}", Map.of("If-Match", "\"1\"")),
                        () -> send(admin, HttpMethod.POST, deployment("web") + "/rollback?dryRun=All", "{\"revision\":1}", Map.of("If-Match", "\"1\"")),
                        () -> send(admin, HttpMethod.DELETE, deployment("web") + "?dryRun=All", null, Map.of("If-Match", "\"1\"")),
                        () -> send(viewer, HttpMethod.PUT, deployment("web") + "/scale?dryRun=All", "{\"replicas\":2}", Map.of()),
                        () -> send(viewer, HttpMethod.POST, deployment("web") + "/rollback?dryRun=All", "{\"revision\":1}", Map.of()),
                        () -> send(viewer, HttpMethod.DELETE, deployment("web") + "?dryRun=All", null, Map.of())),
                List.of(200, 200, 204, 200, 422, 422, 422, 404, 404, 404, 412, 412, 412, 403, 403, 403));

        Response scaled = answers.get(0);
        assertThat(scaled.json().path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(scaled.json().path("generation").asLong()).isEqualTo(generation + 1);
        assertThat(scaled.json().path("revision").asInt()).isEqualTo(2);
        assertThat(scaled.json().path("resourceVersion").asString()).isEqualTo(version);
        Response rolledBack = answers.get(1);
        assertThat(rolledBack.json().path("spec").path("env").path("GREETING").asString()).isEqualTo("a");
        assertThat(rolledBack.json().path("revision").asInt()).isEqualTo(3);
        assertThat(rolledBack.json().path("resourceVersion").asString()).isEqualTo(version);

        Response realScale = send(HttpMethod.PUT, deployment("web") + "/scale", "{\"replicas\":2}");
        assertThat(realScale.json().path("spec")).isEqualTo(scaled.json().path("spec"));
        assertThat(realScale.json().path("generation")).isEqualTo(scaled.json().path("generation"));
        Response realRollback = send(HttpMethod.POST, deployment("web") + "/rollback", "{\"revision\":1}");
        assertThat(realRollback.json().path("revision")).isEqualTo(rolledBack.json().path("revision"));
        assertThat(realRollback.json().path("spec").path("env")).isEqualTo(rolledBack.json().path("spec").path("env"));
        assertThat(send(HttpMethod.DELETE, deployment("web"), null).status()).isEqualTo(204);
    }

    /**
     * A scale or rollback beyond the room on the nodes succeeds (its replicas wait Unschedulable), so its dry run answers
     * 200 as well, not the 422 an apply's dry run answers for want of room.
     */
    @Test
    void aScaleOrRollbackBeyondTheRoomOnTheNodesIsNoErrorInADryRunEither() {
        String nowhere = spec(1, "a").replace(zone, "nowhere-" + zone);
        assertThat(send(HttpMethod.PUT, deployment("web"), nowhere).status()).isEqualTo(201);
        assertThat(send(HttpMethod.PUT, deployment("web"), spec(1, "b")).status()).isEqualTo(200);
        assertThat(send(HttpMethod.PUT, deployment("web") + "?dryRun=All", spec(3, "b")).status()).as("an apply's dry run asks for room")
                .isEqualTo(422);

        List<Response> answers = new ArrayList<>();
        changeNothing(List.of(
                        () -> keep(answers, send(HttpMethod.PUT, deployment("web") + "/scale?dryRun=All", "{\"replicas\":3}")),
                        () -> keep(answers, send(HttpMethod.POST, deployment("web") + "/rollback?dryRun=All", "{\"revision\":1}"))),
                List.of(200, 200));

        Response scaled = send(HttpMethod.PUT, deployment("web") + "/scale", "{\"replicas\":3}");
        assertThat(scaled.status()).as(scaled.body()).isEqualTo(200);
        assertThat(scaled.json().path("spec")).isEqualTo(answers.get(0).json().path("spec"));
        send(HttpMethod.PUT, deployment("web") + "/scale", "{\"replicas\":1}");
        Response rolledBack = send(HttpMethod.POST, deployment("web") + "/rollback", "{\"revision\":1}");
        assertThat(rolledBack.status()).as(rolledBack.body()).isEqualTo(200);
        assertThat(rolledBack.json().path("spec").path("nodeSelector")).isEqualTo(answers.get(1).json().path("spec").path("nodeSelector"));
    }

    private static Response keep(List<Response> answers, Response r) {
        answers.add(r);
        return r;
    }

    @Test
    void putAndDeleteOfASecretAnswerAsTheWriteWouldShowNoValueAndWriteNothing() {
        ApiClient viewer = withGrant("viewer", ns);
        List<Response> answers = new ArrayList<>();
        changeNothing(List.of(() -> keep(answers, send(HttpMethod.PUT, secret("db") + "?dryRun=All", "{\"data\":{\"password\":\"s3cret\"}}"))),
                List.of(201));
        assertThat(answers.getFirst().json().path("keys").toString()).isEqualTo("[\"password\"]");
        assertThat(answers.getFirst().json().path("version").asLong()).isEqualTo(1);
        assertThat(answers.getFirst().json().path("resourceVersion").isNull()).isTrue();
        assertThat(admin.get(secret("db")).status()).isEqualTo(404);

        Response created = send(HttpMethod.PUT, secret("db"), "{\"data\":{\"password\":\"s3cret\"}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(send(HttpMethod.PUT, secret("spare"), "{\"data\":{\"k\":\"v\"}}").status()).isEqualTo(201);
        assertThat(send(HttpMethod.PUT, deployment("app"), "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + ns + "/app\"},\"replicas\":0,"
                + "\"env\":{\"PASSWORD\":{\"valueFrom\":{\"secret\":\"db\",\"key\":\"password\"}}}}").status()).isEqualTo(201);
        String version = created.json().path("resourceVersion").asString();

        answers.clear();
        changeNothing(List.of(
                        () -> keep(answers, send(HttpMethod.PUT, secret("db") + "?dryRun=All", "{\"data\":{\"password\":\"s3cret\"}}")),
                        () -> keep(answers, send(HttpMethod.PUT, secret("db") + "?dryRun=All", "{\"data\":{\"password\":\"n3w\",\"user\":\"app\"}}")),
                        () -> send(HttpMethod.DELETE, secret("spare") + "?dryRun=All", null),
                        () -> send(HttpMethod.DELETE, secret("db") + "?dryRun=All", null),
                        () -> send(HttpMethod.PUT, secret("db") + "?dryRun=All", "{\"data\":{\"not a key!\":\"x\"}}"),
                        () -> send(HttpMethod.PUT, secret("db") + "?dryRun=All", "{}"),
                        () -> send(HttpMethod.DELETE, secret("gone") + "?dryRun=All", null),
                        () -> send(admin, HttpMethod.PUT, secret("db") + "?dryRun=All", "{\"data\":{\"password\":\"x\"}}", Map.of("If-Match", "\"1\"")),
                        () -> send(admin, HttpMethod.DELETE, secret("spare") + "?dryRun=All", null, Map.of("If-Match", "\"1\"")),
                        () -> send(viewer, HttpMethod.PUT, secret("db") + "?dryRun=All", "{\"data\":{\"password\":\"x\"}}", Map.of()),
                        () -> send(viewer, HttpMethod.DELETE, secret("spare") + "?dryRun=All", null, Map.of())),
                List.of(200, 200, 204, 409, 422, 422, 404, 412, 412, 403, 403));

        assertThat(answers.get(0).json().path("version").asLong()).isEqualTo(1);
        assertThat(answers.get(1).json().path("version").asLong()).isEqualTo(2);
        assertThat(answers.get(1).json().path("keys").toString()).isEqualTo("[\"password\",\"user\"]");
        assertThat(answers).allSatisfy(r -> {
            assertThat(r.json().path("resourceVersion").asString()).isEqualTo(version);
            assertThat(r.body()).doesNotContain("s3cret").doesNotContain("n3w");
        });
        Response replaced = send(HttpMethod.PUT, secret("db"), "{\"data\":{\"password\":\"n3w\",\"user\":\"app\"}}");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().path("version")).isEqualTo(answers.get(1).json().path("version"));
        assertThat(replaced.json().path("keys")).isEqualTo(answers.get(1).json().path("keys"));
    }

    @Test
    void anInvalidDryRunIs400OnEveryWriteThatTakesOne() {
        assertThat(send(HttpMethod.PUT, deployment("web"), spec(1, "a")).status()).isEqualTo(201);
        assertThat(send(HttpMethod.PUT, secret("db"), "{\"data\":{\"k\":\"v\"}}").status()).isEqualTo(201);
        changeNothing(List.of(
                        () -> send(HttpMethod.PUT, deployment("web") + "?dryRun=Server", spec(2, "b")),
                        () -> send(HttpMethod.PUT, deployment("web") + "/scale?dryRun=all", "{\"replicas\":2}"),
                        () -> send(HttpMethod.POST, deployment("web") + "/rollback?dryRun=", "{\"revision\":1}"),
                        () -> send(HttpMethod.DELETE, deployment("web") + "?dryRun=true", null),
                        () -> send(HttpMethod.PUT, secret("db") + "?dryRun=None", "{\"data\":{\"k\":\"w\"}}"),
                        () -> send(HttpMethod.DELETE, secret("db") + "?dryRun=1", null)),
                List.of(400, 400, 400, 400, 400, 400));
        assertThat(post(admin, "/api/v1/apply?dryRun=Client", "apiVersion: nanolet.dev/v1\nkind: Deployment\n"
                + "metadata: {namespace: " + ns + ", name: web}\nspec: " + spec(2, "b")).status()).isEqualTo(400);
        assertThat(admin.get(deployment("web")).json().path("spec").path("replicas").asInt()).isEqualTo(1);
    }

    /** {@code dryRun} in another case is read by no handler, so it is refused rather than the write made for real. */
    @Test
    void dryRunInAnotherCaseIs400AndWritesNothing() {
        assertThat(send(HttpMethod.PUT, deployment("web"), spec(1, "a")).status()).isEqualTo(201);
        assertThat(send(HttpMethod.PUT, secret("db"), "{\"data\":{\"k\":\"v\"}}").status()).isEqualTo(201);
        changeNothing(List.of(
                        () -> send(HttpMethod.PUT, deployment("web") + "/scale?dryrun=All", "{\"replicas\":2}"),
                        () -> send(HttpMethod.PUT, deployment("web") + "?DryRun=All", spec(2, "b")),
                        () -> send(HttpMethod.DELETE, secret("db") + "?DRYRUN=All", null),
                        () -> send(HttpMethod.DELETE, deployment("web") + "?dryRun=All&dryrun=All", null)),
                List.of(400, 400, 400, 400));
        Response r = send(HttpMethod.DELETE, deployment("web") + "?dryrun=All", null);
        assertThat(r.headers().getContentType()).hasToString("application/problem+json");
        assertThat(r.json().path("detail").asString()).isEqualTo("dryRun: the parameter is spelt dryRun; nothing was done");
    }

    /** A write without a dry run refuses the parameter before it reads its body: it never writes for real. */
    @Test
    void everyOtherWriteRefusesDryRunAndWritesNothing() {
        int tokens = jdbc.sql("SELECT count(*) FROM api_tokens").query(Integer.class).single();
        List<Response> refused = List.of(
                admin.json(HttpMethod.POST, "/api/v1/tokens?dryRun=All", "{\"name\":\"dry\",\"grants\":[{\"role\":\"viewer\",\"namespace\":\"" + ns + "\"}]}"),
                admin.send(HttpMethod.DELETE, "/api/v1/tokens/" + UUID.randomUUID() + "?dryRun=All", null, null, Map.of()),
                admin.send(HttpMethod.POST, "/api/v1/modules?dryRun=All", MediaType.parseMediaType("application/wasm"),
                        ApiClient.unique(ApiClient.wasm("hello.wasm")), Map.of()),
                admin.send(HttpMethod.DELETE, "/api/v1/modules/" + module + "?dryRun=All", null, null, Map.of()),
                admin.json(HttpMethod.PUT, "/api/v1/nodes/" + zone + "/labels?dryRun=All", "{\"labels\":{}}"),
                admin.send(HttpMethod.DELETE, "/api/v1/nodes/" + zone + "?dryRun=All", null, null, Map.of()),
                admin.send(HttpMethod.POST, "/api/v1/secrets:rotate?dryRun=All", null, null, Map.of()),
                admin.send(HttpMethod.POST, "/api/v1/diff?dryRun=All", YAML, "[]".getBytes(StandardCharsets.UTF_8), Map.of()));
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.headers().getContentType()).hasToString("application/problem+json");
            assertThat(r.json().path("detail").asString()).isEqualTo("dryRun: this write has no dry run; nothing was done");
        });
        assertThat(jdbc.sql("SELECT count(*) FROM api_tokens").query(Integer.class).single()).isEqualTo(tokens);
        assertThat(admin.get("/api/v1/modules/" + module).status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT labels ->> 'zone' FROM nodes WHERE name = ?").param(zone).query(String.class).single()).isEqualTo(zone);
    }

    /** Which writes take {@code dryRun}: a new write is refused it until its handler takes it and honours it. */
    @Test
    void theWritesThatTakeADryRun() {
        List<String> taking = mappings.getHandlerMethods().entrySet().stream()
                .filter(e -> DryRunRefusal.takesDryRun(e.getValue()))
                .filter(e -> !e.getKey().getMethodsCondition().getMethods().contains(RequestMethod.GET)) // GET /audit: a filter
                .map(e -> e.getKey().getMethodsCondition() + " " + e.getKey().getPathPatternsCondition())
                .sorted().toList();
        assertThat(taking).containsExactly(
                "[DELETE] [/api/v1/namespaces/{namespace}/deployments/{name}]",
                "[DELETE] [/api/v1/namespaces/{namespace}/secrets/{name}]",
                "[POST] [/api/v1/apply]",
                "[POST] [/api/v1/namespaces/{namespace}/deployments/{name}/rollback]",
                "[PUT] [/api/v1/namespaces/{namespace}/deployments/{name}/scale]",
                "[PUT] [/api/v1/namespaces/{namespace}/deployments/{name}]",
                "[PUT] [/api/v1/namespaces/{namespace}/secrets/{name}]");
    }
}
