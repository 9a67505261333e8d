package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Tokens page for admins, and a viewer's dashboard that shows who it is and hides what it may not do. */
class TokensAndPermissionsTest extends UiTest {
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
                Map.of("name", "ci", "grants", "deployer@pipeline, viewer", "expiresInSeconds", ""));

        assertThat(created.status()).isEqualTo(200);
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

        UiSession.Response r = session.post("/tokens", "/tokens", Map.of("name", "ci", "grants", "owner@ci"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("id=\"token-error\"").contains("&#39;owner@ci&#39; is not a grant");
        assertThat(API.state().tokens).isEmpty();
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
