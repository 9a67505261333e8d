package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every page as a token granted in namespaces only (viewer in default; deployer in ci and shop; admin in ci), against a
 * fake platform-api that refuses it exactly what platform-api does: each page it may read shows, and each it may not
 * answers the dashboard's 403 naming the role, never an error page of platform-api's refusal, and no page links to what
 * it may not read (another namespace's deployments, the nodes).
 */
class NamespaceScopedWalkTest extends UiTest {
    private static final Pattern DEPLOYMENT_LINK = Pattern.compile("href=\"/deployments/([^/\"?]+)");

    @Test
    void aViewerInOneNamespaceWalksEveryPage() {
        walk(FakePlatformApi.VIEWER_TOKEN, "default");
    }

    @Test
    void aDeployerInTwoNamespacesWalksEveryPage() {
        walk(FakePlatformApi.DEPLOYER_TOKEN, "ci");
    }

    @Test
    void anAdminInOneNamespaceWalksEveryPage() {
        walk(FakePlatformApi.CI_ADMIN_TOKEN, "ci");
    }

    /** The new deployment's form opens on a namespace the token may deploy in, not on default, which platform-api would refuse. */
    @Test
    void theNewDeploymentFormOpensOnANamespaceTheTokenMayDeployIn() {
        UiSession session = new UiSession(baseUrl());
        assertThat(session.signIn(FakePlatformApi.DEPLOYER_TOKEN).redirect()).isEqualTo("/");

        assertThat(session.page("/deployments/new")).contains("id=\"namespace\" value=\"ci\"");
        assertThat(signedIn().page("/deployments/new")).as("a cluster-wide token's opens on default").contains("id=\"namespace\" value=\"default\"");
    }

    /** The Tokens and Audit pages, which platform-api answers an admin somewhere only, answer anyone else the dashboard's 403. */
    @Test
    void theTokensAndAuditPagesTellANonAdminWhichRoleTheyNeed() {
        UiSession session = new UiSession(baseUrl());
        assertThat(session.signIn(FakePlatformApi.DEPLOYER_TOKEN).redirect()).isEqualTo("/");
        API.requests.clear();

        for (String page : List.of("/tokens", "/audit")) {
            UiSession.Response r = session.get(page);
            assertThat(r.status()).as(page).isEqualTo(403);
            assertThat(r.body()).as(page).contains("needs role admin in a namespace; token deployer has deployer in ci, deployer in shop");
        }
        assertThat(API.requests).noneMatch(r -> r.startsWith("GET /api/v1/tokens?") || r.equals("GET /api/v1/tokens") || r.startsWith("GET /api/v1/audit"));
    }

    /**
     * An error page's navigation is the token's, as every page's: a 403 of the dashboard's and a 404 of an unknown address
     * offered a namespace-scoped token the Nodes, which it may not read, and named nobody as signed in.
     */
    @Test
    void anErrorPagesNavigationLinksOnlyToWhatTheTokenMayRead() {
        UiSession session = new UiSession(baseUrl());
        assertThat(session.signIn(FakePlatformApi.DEPLOYER_TOKEN).redirect()).isEqualTo("/");

        for (String page : List.of("/tokens", "/no-such-page")) {
            UiSession.Response r = session.get(page);
            assertThat(r.status()).as(page).isIn(403, 404);
            assertThat(r.body()).as(page).doesNotContain("id=\"nav-nodes\"").contains("id=\"whoami\"");
        }
        assertThat(signedIn().get("/no-such-page").body()).as("a cluster-wide admin's").contains("id=\"nav-nodes\"").contains("id=\"nav-tokens\"");
    }

    /**
     * The confirmation of a delete is a form that only writes: a viewer who opens its address (a bookmark, a link sent to
     * them) gets the dashboard's 403 naming the role, as for the edit form, not a Delete button platform-api can only refuse.
     */
    @Test
    void theDeleteConfirmationAnswersATokenThatMayNotDeleteThere403() {
        Fixtures.deploy(signedIn(), "hello", 1);
        UiSession session = new UiSession(baseUrl());
        assertThat(session.signIn(FakePlatformApi.VIEWER_TOKEN).redirect()).isEqualTo("/");

        UiSession.Response r = session.get("/deployments/default/hello/delete");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("needs role deployer in namespace default; token viewer has viewer in default")
                .doesNotContain("id=\"confirm-delete\"");
        assertThat(signedIn().page("/deployments/default/hello/delete")).as("the admin's").contains("id=\"confirm-delete\"");
    }

    /**
     * A binding's secret links to the secrets of the deployment's namespace: the link named none, so a deployer in ci and
     * shop who followed it from a deployment in shop landed on ci's secrets, where the secret is not.
     */
    @Test
    void aBindingsSecretLinksToTheSecretsOfTheDeploymentsNamespace() {
        UiSession admin = signedIn();
        API.state().secrets.put("shop/db", Map.of("url", "postgresql://127.0.0.1/app"));
        admin.post("/deployments/new", "/deployments", Fixtures.httpForm("todo", Fixtures.upload(admin), 1,
                Map.of("namespace", "shop", "bindings", "todo=postgres:db"))).redirect();
        UiSession session = new UiSession(baseUrl());
        assertThat(session.signIn(FakePlatformApi.DEPLOYER_TOKEN).redirect()).isEqualTo("/");

        assertThat(session.page("/deployments/shop/todo")).contains("<a href=\"/secrets?namespace=shop\">db</a>");
    }

    private void walk(String token, String ns) {
        UiSession admin = signedIn();
        String digest = Fixtures.deploy(admin, "hello", 1);
        for (String other : List.of("ci", "shop")) {
            admin.post("/deployments/new", "/deployments", Fixtures.httpForm("hello", digest, 1,
                    Map.of("namespace", other, "path", "/hello-" + other))).redirect();
        }
        API.state().event("Warning", "NodeNotReady", "lease not renewed", "node/node-2");
        API.state().event("Warning", "BackOff", "restarts", "deployment/" + ns + "/hello");
        UiSession session = new UiSession(baseUrl());
        assertThat(session.signIn(token).redirect()).isEqualTo("/");
        String dep = "/deployments/" + ns + "/hello";
        Map<String, UiSession.Response> pages = new LinkedHashMap<>();
        for (String page : List.of("/", "/deployments", "/modules", "/modules/" + digest, dep, dep + "/logs", dep + "/metrics",
                "/audit", "/tokens", "/secrets", "/nodes", "/deployments/new", dep + "/delete", dep + "/edit")) {
            pages.put(page, session.get(page));
        }
        pages.put(dep + "/try", session.post(dep, dep + "/try", Map.of("suffix", "")));
        SoftAssertions.assertSoftly(soft -> pages.forEach((page, r) -> {
            soft.assertThat(r.status()).as(page).isIn(200, 403);
            soft.assertThat(r.body()).as(page).doesNotContain("platform-api refused").doesNotContain("/api/v1/");
            soft.assertThat(DEPLOYMENT_LINK.matcher(r.body()).results().map(m -> m.group(1)).filter(n -> !n.equals("new")))
                    .as(page + ": links to deployments it may read only").allMatch(n -> n.equals(ns) || token.equals(FakePlatformApi.DEPLOYER_TOKEN) && n.equals("shop"));
            soft.assertThat(r.body()).as(page + ": no link to the nodes, which it may not read").doesNotContain("href=\"/nodes");
            if (r.status() == 403) {
                soft.assertThat(r.body()).as(page).contains("needs role");
            }
        }));
    }
}
