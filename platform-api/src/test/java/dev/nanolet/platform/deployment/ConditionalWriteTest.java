package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Optimistic concurrency over real HTTP: every answer that shows a deployment carries its ETag (its resourceVersion),
 * which changes on every write a client could overwrite; a write with an If-Match that no longer holds is 412 and
 * changes nothing, atomically with concurrent writers; If-None-Match: * creates only.
 */
@PlatformApiTest
class ConditionalWriteTest extends NamespaceTestBase {
    /** Fewer than the connection pool's 10, one of which the test holds. */
    static final int WRITERS = 4;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    String path(String name) {
        return "/api/v1/namespaces/" + ns + "/deployments/" + name;
    }

    String spec(String name, int replicas, String greeting) {
        return "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + ns + "/" + name + "\"},\"replicas\":" + replicas
                + ",\"env\":{\"GREETING\":\"" + greeting + "\"}}";
    }

    Response send(HttpMethod method, String path, String json, Map<String, String> headers) {
        return admin.send(method, path, json == null ? null : MediaType.APPLICATION_JSON,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), headers);
    }

    Response put(String name, String spec, Map<String, String> headers) {
        return send(HttpMethod.PUT, path(name), spec, headers);
    }

    static Map<String, String> ifMatch(String etag) {
        return Map.of("If-Match", etag);
    }

    static String etagOf(Response r) {
        return r.headers().getETag();
    }

    @Test
    void everyAnswerThatShowsTheDeploymentCarriesItsETagAndEveryWriteANewOne() {
        Response created = put("web", spec("web", 1, "hi"), Map.of());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String version = created.json().path("resourceVersion").asString();
        assertThat(version).isNotBlank();
        assertThat(etagOf(created)).isEqualTo("\"" + version + "\"");
        assertThat(etagOf(admin.get(path("web")))).isEqualTo(etagOf(created));
        assertThat(admin.get(path("web")).json().path("resourceVersion").asString()).isEqualTo(version);

        Response unchanged = put("web", spec("web", 1, "hi"), Map.of());
        Response scaled = send(HttpMethod.PUT, path("web") + "/scale", "{\"replicas\":2}", Map.of());
        Response changed = put("web", spec("web", 2, "hello"), Map.of());
        Response rolledBack = send(HttpMethod.POST, path("web") + "/rollback", "{\"revision\":1}", Map.of());

        assertThat(etagOf(unchanged)).as("a write that changes nothing keeps the version").isEqualTo(etagOf(created));
        List<String> etags = List.of(etagOf(created), etagOf(scaled), etagOf(changed), etagOf(rolledBack));
        assertThat(etags).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(etagOf(admin.get(path("web")))).isEqualTo(etagOf(rolledBack));
        assertThat(admin.get(path("web")).json().path("resourceVersion").asString())
                .isEqualTo(rolledBack.json().path("resourceVersion").asString());
    }

    @Test
    void aStaleIfMatchIs412NamingTheCurrentVersionAndChangesNothing() {
        String stale = etagOf(put("web", spec("web", 1, "hi"), Map.of()));
        Response other = put("web", spec("web", 1, "theirs"), Map.of());
        String current = other.json().path("resourceVersion").asString();

        Response r = put("web", spec("web", 3, "mine"), ifMatch(stale));
        Response scale = send(HttpMethod.PUT, path("web") + "/scale", "{\"replicas\":5}", ifMatch(stale));
        Response rollback = send(HttpMethod.POST, path("web") + "/rollback", "{\"revision\":1}", ifMatch(stale));
        Response delete = send(HttpMethod.DELETE, path("web"), null, ifMatch(stale));
        Response dryRun = send(HttpMethod.PUT, path("web") + "?dryRun=All", spec("web", 3, "mine"), ifMatch(stale));

        assertThat(List.of(r, scale, rollback, delete, dryRun)).extracting(Response::status).containsOnly(412);
        assertThat(r.headers().getContentType()).hasToString("application/problem+json");
        assertThat(r.json().path("resourceVersion").asString()).isEqualTo(current);
        assertThat(r.json().path("detail").asString()).contains("deployment " + ns + "/web", current);
        Response now = admin.get(path("web"));
        assertThat(now.status()).isEqualTo(200);
        assertThat(now.json().path("spec").path("env").path("GREETING").asString()).isEqualTo("theirs");
        assertThat(now.json().path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(now.json().path("revision").asInt()).isEqualTo(2);
        assertThat(etagOf(now)).isEqualTo(etagOf(other));
    }

    @Test
    void aMatchingIfMatchWritesAndAnswersTheNewETag() {
        String etag = etagOf(put("web", spec("web", 1, "hi"), Map.of()));

        Response changed = put("web", spec("web", 1, "mine"), ifMatch("\"0\", " + etag));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(etagOf(changed)).isNotEqualTo(etag).isEqualTo(etagOf(admin.get(path("web"))));

        Response scaled = send(HttpMethod.PUT, path("web") + "/scale", "{\"replicas\":2}", ifMatch(etagOf(changed)));
        assertThat(scaled.status()).as(scaled.body()).isEqualTo(200);
        Response deleted = send(HttpMethod.DELETE, path("web"), null, ifMatch(etagOf(scaled)));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(admin.get(path("web")).status()).isEqualTo(404);
    }

    @Test
    void labelsChangeTheETagThoughNotTheGeneration() {
        String manifest = """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web, namespace: %s, labels: {team: %s}}
                spec: {module: "%s", http: {path: /%s/web}, replicas: 1}
                """;
        assertThat(post(admin, "/api/v1/apply", manifest.formatted(ns, "a", module, ns)).status()).isEqualTo(200);
        Response before = admin.get(path("web"));

        assertThat(post(admin, "/api/v1/apply", manifest.formatted(ns, "b", module, ns)).status()).isEqualTo(200);
        Response after = admin.get(path("web"));

        assertThat(after.json().path("labels").path("team").asString()).isEqualTo("b");
        assertThat(after.json().path("generation").asLong()).isEqualTo(before.json().path("generation").asLong());
        assertThat(etagOf(after)).isNotEqualTo(etagOf(before));
        assertThat(put("web", spec("web", 1, "x"), ifMatch(etagOf(before))).status()).isEqualTo(412);
    }

    @Test
    void ifMatchStarNeedsTheDeploymentAndIfNoneMatchStarCreatesOnly() {
        Response missing = put("web", spec("web", 1, "hi"), ifMatch("*"));
        assertThat(missing.status()).as(missing.body()).isEqualTo(412);
        assertThat(missing.json().path("resourceVersion").isNull()).isTrue();
        assertThat(admin.get(path("web")).status()).isEqualTo(404);

        Response created = put("web", spec("web", 1, "hi"), Map.of("If-None-Match", "*"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Response again = put("web", spec("web", 2, "again"), Map.of("If-None-Match", "*"));
        assertThat(again.status()).as(again.body()).isEqualTo(412);
        assertThat(again.json().path("resourceVersion").asString()).isEqualTo(created.json().path("resourceVersion").asString());
        assertThat(put("web", spec("web", 2, "again"), ifMatch("*")).status()).isEqualTo(200);
    }

    @Test
    void aVersionOfADeletedDeploymentDoesNotMatchOneCreatedAgainUnderItsName() {
        String old = etagOf(put("web", spec("web", 1, "hi"), Map.of()));
        assertThat(admin.delete(path("web")).status()).isEqualTo(204);
        assertThat(put("web", spec("web", 1, "hi"), Map.of()).status()).isEqualTo(201);

        assertThat(put("web", spec("web", 1, "stale"), ifMatch(old)).status()).isEqualTo(412);
    }

    @Test
    void aWeakOrMalformedIfMatchNeverMatches() {
        String etag = etagOf(put("web", spec("web", 1, "hi"), Map.of()));

        assertThat(put("web", spec("web", 2, "hi"), ifMatch("W/" + etag)).status()).isEqualTo(412);
        Response unquoted = put("web", spec("web", 2, "hi"), ifMatch(etag.replace("\"", "")));
        assertThat(unquoted.status()).as(unquoted.body()).isEqualTo(400);
        assertThat(unquoted.json().path("detail").asString()).contains("If-Match");
        assertThat(etagOf(admin.get(path("web")))).isEqualTo(etag);
    }

    @Test
    void aDryRunChecksTheConditionAndSendsNoETag() {
        String etag = etagOf(put("web", spec("web", 1, "hi"), Map.of()));

        Response dryRun = send(HttpMethod.PUT, path("web") + "?dryRun=All", spec("web", 0, "mine"), ifMatch(etag));

        assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
        assertThat(etagOf(dryRun)).isNull();
        assertThat(dryRun.json().path("resourceVersion").asString()).isEqualTo(etag.replace("\"", ""));
    }

    /**
     * Whether an answer is a dry run is what the controller decided, not whether the request names {@code dryRun}: a
     * real write gets its ETag, a dry run none, and a read, which takes no {@code dryRun} and ignores it, still gets it.
     */
    @Test
    void onlyADryRunGoesWithoutAnETagNotEveryRequestThatNamesDryRun() {
        Response written = put("web", spec("web", 1, "hi"), Map.of());
        Response dryRun = send(HttpMethod.PUT, path("web") + "?dryRun=All", spec("web", 0, "mine"), Map.of());
        Response read = admin.get(path("web") + "?dryRun=All");

        assertThat(etagOf(written)).isNotNull();
        assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
        assertThat(etagOf(dryRun)).isNull();
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(etagOf(read)).isEqualTo(etagOf(written));
    }

    /**
     * The writers wait on the deployment's row lock (which the test holds) after whatever they do before it, so a
     * check made before the lock would let them all pass; under the lock, the first one's write fails the others'.
     */
    @Test
    void ofConcurrentWritersWithTheSameIfMatchExactlyOneWins() throws Exception {
        String etag = etagOf(put("job", job("start"), Map.of()));
        List<CompletableFuture<Response>> writers;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement(
                    "SELECT 1 FROM deployments WHERE namespace = ? AND name = 'job' AND deleted_at IS NULL FOR UPDATE")) {
                lock.setString(1, ns);
                lock.execute();
            }
            writers = IntStream.range(0, WRITERS)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> put("job", job("w" + i), ifMatch(etag))))
                    .toList();
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingForALock() >= WRITERS || writers.stream().anyMatch(Future::isDone));
            holder.rollback();
        }

        List<Response> answers = writers.stream().map(CompletableFuture::join).toList();
        assertThat(answers).extracting(Response::status).containsOnly(200, 412).containsOnlyOnce(200);
        Response winner = answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow();
        Response now = admin.get(path("job"));
        assertThat(now.json().path("generation").asLong()).isEqualTo(2);
        assertThat(now.json().path("spec")).isEqualTo(winner.json().path("spec"));
        assertThat(answers.stream().filter(a -> a.status() == 412).map(a -> a.json().path("resourceVersion").asString()))
                .containsOnly(now.json().path("resourceVersion").asString());
    }

    /** A job: no route, so its writers take no routes lock before the row lock. */
    String job(String who) {
        return "{\"module\":\"" + module + "\",\"job\":{},\"replicas\":0,\"env\":{\"WHO\":\"" + who + "\"}}";
    }

    int waitingForALock() {
        return jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
                .query(Integer.class).single();
    }
}
