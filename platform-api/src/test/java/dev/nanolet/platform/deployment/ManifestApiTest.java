package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/** {@code POST /api/v1/apply}: several documents, all or none, each named by its index. */
@PlatformApiTest
class ManifestApiTest extends NamespaceTestBase {

    String doc(String namespace, String name, String path, String extra) {
        return """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s}
                spec: {module: "%s", http: {path: /%s}, replicas: 1%s}
                """.formatted(name, namespace, module, path, extra);
    }

    Response apply(ApiClient as, String yaml) {
        return post(as, "/api/v1/apply", yaml);
    }

    int status(String name) {
        return admin.get("/api/v1/namespaces/" + ns + "/deployments/" + name).status();
    }

    @Test
    void appliesEveryDocumentAndAgainChangesNothing() {
        String manifest = doc(ns, "web", ns + "-web", "") + "---\n" + doc(ns, "api", ns + "-api", "");

        Response first = apply(admin, manifest);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().valueStream().map(d -> d.path("name").asString())).containsExactly("web", "api");

        Response again = apply(admin, manifest);
        assertThat(again.json().valueStream().map(d -> d.path("generation").asInt())).containsExactly(1, 1);
    }

    @Test
    void anInvalidDocumentIsNamedAndNothingIsWritten() {
        Response r = apply(admin, doc(ns, "web", ns + "-web", "") + "---\n" + doc(ns, "bad", ns + "-bad", ", replica: 3")
                + "---\napiVersion: v0\nkind: ConfigMap\nmetadata: {name: s}\n");

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactlyInAnyOrder("documents[1].spec.replica", "documents[2].apiVersion",
                "documents[2].kind", "documents[2].metadata.namespace", "documents[2].spec");
        assertThat(r.body()).doesNotContain("dev.nanolet");
        assertThat(status("web")).isEqualTo(404);
    }

    @Test
    void aDocumentThatFailsWhileApplyingRollsBackTheOnesBeforeIt() {
        Response r = apply(admin, doc(ns, "one", ns + "-same", "") + "---\n" + doc(ns, "two", ns + "-same", ""));

        assertThat(r.status()).as("a taken route is a conflict, as on PUT: " + r.body()).isEqualTo(409);
        assertThat(r.errorFields()).containsExactly("documents[1].spec.http.path");
        assertThat(status("one")).isEqualTo(404);
    }

    @Test
    void aRouteUnderAnotherNamespacesIsAConflictToApplyAndDiffAlike() {
        assertThat(apply(admin, doc(ns, "web", ns + "-web", "")).status()).isEqualTo(200);
        String intruder = doc("other-" + ns, "web", ns + "-web/admin", "");

        for (String endpoint : new String[] {"/api/v1/apply", "/api/v1/diff"}) {
            Response r = post(admin, endpoint, intruder);
            assertThat(r.status()).as(endpoint + ": " + r.body()).isEqualTo(409);
            assertThat(r.errorFields()).as(endpoint).containsExactly("documents[0].spec.http.path");
            assertThat(r.json().path("detail").asString()).as(endpoint).contains(ns + "/web");
        }
        assertThat(admin.get("/api/v1/namespaces/other-" + ns + "/deployments/web").status()).isEqualTo(404);
    }

    /** Diff, dry run and apply of {@code yaml}: their statuses, and the field each 409 names. */
    List<String> outcomes(String yaml) {
        return Stream.of("/api/v1/diff", "/api/v1/apply?dryRun=All", "/api/v1/apply").map(endpoint -> {
            Response r = post(admin, endpoint, yaml);
            return r.status() + (r.status() == 409 ? " " + r.errorFields() + " " + r.json().path("detail").asString() : "");
        }).toList();
    }

    @Test
    void aRouteUnderAnEarlierDocumentsOfAnotherNamespaceIsAConflictToDiffDryRunAndApplyAlike() {
        String manifest = doc(ns, "a", ns + "-x", "") + "---\n" + doc("other-" + ns, "b", ns + "-x/y", "");

        List<String> outcomes = outcomes(manifest.replace("replicas: 1", "replicas: 0"));
        assertThat(outcomes).as("diff, dry run, apply").hasSize(3).allSatisfy(o -> assertThat(o)
                .startsWith("409 [documents[1].spec.http.path]").contains("/" + ns + "-x/y is under /" + ns + "-x", ns + "/a"));
        assertThat(status("a")).isEqualTo(404);
    }

    @Test
    void aRouteAnEarlierDocumentMovesAwayIsFreeToDiffDryRunAndApplyAlike() {
        assertThat(apply(admin, doc(ns, "a", ns + "-x", "").replace("replicas: 1", "replicas: 0")).status()).isEqualTo(200);
        String manifest = (doc(ns, "a", ns + "-moved", "") + "---\n" + doc("other-" + ns, "b", ns + "-x/y", ""))
                .replace("replicas: 1", "replicas: 0");

        assertThat(outcomes(manifest)).as("diff, dry run, apply").containsExactly("200", "200", "200");
        assertThat(admin.get("/api/v1/namespaces/other-" + ns + "/deployments/b").status()).isEqualTo(200);
    }

    @Test
    void aFailedRolloutNamesItsDocumentByItsPlaceInTheManifestSecretsCounted() {
        String manifest = "{apiVersion: nanolet.dev/v1, kind: Secret, metadata: {name: db, namespace: " + ns + "}, stringData: {k: v}}\n"
                + "---\n" + doc(ns, "done", ns + "-done", "").replace("replicas: 1", "replicas: 0")
                + "---\n" + doc(ns, "stuck", ns + "-stuck", ""); // no node runs it: its wait times out

        Response r = post(admin, "/api/v1/apply?wait=true&timeout=100ms", manifest);

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().path("document").asInt()).as(r.body()).isEqualTo(2);
        assertThat(r.json().path("detail").asString()).startsWith("documents[2] (Deployment " + ns + "/stuck): ");
    }

    @Test
    void eachDocumentNeedsDeployerInItsNamespace() {
        String secret = admin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"ci\",\"grants\":[{\"role\":\"deployer\",\"namespace\":\"" + ns + "\"}]}")
                .json().path("token").asString();
        Response r = apply(admin.as(secret), doc(ns, "web", ns + "-web", "") + "---\n" + doc("prod", "web", ns + "-prod", ""));

        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().path("detail").asString()).contains("documents[1] (Deployment prod/web) needs role deployer in namespace prod");
        assertThat(status("web")).isEqualTo(404);
    }

    @Test
    void jsonArraysAndDryRunsToo() {
        String json = "[{\"apiVersion\":\"nanolet.dev/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"j\",\"namespace\":\"" + ns
                + "\"},\"spec\":{\"module\":\"" + module + "\",\"job\":{},\"replicas\":0}}]";
        Response dry = admin.send(HttpMethod.POST, "/api/v1/apply?dryRun=All", MediaType.APPLICATION_JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        assertThat(status("j")).isEqualTo(404);

        Response wet = admin.send(HttpMethod.POST, "/api/v1/apply?wait=true&timeout=10s", MediaType.APPLICATION_JSON,
                json.getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(wet.status()).as(wet.body()).isEqualTo(200);
        assertThat(status("j")).isEqualTo(200);

        Response broken = admin.send(HttpMethod.POST, "/api/v1/apply", YAML, "a: [b".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(broken.status()).isEqualTo(400);
    }
}
