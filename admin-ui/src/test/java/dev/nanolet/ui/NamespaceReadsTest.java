package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A token granted in namespaces only has its overview and deployments list read namespace by namespace: at once (a few at a
 * time), not one after another, and a namespace whose read fails is named with why while the others are listed.
 */
class NamespaceReadsTest extends UiTest {
    private static final String CI = "GET /api/v1/namespaces/ci/deployments";
    private static final String SHOP = "GET /api/v1/namespaces/shop/deployments";

    /** ci's read is answered only once shop's has been asked for: read one after the other, ci's would time out. */
    @Test
    void theNamespacesAreReadAtOnce() {
        deployInCiAndShop();
        UiSession session = deployer();

        for (String page : List.of("/", "/deployments")) {
            API.holdUntil(CI, SHOP);
            String html = session.page(page);
            assertThat(html).as(page).contains("ci/hello").contains("shop/hello").doesNotContain("id=\"unreadable-namespaces\"");
        }
    }

    /**
     * The overview lists the deployments in the order of the token's namespaces, whichever namespace answers first: in the
     * order of the answers, the list changed its order from one 2 s refresh to the next.
     */
    @Test
    void theDeploymentsAreListedInTheOrderOfTheNamespacesNotOfTheAnswers() {
        deployInCiAndShop(0);
        UiSession session = deployer();
        API.delayCall(CI, Duration.ofMillis(500));

        for (String html : List.of(session.page("/"), session.htmx("/").body())) {
            assertThat(html.indexOf("ci/hello")).isPositive().isLessThan(html.indexOf("shop/hello"));
        }
    }

    @Test
    void aNamespaceWhoseReadFailedIsNamedAndTheOthersAreListed() {
        deployInCiAndShop();
        UiSession session = deployer();
        API.failCall(CI, 503);

        for (String page : List.of("/", "/deployments")) {
            UiSession.Response r = session.get(page);
            assertThat(r.status()).as(page).isEqualTo(200);
            assertThat(r.body()).as(page).contains("shop/hello").doesNotContain("ci/hello").contains("id=\"unreadable-ci\"")
                    .contains("Namespace ci could not be read: 503 Service Unavailable: injected failure")
                    .doesNotContain("id=\"unreadable-shop\"");
        }
        assertThat(session.htmx("/").body()).as("the live part too").contains("id=\"unreadable-ci\"").contains("shop/hello");
    }

    /**
     * The deployments list's namespace filter offers every namespace of the token's grants, one without deployments and one
     * whose read failed too (it offered only those with deployments listed), and with that one chosen names its failure,
     * with another chosen not; a cluster-wide viewer's offers the namespace it chose by the address, deployments or none.
     */
    @Test
    void theFilterOffersTheTokensNamespacesWithoutDeploymentsOrUnreadable() {
        UiSession admin = signedIn();
        admin.post("/deployments/new", "/deployments", Fixtures.httpForm("hello", Fixtures.upload(admin), 1,
                Map.of("namespace", "shop", "path", "/hello-shop"))).redirect();
        UiSession session = deployer();

        assertThat(session.page("/deployments")).as("ci has no deployments").contains("<option value=\"ci\">ci</option>")
                .contains("<option value=\"shop\">shop</option>");
        API.failCall(SHOP, 503);
        assertThat(session.page("/deployments?namespace=shop")).as("shop could not be read")
                .contains("<option value=\"shop\" selected=\"selected\">shop</option>").contains("id=\"unreadable-shop\"");
        assertThat(session.page("/deployments?namespace=ci")).contains("<option value=\"shop\">shop</option>")
                .contains("<option value=\"ci\" selected=\"selected\">ci</option>").doesNotContain("id=\"unreadable-shop\"");

        assertThat(admin.page("/deployments?namespace=empty")).as("a cluster-wide viewer's")
                .contains("<option value=\"empty\" selected=\"selected\">empty</option>").contains("<option value=\"shop\">shop</option>");
    }

    /**
     * With one of its namespaces chosen, a token granted in namespaces has that one read only, the page and its 2 s refresh
     * alike (the select offers its grants, whatever was read): every namespace of its grants was read, to show one of them.
     */
    @Test
    void theListOfAChosenNamespaceReadsThatNamespaceOnly() {
        deployInCiAndShop();
        UiSession session = deployer();
        API.requests.clear();

        String page = session.page("/deployments?namespace=shop");
        String live = session.htmx("/deployments?namespace=shop").body();

        assertThat(page).contains("<option value=\"ci\">ci</option>").contains("shop/hello").doesNotContain("ci/hello");
        assertThat(live).contains("shop/hello").doesNotContain("ci/hello");
        assertThat(API.requests).contains(SHOP).doesNotContain(CI);
    }

    /**
     * A namespace the token has no grant for, chosen by the address, is answered the dashboard's 403 naming the role, as
     * every read it may not make, the page and its refresh alike, and nothing is asked: the list showed "all" chosen over
     * an empty list. A cluster-wide viewer reads any namespace it chooses.
     */
    @Test
    void aNamespaceTheTokenMayNotReadIsRefusedNamingTheRole() {
        deployInCiAndShop();
        UiSession session = deployer();
        API.requests.clear();

        for (UiSession.Response r : List.of(session.get("/deployments?namespace=other"), session.htmx("/deployments?namespace=other&q=x"))) {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.body()).contains("needs role viewer in namespace other; token deployer has deployer in ci, deployer in shop")
                    .doesNotContain("hello").doesNotContain("<option value=\"\" selected");
        }
        assertThat(API.requests).noneMatch(r -> r.contains("/deployments"));
        UiSession viewer = new UiSession(baseUrl());
        assertThat(viewer.signIn(FakePlatformApi.CLUSTER_VIEWER_TOKEN).redirect()).isEqualTo("/");
        assertThat(viewer.page("/deployments?namespace=other")).contains("<option value=\"other\" selected=\"selected\">other</option>");
    }

    /** A refusal without a detail (a proxy's bare 403, say) reads as its status, not as "403 Forbidden: null". */
    @Test
    void aRefusalWithoutDetailIsNamedByItsStatusAlone() {
        deployInCiAndShop();
        UiSession session = deployer();
        API.failCall(CI, 403, null);

        assertThat(session.page("/")).contains("Namespace ci could not be read: 403 Forbidden.").doesNotContain("null");
    }

    /** A 401 is no namespace's: it signs out once, whether the other reads are still under way or not. */
    @Test
    void aRevokedTokenSignsOutWhileTheOtherNamespacesAreStillBeingRead() {
        deployInCiAndShop();
        UiSession session = deployer();
        API.delayCall(SHOP, Duration.ofSeconds(1));
        API.failCall(CI, 401);

        UiSession.Response r = session.htmx("/");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().getFirst("HX-Redirect")).isEqualTo("/sign-in?expired");
        assertThat(session.get("/deployments").location()).as("signed out").contains("/sign-in");
    }

    /**
     * The overview's warnings of a token granted in namespaces only are its namespaces' (GET /namespaces/{ns}/events),
     * newest first whichever namespace they are in, none of another namespace nor a node; a namespace whose warnings
     * could not be read is named as such, not as one whose deployments are missing (they are listed), the others' shown.
     */
    @Test
    void theWarningsAreThoseOfTheTokensNamespacesNewestFirst() {
        deployInCiAndShop();
        API.state().event("Warning", "BackOff", "ci restarts", "deployment/ci/hello");
        API.state().event("Warning", "BackOff", "default restarts", "deployment/default/hello");
        API.state().event("Warning", "NodeNotReady", "lease not renewed", "node/node-2");
        API.state().event("Warning", "BackOff", "shop restarts", "deployment/shop/hello");
        API.state().event("Normal", "Scaled", "shop scaled", "deployment/shop/hello");
        UiSession session = deployer();
        API.requests.clear();

        String html = session.page("/");

        assertThat(html).contains("ci restarts").contains("shop restarts").doesNotContain("default restarts")
                .doesNotContain("lease not renewed").doesNotContain("shop scaled").doesNotContain("id=\"unreadable-namespaces\"");
        assertThat(html.indexOf("shop restarts")).isLessThan(html.indexOf("ci restarts"));
        assertThat(API.requests).contains("GET /api/v1/namespaces/ci/events?type=Warning&limit=10", "GET /api/v1/namespaces/shop/events?type=Warning&limit=10")
                .noneMatch(r -> r.startsWith("GET /api/v1/events"));

        API.failCall("GET /api/v1/namespaces/ci/events", 503);
        assertThat(session.page("/")).contains("shop restarts").doesNotContain("ci restarts").contains("ci/hello")
                .contains("id=\"unreadable-warnings-ci\"").contains("The warnings of namespace ci could not be read")
                .as("its deployments are listed").doesNotContain("Its deployments are not listed");
    }

    private void deployInCiAndShop() {
        deployInCiAndShop(1);
    }

    private void deployInCiAndShop(int replicas) {
        UiSession admin = signedIn();
        String digest = Fixtures.upload(admin);
        for (String ns : List.of("ci", "shop")) {
            admin.post("/deployments/new", "/deployments", Fixtures.httpForm("hello", digest, replicas,
                    Map.of("namespace", ns, "path", "/hello-" + ns))).redirect();
        }
    }

    private UiSession deployer() {
        UiSession session = new UiSession(baseUrl());
        assertThat(session.signIn(FakePlatformApi.DEPLOYER_TOKEN).redirect()).isEqualTo("/");
        return session;
    }
}
