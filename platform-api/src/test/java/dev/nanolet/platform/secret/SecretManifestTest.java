package dev.nanolet.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

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

    @Test
    void theAnswerSaysWhatThisApplyDidToEachSecretInDocumentOrder() {
        putSecret("api", "{\"key\":\"a\"}");
        putSecret("cfg", "{\"mode\":\"dev\"}");
        putSecret("cfg", "{\"mode\":\"prod\"}"); // version 2, which this apply leaves as it is
        String secrets = String.join("---\n", secretDocument("db", "password: p"), secretDocument("api", "key: b"),
                secretDocument("cfg", "mode: prod"));

        Response r = apply(secrets);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().get("Nanolet-Secrets"))
                .containsExactly(ns + "/db created 1, " + ns + "/api updated 2, " + ns + "/cfg unchanged 2");
        assertThat(r.json().size()).as("the body is still the array of deployments").isZero();
        String unchanged = ns + "/db unchanged 1, " + ns + "/api unchanged 2, " + ns + "/cfg unchanged 2";
        assertThat(apply(secrets).headers().get("Nanolet-Secrets")).as("applied again").containsExactly(unchanged);
        assertThat(post(admin, "/api/v1/apply?wait=true", secrets).headers().get("Nanolet-Secrets")).as("waited for")
                .containsExactly(unchanged);
        Response pruning = post(admin, "/api/v1/apply?prune=true&selector=app=none", secrets);
        assertThat(pruning.headers().get("Nanolet-Secrets")).as(pruning.body()).containsExactly(unchanged);
        assertThat(apply(deployment().replace("secret: db", "secret: cfg")
                .replace("{secret: cfg, key: password}", "{secret: cfg, key: mode}")).headers().containsHeader("Nanolet-Secrets"))
                .as("a manifest without a Secret document").isFalse();
    }

    @Test
    void aWaitThatFailsStillSaysWhatTheApplyDidToEachSecret() {
        String manifest = secretDocument("db", "password: p, url: u") + "---\n" + deployment();

        Response r = post(admin, "/api/v1/apply?wait=true&timeout=100ms&atomic=true", manifest); // no node runs it

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.headers().get("Nanolet-Secrets")).as("atomic undoes the deployment, not the secret")
                .containsExactly(ns + "/db created 1");
    }

    @Test
    void aWaitCutShortByARevokedTokenStillSaysWhatTheApplyDidToEachSecret() {
        Response token = admin.json(HttpMethod.POST, "/api/v1/tokens",
                "{\"name\":\"" + ns + "\",\"grants\":[{\"role\":\"deployer\",\"namespace\":\"" + ns + "\"}]}");
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        String manifest = secretDocument("db", "password: p, url: u") + "---\n" + deployment();
        CompletableFuture<Response> applying = CompletableFuture.supplyAsync(() -> post(admin.as(token.json().path("token")
                .asString()), "/api/v1/apply?wait=true&timeout=60m", manifest), Executors.newVirtualThreadPerTaskExecutor());
        await().atMost(Duration.ofSeconds(30)).until(() -> applying.isDone() || admin.get("/api/v1/namespaces/" + ns + "/deployments/web").status() == 200);
        assertThat(applying).as(() -> applying.join().body()).isNotDone();

        assertThat(admin.delete("/api/v1/tokens/" + token.json().path("info").path("id").asString()).status()).isEqualTo(204);

        Response r = applying.orTimeout(20, TimeUnit.SECONDS).join();
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.headers().get("Nanolet-Secrets")).containsExactly(ns + "/db created 1");
    }

    @Test
    void aManifestOfSecretsWhoseHeaderWouldBeTooLongIsAnsweredWithoutIt() {
        String name = "s".repeat(60) + "-";
        String manifest = String.join("---\n", IntStream.range(0, 100)
                .mapToObj(i -> secretDocument(name + String.format("%02d", i), "k: v")).toList());

        Response r = apply(manifest);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().containsHeader("Nanolet-Secrets")).as("~9 KB, left off: Tomcat answered 500 above 8 KB").isFalse();
        assertThat(this.secrets.list(ns)).as("a manifest holds at most 100 documents").hasSize(100);
    }

    private String secretDocument(String name, String stringData) {
        return "apiVersion: nanolet.dev/v1\nkind: Secret\nmetadata: {name: " + name + ", namespace: " + ns + "}\nstringData: {"
                + stringData + "}\n";
    }

    private void putSecret(String name, String data) {
        Response r = admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/secrets/" + name, "{\"data\":" + data + "}");
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }
}
