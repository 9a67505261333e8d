package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import org.junit.jupiter.api.Test;

/**
 * A manifest document's {@code metadata.resourceVersion} (Kubernetes' optimistic concurrency): the object must be at
 * that version, else the whole manifest is refused (409 naming the document's field) and nothing is applied.
 */
@PlatformApiTest
class ManifestResourceVersionTest extends NamespaceTestBase {

    String deployment(String name, String greeting, String resourceVersion) {
        return """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s%s}
                spec: {module: "%s", http: {path: /%s/%s}, env: {GREETING: %s}}
                """.formatted(name, ns, resourceVersion == null ? "" : ", resourceVersion: '" + resourceVersion + "'",
                module, ns, name, greeting);
    }

    String secret(String value, String resourceVersion) {
        return """
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: db, namespace: %s%s}
                stringData: {password: %s}
                """.formatted(ns, resourceVersion == null ? "" : ", resourceVersion: '" + resourceVersion + "'", value);
    }

    Response apply(String yaml) {
        return post(admin, "/api/v1/apply", yaml);
    }

    String greeting(String name) {
        return admin.get("/api/v1/namespaces/" + ns + "/deployments/" + name).json().path("spec").path("env").path("GREETING").asString();
    }

    @Test
    void aDocumentAtTheCurrentVersionIsAppliedAndAStaleOneRefusesTheWholeManifest() {
        Response first = apply(deployment("web", "one", null) + "---\n" + deployment("api", "one", null));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        String web = first.json().get(0).path("resourceVersion").asString();

        Response next = apply(deployment("web", "two", web));
        assertThat(next.status()).as(next.body()).isEqualTo(200);
        assertThat(next.json().get(0).path("resourceVersion").asString()).isNotEqualTo(web);

        Response stale = apply(deployment("api", "three", null) + "---\n" + deployment("web", "three", web));
        assertThat(stale.status()).as(stale.body()).isEqualTo(409);
        assertThat(stale.errorFields()).containsExactly("documents[1].metadata.resourceVersion");
        assertThat(stale.json().path("detail").asString()).contains(next.json().get(0).path("resourceVersion").asString());
        assertThat(greeting("api")).isEqualTo("one");
        assertThat(greeting("web")).isEqualTo("two");
    }

    @Test
    void aVersionForADeploymentThatDoesNotExistIsRefused() {
        Response r = apply(deployment("web", "one", "1"));

        assertThat(r.status()).as(r.body()).isEqualTo(409);
        assertThat(r.errorFields()).containsExactly("documents[0].metadata.resourceVersion");
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/deployments/web").status()).isEqualTo(404);
    }

    @Test
    void aSecretDocumentsVersionIsCheckedToo() {
        Response created = admin.json(org.springframework.http.HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/secrets/db",
                "{\"data\":{\"password\":\"one\"}}");
        String version = created.json().path("resourceVersion").asString();

        assertThat(apply(secret("two", version)).status()).isEqualTo(200);
        Response stale = apply(secret("three", version));

        assertThat(stale.status()).as(stale.body()).isEqualTo(409);
        assertThat(stale.errorFields()).containsExactly("documents[0].metadata.resourceVersion");
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/secrets/db").json().path("version").asLong()).isEqualTo(2);
    }

    /** The pipeline docs/ci.md recommends: a changed secret and the deployment that uses it, both at the versions read. */
    @Test
    void aChangedSecretAndTheDeploymentThatUsesItApplyAtTheVersionsRead() {
        String user = deployment("web", "one", null).replace("env:", "secretEnv: {PASSWORD: {secret: db, key: password}}, env:");
        Response first = apply(secret("one", null) + "---\n" + user);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        String secretVersion = admin.get("/api/v1/namespaces/" + ns + "/secrets/db").json().path("resourceVersion").asString();
        String webVersion = admin.get("/api/v1/namespaces/" + ns + "/deployments/web").json().path("resourceVersion").asString();
        String changed = secret("two", secretVersion) + "---\n" + user.replace("namespace: " + ns, "namespace: " + ns + ", resourceVersion: '%s'");

        Response stale = apply(changed.formatted(String.valueOf(Long.parseLong(webVersion) - 1)));
        assertThat(stale.status()).as(stale.body()).isEqualTo(409);
        assertThat(stale.errorFields()).containsExactly("documents[1].metadata.resourceVersion");

        Response both = apply(changed.formatted(webVersion));
        assertThat(both.status()).as(both.body()).isEqualTo(200);
        assertThat(both.json().get(0).path("resourceVersion").asString()).isNotEqualTo(webVersion);
    }

    @Test
    void aDiffChecksTheVersionAsTheApplyWould() {
        Response first = apply(deployment("web", "one", null));
        String web = first.json().get(0).path("resourceVersion").asString();

        Response stale = post(admin, "/api/v1/diff", deployment("web", "two", String.valueOf(Long.parseLong(web) - 1)));
        assertThat(stale.status()).as(stale.body()).isEqualTo(409);
        assertThat(stale.errorFields()).containsExactly("documents[0].metadata.resourceVersion");
        assertThat(post(admin, "/api/v1/diff", deployment("web", "two", web)).status()).isEqualTo(200);
    }

    @Test
    void aResourceVersionThatIsNoStringIsInvalid() {
        Response r = apply(deployment("web", "one", null).replace("namespace: " + ns, "namespace: " + ns + ", resourceVersion: {a: 1}"));

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactly("documents[0].metadata.resourceVersion");
    }
}
