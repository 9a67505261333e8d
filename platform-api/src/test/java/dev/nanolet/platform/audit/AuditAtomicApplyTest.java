package dev.nanolet.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * The audit entries of an {@code atomic=true} apply whose wait failed say what finally became of each document: each
 * written is listed as a {@code PUT} answered 200 once committed (not only once the wait ends), the one whose rollout
 * failed again as 422, and each undo (a rollback, a delete) as the write it was.
 */
@PlatformApiTest
class AuditAtomicApplyTest extends NamespaceTestBase {
    @Test
    void anAtomicApplyListsTheFailedWaitAndEachUndoAfterTheDocumentsItWrote() {
        String base = "/api/v1/namespaces/" + ns + "/";
        Response created = admin.json(HttpMethod.PUT, base + "deployments/a", "{\"module\":\"" + module + "\",\"job\":{}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ApiClient deployer = withGrant("deployer", ns);
        String manifest = """
                {apiVersion: nanolet.dev/v1, kind: Secret, metadata: {name: db, namespace: %1$s}, stringData: {password: x}}
                ---
                {apiVersion: nanolet.dev/v1, kind: Deployment, metadata: {name: a, namespace: %1$s},
                 spec: {module: "%2$s", job: {}, env: {CHANGED: "yes"}}}
                ---
                {apiVersion: nanolet.dev/v1, kind: Deployment, metadata: {name: b, namespace: %1$s},
                 spec: {module: "%2$s", job: {}}}
                """.formatted(ns, module);

        Response r = post(deployer, "/api/v1/apply?wait=true&timeout=100ms&atomic=true", manifest); // no node runs them
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().path("document").asInt()).as("a, the manifest's document 1").isEqualTo(1);
        assertThat(r.json().path("atomic").path("action").asString()).contains("rolled back to revision 1", "deleted");

        await().untilAsserted(() -> { // each entry is written once its answer is sent
            Response log = admin.get("/api/v1/audit?namespace=" + ns + "&actor=deployer-" + ns);
            assertThat(log.json().path("entries").valueStream().map(e -> e.path("method").asString() + " "
                            + e.path("path").asString() + " " + e.path("status").asInt() + " " + e.path("dryRun").asBoolean()))
                    .containsExactly( // newest first: the failed document's undo, then its 422 (as a single PUT's), then the others' undos
                            "DELETE " + base + "deployments/b 204 false",
                            "PUT " + base + "deployments/a 422 false",
                            "POST " + base + "deployments/a/rollback 200 false",
                            "PUT " + base + "deployments/b 200 false",
                            "PUT " + base + "deployments/a 200 false",
                            "PUT " + base + "secrets/db 200 false");
        });
    }

    @Test
    void theDocumentsAreListedOnceCommittedNotOnlyOnceTheWaitEnds() {
        String manifest = """
                {apiVersion: nanolet.dev/v1, kind: Deployment, metadata: {name: c, namespace: %s}, spec: {module: "%s", job: {}}}
                """.formatted(ns, module);
        CompletableFuture<Response> apply = CompletableFuture.supplyAsync(() ->
                post(admin, "/api/v1/apply?wait=true&timeout=120s", manifest)); // no node runs it: waits until c goes

        String put = "PUT /api/v1/namespaces/" + ns + "/deployments/c 200";
        await().untilAsserted(() -> { // a stop now would leave the write listed
            Response log = admin.get("/api/v1/audit?namespace=" + ns);
            assertThat(log.json().path("entries").valueStream().map(e -> e.path("method").asString() + " "
                    + e.path("path").asString() + " " + e.path("status").asInt())).contains(put);
        });
        assertThat(apply).isNotDone();
        assertThat(admin.delete("/api/v1/namespaces/" + ns + "/deployments/c").status()).isEqualTo(204); // ends the wait
        assertThat(apply.join().status()).isEqualTo(404);
    }
}
