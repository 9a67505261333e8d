package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Tokens page for admins, and a viewer's dashboard that shows who it is and hides what it may not do. */
class TokensAndPermissionsTest extends UiTest {
    private static final Pattern FORM_ID = Pattern.compile("name=\"formId\" value=\"([^\"]+)\"");

    UiSession viewer() {
        UiSession session = new UiSession(baseUrl());
        UiSession.Response r = session.signIn(FakePlatformApi.VIEWER_TOKEN);
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.location()).isEqualTo("/");
        return session;
    }

    @Test
    void anAdminCreatesATokenSeesItsSecretOnceAndRevokesIt() {
        UiSession session = signedIn();
        assertThat(session.page("/")).contains("id=\"nav-tokens\"").contains("Signed in as admin: admin (cluster-wide)");

        UiSession.Response created = session.post("/tokens", "/tokens",
                Map.of("name", "ci", "grants", "deployer@pipeline, viewer", "expiresInSeconds", "", "formId", formId(session.page("/tokens"))));

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.headers().getCacheControl()).as("Back never shows the secret from the cache").contains("no-store");
        var token = API.state().tokens.getFirst();
        assertThat(created.body()).contains("id=\"issued-token\"").contains("nlt_api_" + token.id());
        assertThat(token.grants()).extracting(g -> g.role() + "@" + g.namespace())
                .containsExactly("deployer@pipeline", "viewer@null");
        String list = session.page("/tokens");
        assertThat(list).contains("deployer in pipeline, viewer (cluster-wide)").doesNotContain("nlt_api_");

        UiSession.Response revoked = session.post("/tokens", "/tokens/" + token.id() + "/revoke", Map.of());
        assertThat(revoked.redirect()).isEqualTo("/tokens");
        assertThat(API.state().tokens).isEmpty();
        assertThat(API.requests).contains("DELETE /api/v1/tokens/" + token.id());
    }

    @Test
    void aGrantThatIsNotOneIsSaidOnThePageAndNothingIsCreated() {
        UiSession session = signedIn();

        UiSession.Response r = session.post("/tokens", "/tokens", Map.of("name", "ci", "grants", "owner@ci", "formId", formId(session.page("/tokens"))));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("id=\"token-error\"").contains("&#39;owner@ci&#39; is not a grant");
        assertThat(API.state().tokens).isEmpty();
    }

    @Test
    void aReloadOfThePageThatShowedTheSecretCreatesNoSecondToken() {
        UiSession session = signedIn();
        Map<String, String> form = Map.of("name", "ci", "grants", "deployer@ci", "formId", formId(session.page("/tokens")));
        assertThat(session.post("/tokens", "/tokens", form).body()).contains("id=\"issued-token\"");

        UiSession.Response again = session.post("/tokens", "/tokens", form);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("id=\"token-repeat\"")
                .contains("This form was already sent: token ci was created and its secret shown once. Nothing new was created; revoke ci")
                .doesNotContain("nlt_api_").contains("id=\"token-name\" required value=\"\"");
        assertThat(API.state().tokens).hasSize(1);
        assertThat(API.requests).filteredOn("POST /api/v1/tokens"::equals).hasSize(1);
        String fresh = formId(again.body());
        assertThat(fresh).isNotEqualTo(form.get("formId"));
        assertThat(session.post("/tokens", "/tokens", Map.of("name", "ci2", "grants", "viewer@ci", "formId", fresh)).body())
                .as("the new form creates one").contains("id=\"issued-token\"");
        assertThat(API.state().tokens).hasSize(2);
    }

    @Test
    void aFormWithoutAnIdOrWithOneThisSessionNeverGaveOutCreatesNothing() {
        UiSession session = signedIn();
        String othersForm = formId(signedIn().page("/tokens"));
        for (Map<String, String> form : List.of(Map.of("name", "ci", "grants", "viewer"), Map.of("name", "ci", "grants", "viewer", "formId", othersForm),
                Map.of("name", "ci", "grants", "viewer", "formId", "x".repeat(5000)))) {
            UiSession.Response r = session.post("/tokens", "/tokens", form);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("This form was not given out by this page or is too old: nothing was created.")
                    .contains("name=\"formId\" value=\"");
        }
        assertThat(API.state().tokens).isEmpty();
        assertThat(API.requests).doesNotContain("POST /api/v1/tokens");
    }

    @Test
    void aTokenWhoseListingFailedAfterItWasCreatedIsShownAndItsFormCreatesNoSecond() {
        UiSession session = signedIn();
        Map<String, String> form = Map.of("name", "ci", "grants", "viewer@ci", "formId", formId(session.page("/tokens")));
        API.failOnceAfter("POST /api/v1/tokens", 503);
        UiSession.Response shown = session.post("/tokens", "/tokens", form);
        assertThat(shown.status()).as("the listing after the create refused, the token made").isEqualTo(200);
        assertThat(shown.body()).as("its secret is still shown, once").contains("nlt_api_" + API.state().tokens.getFirst().id())
                .contains("id=\"tokens-unlisted\"").contains("The list of tokens could not be read").doesNotContain("No tokens you manage.");

        UiSession.Response again = session.post("/tokens", "/tokens", form);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("This form was already sent: token ci was created");
        assertThat(API.state().tokens).hasSize(1);
    }

    @Test
    void aFormOlderThanTheLatestFiftyIsRefusedAndTheLatestStillCreates() {
        UiSession session = signedIn();
        String oldest = formId(session.page("/tokens"));
        String latest = oldest;
        for (int i = 0; i < 50; i++) {
            latest = formId(session.page("/tokens"));
        }

        UiSession.Response r = session.post("/tokens", "/tokens", Map.of("name", "ci", "grants", "viewer@ci", "formId", oldest));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("This form was not given out by this page or is too old: nothing was created.");
        assertThat(API.state().tokens).isEmpty();
        assertThat(session.post("/tokens", "/tokens", Map.of("name", "ci", "grants", "viewer@ci", "formId", latest)).body())
                .contains("id=\"issued-token\"");
    }

    /** A double click, or a reload while the first post is still under way: the second post waits for nothing and creates nothing. */
    @Test
    void twoPostsOfOneFormAtOnceCreateOneToken() {
        UiSession session = signedIn();
        Map<String, String> form = Map.of("name", "ci", "grants", "viewer@ci", "formId", formId(session.page("/tokens")));
        API.holdTokenCreates();
        CompletableFuture<UiSession.Response> first = CompletableFuture.supplyAsync(() -> session.post("/tokens", "/tokens", form));
        await().until(() -> API.requests.contains("POST /api/v1/tokens"));

        UiSession.Response second = session.post("/tokens", "/tokens", form);
        API.releaseTokenCreates();

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.body()).contains("This form was already sent (token ci) and its answer did not come back here").doesNotContain("nlt_api_");
        assertThat(first.join().body()).contains("id=\"issued-token\"");
        assertThat(API.requests).filteredOn("POST /api/v1/tokens"::equals).hasSize(1);
        assertThat(API.state().tokens).hasSize(1);
    }

    @Test
    void aFormRefusedBeforeAnythingWasCreatedMayBeSentAgain() {
        UiSession session = signedIn();
        String id = formId(session.page("/tokens"));
        assertThat(session.post("/tokens", "/tokens", Map.of("name", "ci", "grants", "owner@ci", "formId", id)).body()).contains("is not a grant");

        UiSession.Response r = session.post("/tokens", "/tokens", Map.of("name", "ci", "grants", "viewer@ci", "formId", id));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("id=\"issued-token\"");
        assertThat(API.state().tokens).hasSize(1);
    }

    /** A 5xx (a proxy's gateway timeout, say) does not say the token was not made: the form's repeat creates nothing. */
    @Test
    void aFormWhoseCreateFailedWithAServerErrorCreatesNothingWhenSentAgain() {
        UiSession session = signedIn();
        Map<String, String> form = Map.of("name", "ci", "grants", "viewer@ci", "formId", formId(session.page("/tokens")));
        String csrf = session.csrfFrom("/tokens");
        Map<String, String> sent = new java.util.HashMap<>(form);
        sent.put("_csrf", csrf);
        API.failWith(504);
        session.submit("/tokens", sent, false);
        API.stopFailing();
        assertThat(API.requests).as("the create was asked for").contains("POST /api/v1/tokens");

        UiSession.Response again = session.submit("/tokens", sent, false);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("This form was already sent (token ci) and its answer did not come back here");
        assertThat(API.state().tokens).isEmpty();
        assertThat(session.post("/tokens", "/tokens", Map.of("name", "ci", "grants", "viewer@ci", "formId", formId(again.body()))).body())
                .as("the new form creates one").contains("id=\"issued-token\"");
    }

    /** The one-time id of the token create form on {@code html}. */
    static String formId(String html) {
        Matcher m = FORM_ID.matcher(html);
        assertThat(m.find()).as("a create form on the page").isTrue();
        return m.group(1);
    }

    @Test
    void aViewerSeesWhoItIsAndNoDeployScaleRollbackOrTokenActions() {
        Fixtures.deploy(signedIn(), "hello", 1);
        UiSession session = viewer();

        String overview = session.page("/");
        assertThat(overview).contains("Signed in as viewer: viewer in default").doesNotContain("id=\"nav-tokens\"")
                .doesNotContain("href=\"/deployments/new\"");
        String page = session.page("/deployments/default/hello");
        assertThat(page).contains("default/hello").doesNotContain("id=\"scale-form\"").doesNotContain("id=\"edit\"")
                .doesNotContain("id=\"delete\"");
        String version = API.state().deployments.get("default/hello").resourceVersion;
        assertThat(session.post("/deployments/default/hello/edit", "/deployments", Fixtures.httpForm("hello",
                API.state().deployments.get("default/hello").spec.module(), 3, Map.of("resourceVersion", version))).status()).isEqualTo(403);
        assertThat(API.state().deployments.get("default/hello").spec.replicas()).isEqualTo(1);
        assertThat(session.page("/deployments")).doesNotContain("href=\"/deployments/new\"");
    }

    /**
     * A token granted in namespaces only (not a cluster-wide viewer, which platform-api requires for nodes, all events and
     * every namespace's deployments) lands on an overview of its namespaces' deployments and warnings, is told what it may not see, and
     * is shown no Nodes link; the nodes pages answer the dashboard's 403 naming the role they need.
     */
    @Test
    void aTokenGrantedInANamespaceSeesItsDeploymentsAndIsToldWhatItMayNotSee() {
        Fixtures.deploy(signedIn(), "hello", 1);
        UiSession session = viewer();
        API.requests.clear();

        assertThat(session.page("/")).contains("default/hello").contains("id=\"nodes-hidden\"").contains("No warnings.")
                .doesNotContain("id=\"nav-nodes\"");
        assertThat(session.page("/deployments")).contains("default/hello");
        for (String page : List.of("/nodes", "/nodes/node-1")) {
            UiSession.Response r = session.get(page);
            assertThat(r.status()).as(page).isEqualTo(403);
            assertThat(r.body()).contains("needs role viewer cluster-wide; token viewer has viewer in default");
        }
        assertThat(API.requests).contains("GET /api/v1/namespaces/default/deployments")
                .noneMatch(r -> r.startsWith("GET /api/v1/deployments") || r.startsWith("GET /api/v1/nodes") || r.startsWith("GET /api/v1/events"));
        assertThat(signedIn().page("/")).contains("id=\"nodes-ready\"").contains("id=\"nav-nodes\"").doesNotContain("id=\"nodes-hidden\"");
    }

    /** A token that may only read a namespace's secrets is shown no form nor button that platform-api could only refuse. */
    @Test
    void aViewerSeesTheSecretsButNoFormOrButtonThatWrites() {
        UiSession admin = signedIn();
        admin.post("/secrets", "/secrets", Map.of("namespace", "default", "name", "db", "data", "password=one")).redirect();
        assertThat(admin.page("/secrets?replace=db")).contains("id=\"secret-form\"").contains("id=\"delete-db\"")
                .doesNotContain("id=\"secrets-read-only\"");

        String page = viewer().page("/secrets?replace=db");
        assertThat(page).contains("id=\"secret-db\"").doesNotContain("id=\"replace-db\"").doesNotContain("id=\"delete-db\"")
                .doesNotContain("id=\"secret-form\"").doesNotContain("Replace secret db")
                .contains("Token viewer (viewer in default) may read the secrets of namespace default but not create, replace or"
                        + " delete them: that needs role deployer in default.");
    }

    /**
     * The Secrets link names no namespace: for a token granted in namespace ci only, the page opens on ci, not on
     * {@code default}, which platform-api would refuse it; a namespace the address names is still the one asked for (and refused, if the token may not read it).
     */
    @Test
    void theSecretsPageOpensOnTheNamespaceOfATokenGrantedInOneOnly() {
        UiSession session = new UiSession(baseUrl());
        assertThat(session.signIn(FakePlatformApi.CI_ADMIN_TOKEN).location()).isEqualTo("/");
        API.requests.clear();

        assertThat(session.page("/secrets")).contains("Create a secret in namespace ci").contains("name=\"namespace\" value=\"ci\"");
        assertThat(API.requests).contains("GET /api/v1/namespaces/ci/secrets").doesNotContain("GET /api/v1/namespaces/default/secrets");
        UiSession.Response other = session.get("/secrets?namespace=shop");
        assertThat(other.status()).as("a namespace the address names is the one asked for").isEqualTo(403);
        assertThat(other.body()).contains("needs role viewer in namespace shop");
        assertThat(signedIn().page("/secrets")).as("a cluster-wide token opens on default").contains("Create a secret in namespace default");
    }

    /** As the Tokens page for a non-admin: the forms that only write answer a viewer 403 before showing anything. */
    @Test
    void aViewerOpeningTheNewOrEditFormByUrlIsRefused() {
        Fixtures.deploy(signedIn(), "hello", 1);
        UiSession session = viewer();
        for (String form : List.of("/deployments/new", "/deployments/default/hello/edit")) {
            UiSession.Response r = session.get(form);
            assertThat(r.status()).as(form).isEqualTo(403);
            assertThat(r.body()).contains("403 Forbidden").contains("needs role deployer in").contains("token viewer has viewer in default")
                    .doesNotContain("id=\"deployment-form\"").contains("id=\"sign-out\"");
        }
        assertThat(signedIn().page("/deployments/default/hello/edit")).contains("id=\"deployment-form\"");
    }
}
