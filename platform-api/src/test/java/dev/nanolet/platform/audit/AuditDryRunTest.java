package dev.nanolet.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * An audit entry says whether its write was a dry run: every write that takes {@code dryRun=All} is listed with
 * {@code dryRun} true, its real twin with false, a refused {@code dryRun} (400) is no dry run, and a write refused
 * before it ran is listed as the dry run it asked for wherever it was refused.
 */
@PlatformApiTest
class AuditDryRunTest extends NamespaceTestBase {
    private final List<String> sent = new ArrayList<>();
    private ApiClient deployer;

    @Test
    void eachWriteThatTakesADryRunIsListedAsOneAndItsRealTwinIsNot() {
        deployer = withGrant("deployer", ns);
        String web = "/api/v1/namespaces/" + ns + "/deployments/web";
        String db = "/api/v1/namespaces/" + ns + "/secrets/db";
        String spec = "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + ns + "\"},\"replicas\":0}";
        String manifest = """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: batch, namespace: %s}
                spec: {module: "%s", replicas: 0, job: {}}
                """.formatted(ns, module);

        twins(HttpMethod.PUT, web, spec, 201);
        twins(HttpMethod.PUT, web + "/scale", "{\"replicas\":1}", 200);
        twins(HttpMethod.POST, web + "/rollback", "{\"revision\":1}", 200);
        twins(HttpMethod.PUT, db, "{\"data\":{\"password\":\"s3cret\"}}", 201);
        twins(HttpMethod.DELETE, db, null, 204);
        twins(HttpMethod.POST, "/api/v1/apply", manifest, 200);
        twins(HttpMethod.DELETE, web, null, 204);
        send(HttpMethod.DELETE, web + "?dryRun=Server", null, 400, false);
        send(HttpMethod.PUT, web + "?dryRun=All&wait=true&timeout=soon", spec, 400, true);
        send(HttpMethod.POST, web + "/rollback?dryRun=All&wait=true&timeout=soon", "{\"revision\":1}", 400, true);
        send(HttpMethod.POST, "/api/v1/apply?dryRun=All", manifest.replace("kind: Deployment", "kind: Pod"), 422, true);

        sent.add("PUT /api/v1/namespaces/" + ns + "/deployments/batch 200 false"); // the real apply's document
        assertLogged("deployer-" + ns);
    }

    /**
     * A write refused before it ran is listed with the dry run it asked for, in a form its endpoint takes, the same
     * wherever it was refused: a 403 of the bearer filter was listed as no dry run, one inside {@code POST /apply} as one.
     */
    @Test
    void aRefusedWriteIsListedAsTheDryRunItAskedForWhereverItWasRefused() {
        deployer = withGrant("deployer", ns);
        ApiClient viewer = withGrant("viewer", ns);
        String web = "/api/v1/namespaces/" + ns + "/deployments/web";
        String manifest = "{\"apiVersion\":\"nanolet.dev/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
                + "\"namespace\":\"%s\"},\"spec\":{\"module\":\"" + module + "\",\"job\":{}}}";

        send(viewer, HttpMethod.DELETE, web + "?dryRun=All", null, 403, true); // the bearer filter
        send(viewer, HttpMethod.POST, "/api/v1/apply?dryRun=All", manifest.formatted(ns), 403, true); // the bearer filter
        send(deployer, HttpMethod.POST, "/api/v1/apply?dryRun=All", manifest.formatted("other-" + ns), 403, true); // apply
        send(deployer, HttpMethod.PUT, web + "?dryRun=All", "{", 400, true); // a body that cannot be read
        send(viewer, HttpMethod.DELETE, web + "?dryRun=All&dryRun=All", null, 403, false); // given twice: refused
        send(viewer, HttpMethod.DELETE, web + "?dryRun=all", null, 403, false);
        send(viewer, HttpMethod.DELETE, web + "?dryRun=All&dryrun=All", null, 403, false);
        send(viewer, HttpMethod.POST, "/api/v1/modules?dryRun=All", null, 403, false); // an upload has no dry run
        send(viewer, HttpMethod.PUT, web + "/nothing?dryRun=All", "{}", 403, false); // no such endpoint

        assertLogged("viewer-" + ns, "deployer-" + ns);
    }

    /** The entries of {@code actors}, and none else, are those {@link #send} sent. */
    private void assertLogged(String... actors) {
        await().untilAsserted(() -> { // each entry is written once its answer is sent
            List<String> logged = new ArrayList<>();
            for (String actor : actors) {
                Response log = admin.get("/api/v1/audit?limit=500&actor=" + actor);
                assertThat(log.status()).as(log.body()).isEqualTo(200);
                log.json().path("entries").forEach(e -> logged.add(e.path("method").asString() + " "
                        + e.path("path").asString() + " " + e.path("status").asInt() + " " + e.path("dryRun").asBoolean()));
            }
            assertThat(logged).containsExactlyInAnyOrderElementsOf(sent);
        });
    }

    /** The dry run of a write, then the write: both answer {@code status}. */
    private void twins(HttpMethod method, String path, String body, int status) {
        send(method, path + "?dryRun=All", body, status, true);
        send(method, path, body, status, false);
    }

    private void send(HttpMethod method, String path, String body, int status, boolean dryRun) {
        send(deployer, method, path, body, status, dryRun);
    }

    private void send(ApiClient as, HttpMethod method, String path, String body, int status, boolean dryRun) {
        Response r = path.startsWith("/api/v1/apply") ? post(as, path, body)
                : body == null ? as.send(method, path, null, null, java.util.Map.of()) : as.json(method, path, body);
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        sent.add(method + " " + path.replaceFirst("\\?.*", "") + " " + status + " " + dryRun);
    }
}
