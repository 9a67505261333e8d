package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.DeploymentSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NewDeploymentTest extends UiTest {

    @Test
    void uploadingAModuleShowsItsDigestImportsAndExports() {
        UiSession session = signedIn();
        String digest = Fixtures.upload(session);
        assertThat(API.requests).contains("POST /api/v1/modules?name=hello");
        String page = session.page("/deployments/new?module=" + digest);
        assertThat(page).contains("Uploaded module " + digest).contains(digest)
                .contains("wasi_snapshot_preview1.fd_write").contains("_start")
                .containsPattern("<option value=\"" + digest + "\" selected");
    }

    /** The file's name is the module's name, whatever it holds: it never adds a parameter to the upload nor breaks it. */
    @Test
    void anUploadedFilesNameIsSentWholeAsTheModulesName() {
        UiSession session = signedIn();
        UiSession.Response r = session.upload("a&name=b+c {x} 100%.wasm", Fixtures.EMPTY_WASM);
        assertThat(r.location()).as(r.status() + " " + r.body()).contains("module=sha256");
        assertThat(API.requests).contains("POST /api/v1/modules?name=a%26name%3Db%2Bc%20%7Bx%7D%20100%25");
    }

    /**
     * A line break in a file's name (which a script may send encoded, as {@code filename*}) is refused before anything goes
     * to platform-api, whose module names hold no control character: sent on, it would end a header line of the part.
     */
    @Test
    void aFilesNameWithALineBreakIsRefusedBeforeItReachesPlatformApi() {
        UiSession session = signedIn();
        UiSession.Response r = session.uploadRaw("filename*=UTF-8''evil%0D%0AContent-Type%3A%20text%2Fplain%0D%0A%0D%0Ax.wasm", Fixtures.EMPTY_WASM);

        assertThat(r.redirect()).isEqualTo("/deployments/new");
        assertThat(API.requests).noneMatch(request -> request.startsWith("POST /api/v1/modules"));
        assertThat(session.page("/deployments/new"))
                .contains("Nothing was uploaded: the name of the file, which names the module, must not contain control characters.");
        assertThat(session.uploadRaw("filename*=UTF-8''%E2%9C%93%20ok.wasm", Fixtures.EMPTY_WASM).location()).contains("module=sha256");
        assertThat(API.requests).contains("POST /api/v1/modules?name=%E2%9C%93%20ok");
    }

    /**
     * A {@code filename*} a script forged that is no RFC 5987 value (an escape that is not hex, a charset no one knows) is
     * the client's mistake, a 400, not a 500: Spring's multipart reader throws as the CSRF check reads the form's parts.
     */
    @Test
    void aFilesNameThatIsNoEncodedValueIsA400() {
        UiSession session = signedIn();
        for (String forged : List.of("filename*=UTF-8''%ZZ.wasm", "filename*=X-NO-SUCH-CHARSET''a.wasm")) {
            UiSession.Response r = session.uploadRaw(forged, Fixtures.EMPTY_WASM);
            assertThat(r.status()).as(forged).isEqualTo(400);
            assertThat(r.body()).as(forged).contains("400 Bad Request");
        }
        assertThat(API.requests).noneMatch(request -> request.startsWith("POST /api/v1/modules"));
        assertThat(session.uploadRaw("filename*=UTF-8''ok.wasm", Fixtures.EMPTY_WASM).location()).contains("module=sha256");
    }

    @Test
    void aModuleCanBeImportedFromAnOciReferenceAndShowsWhereItCameFrom() {
        UiSession session = signedIn();
        String digest = Fixtures.importImage(session, "registry.example/team/hello:1.0");
        assertThat(API.requests).contains("POST /api/v1/modules");
        assertThat(session.page("/deployments/new?module=" + digest)).contains("Imported module registry.example/team/hello:1.0");
        assertThat(session.page("/modules/" + digest)).contains("id=\"module-source\">registry.example/team/hello:1.0<");

        UiSession.Response refused = session.post("/deployments/new", "/deployments/new/import", Map.of("image", "registry.example/nope:1"));
        assertThat(refused.redirect()).isEqualTo("/deployments/new");
        assertThat(session.page("/deployments/new")).contains("platform-api could not import the image: registry.example/nope:1 not found");
    }

    @Test
    void aFileThatIsNotWasmIsRefusedWithTheApiReason() {
        UiSession session = signedIn();
        UiSession.Response r = session.upload("notes.wasm", "hello".getBytes());
        assertThat(r.redirect()).isEqualTo("/deployments/new");
        assertThat(session.page("/deployments/new")).contains("platform-api refused the module: not a WebAssembly module");
    }

    @Test
    void secretEnvAndBindingsGoIntoTheSpecAndMalformedLinesAreNamed() {
        UiSession session = signedIn();
        String digest = Fixtures.upload(session);
        Map<String, String> form = new HashMap<>(Fixtures.httpForm("todo", digest, 1));
        form.put("secretEnv", "DB_PASSWORD=db/password");
        form.put("bindings", "todo=postgres:db\ncount=kv:counter");
        assertThat(session.post("/deployments/new", "/deployments", form).redirect()).isEqualTo("/deployments/default/todo");
        DeploymentSpec spec = API.state().deployments.get("default/todo").spec;
        assertThat(spec.secretEnv()).isEqualTo(Map.of("DB_PASSWORD", new DeploymentSpec.SecretKeyRef("db", "password")));
        assertThat(spec.bindings()).containsExactly(new DeploymentSpec.Binding("todo", "postgres", "db"),
                new DeploymentSpec.Binding("count", "kv", "counter"));
        assertThat(spec.env()).doesNotContainKey("DB_PASSWORD");

        form.put("name", "bad");
        form.put("secretEnv", "DB_PASSWORD=db");
        form.put("bindings", "todo=postgres");
        UiSession.Response r = session.post("/deployments/new", "/deployments", form);
        assertThat(r.body()).contains("not NAME=secret/key: DB_PASSWORD=db").contains("not name=type:secret: todo=postgres")
                .contains("DB_PASSWORD=db</textarea>");
        assertThat(API.state().deployments).doesNotContainKey("default/bad");
    }

    @Test
    void creatingADeploymentSendsTheSpecAndRedirectsToItsPageWithAMessage() {
        UiSession session = signedIn();
        String digest = Fixtures.upload(session);
        var form = new HashMap<>(Fixtures.httpForm("hello", digest, 2));
        form.put("args", "--greeting\r\nhi\r\n"); // the last arg ended with Enter, sent as CRLF as a browser does
        UiSession.Response r = session.post("/deployments/new", "/deployments", form);
        assertThat(r.redirect()).isEqualTo("/deployments/default/hello");
        DeploymentSpec spec = API.state().deployments.get("default/hello").spec;
        assertThat(spec.module()).isEqualTo(digest);
        assertThat(spec.http().path()).isEqualTo("/hello");
        assertThat(spec.replicas()).isEqualTo(2);
        assertThat(spec.args()).containsExactly("--greeting", "hi");
        assertThat(spec.env()).containsEntry("GREETING", "hello");
        assertThat(spec.nodeSelector()).containsEntry("zone", "a");
        assertThat(spec.limits()).isEqualTo(new DeploymentSpec.Limits(32, 5000, 4));
        assertThat(session.page("/deployments/default/hello")).contains("Applied deployment default/hello.");
        assertThat(session.page("/deployments/default/hello")).doesNotContain("Applied deployment default/hello.");
    }

    @Test
    void validationErrorsFromTheApiAppearNextToTheirFieldsWithWhatWasTyped() {
        UiSession session = signedIn();
        String digest = Fixtures.upload(session);
        var form = new HashMap<>(Fixtures.httpForm("hello", digest, 2));
        form.put("replicas", "5000");
        form.put("path", "no-slash");
        UiSession.Response r = session.post("/deployments/new", "/deployments", form);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).containsPattern("id=\"error-replicas\">must be between 0 and 1000<")
                .containsPattern("id=\"error-path\">must start with /<")
                .contains("value=\"5000\"").contains("value=\"no-slash\"");
        assertThat(API.state().deployments).isEmpty();
    }

    @Test
    void aRouteAnotherDeploymentServesIsShownNextToThePathNamingTheOwner() {
        UiSession session = signedIn();
        String digest = Fixtures.upload(session);
        session.post("/deployments/new", "/deployments", Fixtures.httpForm("hello", digest, 1)).redirect();
        var form = new HashMap<>(Fixtures.httpForm("hello2", digest, 1));
        form.put("path", "/hello/");
        UiSession.Response r = session.post("/deployments/new", "/deployments", form);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("id=\"error-path\">/hello/ is already served by deployment default/hello<").contains("value=\"/hello/\"");
    }

    @Test
    void aNamespaceTheApiRefusesIsShownNextToTheNamespace() {
        UiSession session = signedIn();
        String digest = Fixtures.upload(session);
        var form = new HashMap<>(Fixtures.httpForm("hello", digest, 1));
        form.put("namespace", "Bad_NS");
        UiSession.Response r = session.post("/deployments/new", "/deployments", form);
        assertThat(r.body()).contains("id=\"error-namespace\">must be a DNS-1123 label<").contains("value=\"Bad_NS\"");
    }

    @Test
    void numbersAndPairsAreCheckedBeforeAskingTheApi() {
        UiSession session = signedIn();
        var form = new HashMap<>(Fixtures.httpForm("hello", "", 1));
        form.put("replicas", "two");
        form.put("nodeSelector", "NOEQUALS");
        UiSession.Response r = session.post("/deployments/new", "/deployments", form);
        assertThat(r.body()).contains("id=\"error-replicas\">must be a whole number<").contains("write one KEY=value per line");
        assertThat(API.requests).noneMatch(q -> q.startsWith("PUT"));
    }

    @Test
    void aJobNeedsNoRoute() {
        UiSession session = signedIn();
        String digest = Fixtures.upload(session);
        var form = new HashMap<>(Fixtures.httpForm("batch", digest, 1));
        form.put("kind", "job");
        form.put("restartPolicy", "OnFailure");
        assertThat(session.post("/deployments/new", "/deployments", form).redirect()).isEqualTo("/deployments/default/batch");
        DeploymentSpec spec = API.state().deployments.get("default/batch").spec;
        assertThat(spec.servesHttp()).isFalse();
        assertThat(spec.job().restartPolicy()).isEqualTo(DeploymentSpec.RestartPolicy.OnFailure);
    }
}
