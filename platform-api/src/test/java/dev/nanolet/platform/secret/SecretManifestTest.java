package dev.nanolet.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code kind: Secret} in {@code POST /api/v1/apply}: written before the deployments of the same manifest, all or none. */
@PlatformApiTest
class SecretManifestTest extends NamespaceTestBase {
    @Autowired Secrets secrets;

    Response apply(String yaml) {
        return post(admin, "/api/v1/apply", yaml);
    }

    String deployment() {
        return """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web, namespace: %s}
                spec:
                  module: %s
                  http: {path: /%s}
                  env:
                    DB_PASSWORD: {valueFrom: {secret: db, key: password}}
                  bindings:
                    - {name: todo, type: postgres, secret: db}
                """.formatted(ns, module, ns);
    }

    @Test
    void aSecretAndTheDeploymentThatUsesItApplyTogether() {
        Response r = apply(deployment() + """
                ---
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: db, namespace: %s}
                stringData: {url: "jdbc:postgresql://db/app"}
                data: {password: aHVudGVyMg==}
                """.formatted(ns));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().size()).as("the answer lists the deployments").isEqualTo(1);
        assertThat(r.body()).doesNotContain("hunter2");
        assertThat(secrets.values(ns, "db")).contains(Map.of("url", "jdbc:postgresql://db/app", "password", "hunter2"));
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/deployments/web").status()).isEqualTo(200);
    }

    @Test
    void aBadSecretDocumentIsNamedAndNothingIsWritten() {
        Response r = apply(deployment() + """
                ---
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: db, namespace: %s}
                data: {password: "not base64!"}
                stringData: {n: 1}
                """.formatted(ns));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactlyInAnyOrder("documents[1].data.password", "documents[1].stringData.n");

        Response badKey = apply(deployment() + """
                ---
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: db, namespace: %s}
                stringData: {"bad key": x, url: u, password: p}
                """.formatted(ns));
        assertThat(badKey.status()).isEqualTo(422);
        assertThat(badKey.errorFields()).containsExactly("documents[1].stringData.bad key");
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/secrets/db").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/deployments/web").status()).isEqualTo(404);
    }
}
