package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/diff}: what an apply would change, per document and field, writing nothing. */
@PlatformApiTest
class ManifestDiffTest extends NamespaceTestBase {

    String doc(String name, String spec) {
        return "apiVersion: nanolet.dev/v1\nkind: Deployment\nmetadata: {name: " + name + ", namespace: " + ns + "}\n"
                + "spec: {module: \"" + module + "\", " + spec + "}\n";
    }

    @Test
    void namesEachDocumentCreatedChangedOrUnchangedWithItsFields() {
        String web = doc("web", "http: {path: /" + ns + "-web}, replicas: 1, env: {MODE: a}");
        String job = doc("job", "job: {}, args: [\"1\"]");
        assertThat(post(admin, "/api/v1/apply", web + "---\n" + job).status()).isEqualTo(200);

        Response r = post(admin, "/api/v1/diff", doc("web", "http: {path: /" + ns + "-web/}, replicas: 3, env: {MODE: b, NEW: x}")
                + "---\n" + job + "---\n" + doc("extra", "job: {}"));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("changed").asBoolean()).isTrue();
        JsonNode changedWeb = body.path("documents").get(0);
        assertThat(changedWeb.path("action").asString()).isEqualTo("changed");
        assertThat(changedWeb.path("newRevision").asBoolean()).isTrue();
        assertThat(changedWeb.path("changes").valueStream().map(c -> c.path("field").asString() + ": " + c.path("from") + " -> " + c.path("to")))
                .containsExactly("spec.env.MODE: \"a\" -> \"b\"", "spec.env.NEW: null -> \"x\"", "spec.replicas: 1 -> 3");
        assertThat(body.path("documents").get(1).path("action").asString()).isEqualTo("unchanged");
        assertThat(body.path("documents").get(1).path("changes").isEmpty()).isTrue();
        assertThat(body.path("documents").get(2).path("action").asString()).isEqualTo("created");

        JsonNode stored = admin.get("/api/v1/namespaces/" + ns + "/deployments/web").json();
        assertThat(stored.path("generation").asInt()).isEqualTo(1);
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/deployments/extra").status()).isEqualTo(404);
    }

    @Test
    void aScaleAloneIsAChangeWithoutANewRevisionAndAnIdenticalSetIsNoChange() {
        String web = doc("web", "http: {path: /" + ns + "-web}, replicas: 1");
        assertThat(post(admin, "/api/v1/apply", web).status()).isEqualTo(200);

        JsonNode scaled = post(admin, "/api/v1/diff", doc("web", "http: {path: /" + ns + "-web}, replicas: 2")).json();
        assertThat(scaled.path("documents").get(0).path("newRevision").asBoolean()).isFalse();
        assertThat(scaled.path("changed").asBoolean()).isTrue();

        assertThat(post(admin, "/api/v1/diff", web).json().path("changed").asBoolean()).isFalse();
    }

    @Test
    void anInvalidDocumentIsNamedAsTheApplyWouldAndAViewerMayDiffOnlyItsNamespace() {
        Response bad = post(admin, "/api/v1/diff", doc("web", "http: {path: /" + ns + "}, replicas: -1"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.errorFields()).containsExactly("documents[0].spec.replicas");

        String secret = admin.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"v\",\"grants\":[{\"role\":\"viewer\",\"namespace\":\""
                + ns + "\"}]}").json().path("token").asString();
        ApiClient viewer = admin.as(secret);
        assertThat(post(viewer, "/api/v1/diff", doc("web", "job: {}")).status()).isEqualTo(200);
        assertThat(post(viewer, "/api/v1/apply", doc("web", "job: {}")).status()).isEqualTo(403);
        Response other = post(viewer, "/api/v1/diff", doc("web", "job: {}").replace("namespace: " + ns, "namespace: prod"));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json().path("detail").asString()).contains("needs role viewer in namespace prod");
    }

    String secret(String name, String stringData) {
        return "apiVersion: nanolet.dev/v1\nkind: Secret\nmetadata: {name: " + name + ", namespace: " + ns + "}\nstringData: {" + stringData + "}\n";
    }

    @Test
    void aSecretDocumentIsListedWithTheNamesOfItsKeysAndNeverAValue() {
        Response created = post(admin, "/api/v1/diff", secret("db", "user: app, password: s3cret-one"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().path("changed").asBoolean()).isTrue();
        assertThat(keyChanges(created.json().path("documents").get(0))).containsExactly(
                "0 Secret db created: data.password added", "0 Secret db created: data.user added");
        assertThat(post(admin, "/api/v1/apply", secret("db", "user: app, password: s3cret-one")).status()).isEqualTo(200);

        assertThat(keyChanges(post(admin, "/api/v1/diff", secret("db", "user: app, password: s3cret-one")).json().path("documents").get(0)))
                .containsExactly("0 Secret db unchanged");
        JsonNode changed = post(admin, "/api/v1/diff", doc("web", "job: {}") + "---\n" + secret("db", "password: s3cret-two, url: jdbc"))
                .json();
        assertThat(changed.path("changed").asBoolean()).isTrue();
        assertThat(keyChanges(changed.path("documents").get(1))).containsExactly("1 Secret db changed: data.password changed",
                "1 Secret db changed: data.url added", "1 Secret db changed: data.user removed");
        assertThat(changed.toString()).doesNotContain("s3cret", "jdbc\"");
        assertThat(admin.get("/api/v1/namespaces/" + ns + "/secrets/db").json().path("version").asInt()).isEqualTo(1);

        // whether a value is the one stored is for who may write it: a viewer's diff of a Secret is refused
        Response viewer = post(withGrant("viewer", ns), "/api/v1/diff", secret("db", "password: guess"));
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(viewer.json().path("detail").asString()).contains("needs role deployer in namespace " + ns);
        assertThat(post(withGrant("deployer", ns), "/api/v1/diff", secret("db", "user: app, password: s3cret-one")).status()).isEqualTo(200);
    }

    private static java.util.List<String> keyChanges(JsonNode d) {
        String head = d.path("index").asInt() + " " + d.path("kind").asString() + " " + d.path("name").asString() + " "
                + d.path("action").asString();
        return d.path("changes").isEmpty() ? java.util.List.of(head)
                : d.path("changes").valueStream().map(c -> head + ": " + c.path("field").asString() + " " + c.path("change").asString()).toList();
    }
}
