package dev.nanolet.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * A write whose {@code wait=true} ended otherwise once the write was committed is listed with the status it answered
 * and, as {@code written}, the write's own: the 422 of a failed rollout or the 401 of a token revoked while it waited
 * read as a refusal that wrote nothing, while the write stayed.
 */
@PlatformApiTest
class AuditWaitTest extends AuditTestBase {
    @Test
    void aWriteWhoseRolloutFailedIsListedAsWrittenWithThe422ItAnswered() {
        String base = "/api/v1/namespaces/" + ns + "/deployments/";
        ApiClient deployer = withGrant("deployer", ns);
        rolloutFails(deployer, base + "a?wait=true&timeout=100ms");
        assertThat(deployer.json(HttpMethod.PUT, base + "a", spec(", \"args\": [\"2\"]")).status()).isEqualTo(200);
        Response rollback = deployer.json(HttpMethod.POST, base + "a/rollback?wait=true&timeout=100ms", "{\"revision\":1}");
        assertThat(rollback.status()).as(rollback.body()).isEqualTo(422);
        Response apply = post(deployer, "/api/v1/apply?wait=true&timeout=100ms", deployment("b"));
        assertThat(apply.status()).as(apply.body()).isEqualTo(422);

        await().untilAsserted(() -> assertThat(entries("/api/v1/audit?actor=deployer-" + ns))
                .containsExactly( // newest first
                        "POST /api/v1/apply 422 written 200",
                        "PUT " + base + "b 422 written 200", // the document's second entry, once its wait ended
                        "PUT " + base + "b 200 written null",
                        "POST /api/v1/apply 200 written null", // once committed
                        "POST " + base + "a/rollback 422 written 200", // its second entry, once its wait ended
                        "POST " + base + "a/rollback 200 written null", // once committed
                        "PUT " + base + "a 200 written null", // no wait: one entry
                        "PUT " + base + "a 422 written 201",
                        "PUT " + base + "a 201 written null"));
    }

    @Test
    void anAtomicPutWhoseRolloutFailedAndWasUndoneIsNotListedAsWritten() {
        String path = "/api/v1/namespaces/" + ns + "/deployments/d";
        ApiClient deployer = withGrant("deployer", ns);
        Response put = rolloutFails(deployer, path + "?wait=true&timeout=100ms&atomic=true");
        assertThat(put.json().path("atomic").path("action").asString()).isEqualTo("deleted the deployment this apply created");
        assertThat(admin.get(path).status()).isEqualTo(404);

        await().untilAsserted(() -> assertThat(entries("/api/v1/audit?actor=deployer-" + ns))
                .as("written says the write stays; this one was undone").containsExactly( // newest first
                        "PUT " + path + " 422 written null",
                        "DELETE " + path + " 204 written null", // the undo, as it was made
                        "PUT " + path + " 201 written null"));
    }

    /**
     * An atomic apply whose undo reverted every deployment it wrote is audited as the single atomic {@code PUT}: 422, not
     * written, the failed document's second entry alike; a Secret document it created or changed stays (the undo keeps
     * secrets), so that apply stays written, while one whose secret was unchanged wrote nothing that stays.
     */
    @Test
    void anAtomicApplyIsListedAsWrittenOnlyWhenSomethingItWroteStays() {
        String base = "/api/v1/namespaces/" + ns + "/deployments/";
        String secret = "{apiVersion: nanolet.dev/v1, kind: Secret, metadata: {name: s, namespace: " + ns + "}, stringData: {k: v}}\n---\n";
        ApiClient deployer = withGrant("deployer", ns);
        for (String manifest : List.of(deployment("e"), secret + deployment("f"), secret + deployment("g"))) {
            Response apply = post(deployer, "/api/v1/apply?wait=true&timeout=100ms&atomic=true", manifest);
            assertThat(apply.status()).as(apply.body()).isEqualTo(422);
            assertThat(apply.json().path("atomic").path("action").asString()).endsWith("deleted the deployment this apply created");
        }

        String secretPath = "/api/v1/namespaces/" + ns + "/secrets/s";
        await().untilAsserted(() -> assertThat(entries("/api/v1/audit?actor=deployer-" + ns))
                .containsExactly( // newest first
                        "POST /api/v1/apply 422 written null", // its secret unchanged: nothing it wrote stays
                        "PUT " + base + "g 422 written null",
                        "DELETE " + base + "g 204 written null", // the undo, as it was made, as a single PUT's
                        "PUT " + base + "g 200 written null",
                        "PUT " + secretPath + " 200 written null",
                        "POST /api/v1/apply 200 written null",
                        "POST /api/v1/apply 422 written 200", // the secret it created stays
                        "PUT " + base + "f 422 written null",
                        "DELETE " + base + "f 204 written null",
                        "PUT " + base + "f 200 written null",
                        "PUT " + secretPath + " 200 written null",
                        "POST /api/v1/apply 200 written null",
                        "POST /api/v1/apply 422 written null",
                        "PUT " + base + "e 422 written null",
                        "DELETE " + base + "e 204 written null",
                        "PUT " + base + "e 200 written null",
                        "POST /api/v1/apply 200 written null"));
    }

    @Test
    void aWriteWhoseWaitItsRevokedTokenCutShortIsListedAsWrittenWithThe401ItAnswered() {
        Response token = deployerToken();
        ApiClient deployer = admin.as(token.json().path("token").asString());
        String path = "/api/v1/namespaces/" + ns + "/deployments/c";
        CompletableFuture<Response> applying = waiting(() -> deployer.json(HttpMethod.PUT, path + "?wait=true&timeout=60m", spec("")));
        await().atMost(Duration.ofSeconds(30)).until(() -> applying.isDone() || admin.get(path).status() == 200);
        assertThat(applying).as(() -> applying.join().body()).isNotDone();

        revoke(token);

        assertThat(applying.orTimeout(20, TimeUnit.SECONDS).join().status()).isEqualTo(401);
        await().untilAsserted(() -> assertThat(entries("/api/v1/audit?namespace=" + ns))
                .containsExactly("PUT " + path + " 401 written 201", "PUT " + path + " 201 written null"));
    }

    /**
     * A {@code PUT}, a rollback and an apply with {@code wait=true} are listed once committed, while their waits (on
     * rollouts no node can finish) still run: a platform-api stopped mid-wait, or a client that drops, leaves no write
     * that stays unlisted. The apply's own entry was written only once its wait ended, after its documents'.
     */
    @Test
    void aWriteThatWaitsIsListedOnceCommittedBeforeItsWaitEnds() {
        String base = "/api/v1/namespaces/" + ns + "/deployments/";
        assertThat(admin.json(HttpMethod.PUT, base + "r", spec("")).status()).isEqualTo(201);
        assertThat(admin.json(HttpMethod.PUT, base + "r", spec(", \"args\": [\"2\"]")).status()).isEqualTo(200);
        Response token = deployerToken();
        ApiClient deployer = admin.as(token.json().path("token").asString());
        CompletableFuture<Response> applying = waiting(() -> deployer.json(HttpMethod.PUT, base + "p?wait=true&timeout=60m", spec("")));
        CompletableFuture<Response> rollingBack = waiting(() -> deployer.json(HttpMethod.POST,
                base + "r/rollback?wait=true&timeout=60m", "{\"revision\":1}"));
        CompletableFuture<Response> manifest = waiting(() -> post(deployer, "/api/v1/apply?wait=true&timeout=60m", deployment("q")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(entries("/api/v1/audit?actor=" + ns))
                .containsExactlyInAnyOrder("PUT " + base + "p 201 written null", "POST " + base + "r/rollback 200 written null",
                        "POST /api/v1/apply 200 written null", "PUT " + base + "q 200 written null"));
        assertThat(List.of(applying, rollingBack, manifest)).noneMatch(CompletableFuture::isDone);

        revoke(token);
        for (CompletableFuture<Response> write : List.of(applying, rollingBack, manifest)) {
            assertThat(write.orTimeout(20, TimeUnit.SECONDS).join().status()).isEqualTo(401);
        }
        await().untilAsserted(() -> assertThat(entries("/api/v1/audit?actor=" + ns)).hasSize(7)
                .contains("PUT " + base + "p 401 written 201", "POST " + base + "r/rollback 401 written 200",
                        "POST /api/v1/apply 401 written 200"));
    }

    /**
     * A write answered as it was written has its one entry, whether its handler wrote it at commit or the filter once
     * answered: a {@code PUT} and a rollback with and without {@code wait=true} (no replica to wait for: the rollout is
     * complete at once), and a {@code PUT} that changed nothing.
     */
    @Test
    void aWriteAnsweredAsItWasWrittenIsListedOnce() {
        String path = "/api/v1/namespaces/" + ns + "/deployments/z";
        ApiClient deployer = withGrant("deployer", ns);
        String idle = "{\"module\": \"" + module + "\", \"http\": {\"path\": \"/" + ns + "\"}, \"replicas\": 0";
        for (String[] write : List.of(new String[] {"PUT", path + "?wait=true&timeout=30s", idle + "}", "201"},
                new String[] {"PUT", path, idle + ", \"args\": [\"2\"]}", "200"},
                new String[] {"PUT", path + "?wait=true&timeout=30s", idle + ", \"args\": [\"2\"]}", "200"}, // unchanged
                new String[] {"POST", path + "/rollback?wait=true&timeout=30s", "{\"revision\":1}", "200"},
                new String[] {"POST", path + "/rollback", "{\"revision\":2}", "200"})) {
            Response r = deployer.json(HttpMethod.valueOf(write[0]), write[1], write[2]);
            assertThat(r.status()).as(write[0] + " " + write[1] + ": " + r.body()).isEqualTo(Integer.parseInt(write[3]));
        }

        await().untilAsserted(() -> assertThat(entries("/api/v1/audit?actor=deployer-" + ns))
                .containsExactly( // newest first
                        "POST " + path + "/rollback 200 written null",
                        "POST " + path + "/rollback 200 written null",
                        "PUT " + path + " 200 written null",
                        "PUT " + path + " 200 written null",
                        "PUT " + path + " 201 written null"));
    }

    /** A token named as the namespace with a deployer grant there, which {@link #revoke} revokes. */
    private Response deployerToken() {
        Response token = admin.json(HttpMethod.POST, "/api/v1/tokens",
                "{\"name\":\"" + ns + "\",\"grants\":[{\"role\":\"deployer\",\"namespace\":\"" + ns + "\"}]}");
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        return token;
    }

    private void revoke(Response token) {
        assertThat(admin.delete("/api/v1/tokens/" + token.json().path("info").path("id").asString()).status()).isEqualTo(204);
    }

    private static CompletableFuture<Response> waiting(Supplier<Response> request) {
        return CompletableFuture.supplyAsync(request, Executors.newVirtualThreadPerTaskExecutor());
    }

    /** A {@code PUT} of the deployment at {@code pathAndQuery} with a wait, which no node running it makes 422. */
    private Response rolloutFails(ApiClient deployer, String pathAndQuery) {
        Response put = deployer.json(HttpMethod.PUT, pathAndQuery, spec(""));
        assertThat(put.status()).as(put.body()).isEqualTo(422);
        return put;
    }

    private List<String> entries(String query) {
        return entries(query, e -> "written " + (e.path("written").isNull() ? "null" : e.path("written").asInt()));
    }
}
