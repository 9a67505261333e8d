package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** platform-api's failures reach the user as readable messages, never a stack trace or a blank page. */
class ApiErrorsTest extends UiTest {

    @Test
    void aServerErrorIsShownWithItsStatusAndDetail() {
        UiSession session = signedIn();
        API.failWith(500);
        UiSession.Response r = session.get("/deployments");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body()).contains("500 Internal Server Error").contains("injected failure").doesNotContain("at dev.nanolet");
    }

    @Test
    void anErrorPageKeepsTheNavigationAndSignOut() {
        UiSession session = signedIn();
        UiSession.Response r = session.get("/deployments/default/missing");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("href=\"/deployments\"").contains("id=\"sign-out\"").contains("name=\"_csrf\"");
    }

    @Test
    void anUnknownUrlKeepsTheNavigationAndASignOutThatWorks() {
        UiSession session = signedIn();
        UiSession.Response r = session.get("/no/such/page");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("href=\"/deployments\"").contains("href=\"/nodes\"").contains("id=\"sign-out\"");
        assertThat(session.post("/no/such/page", "/sign-out", Map.of()).redirect()).isEqualTo("/sign-in?signedOut");
        assertThat(session.get("/no/such/page").location()).as("signed out: the next unknown URL asks to sign in").contains("/sign-in");
        UiSession.Response asset = new UiSession(baseUrl()).get("/css/missing.css");
        assertThat(asset.status()).isEqualTo(404);
        assertThat(asset.body()).as("no navigation for who is not signed in").contains("Something went wrong").doesNotContain("id=\"sign-out\"");
    }

    @Test
    void errorsNoControllerHandlesUseTheSamePageNotSpringsWhitelabel() {
        UiSession session = signedIn();
        UiSession.Response unknown = session.get("/no/such/page");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("Something went wrong").contains("404").doesNotContain("Whitelabel");
        UiSession.Response badForm = session.post("/deployments", "/deployments/default/hello/rollback", Map.of("revision", "abc"));
        assertThat(badForm.status()).isEqualTo(400);
        assertThat(badForm.body()).contains("Something went wrong").doesNotContain("Whitelabel").doesNotContain("Exception");
    }

    @Test
    void forbiddenAndConflictAreReadable() {
        UiSession session = signedIn();
        API.failWith(403);
        assertThat(session.get("/nodes").body()).contains("403 Forbidden").contains("This token may not do that.");
        API.failWith(409);
        assertThat(session.get("/modules").body()).contains("409 Conflict");
    }

    @Test
    void htmxPollsGetTheMessageAsAFragment() {
        UiSession session = signedIn();
        API.failWith(503);
        UiSession.Response r = session.htmx("/nodes");
        assertThat(r.body()).doesNotContain("<html").contains("503 Service Unavailable");
    }

    @Test
    void htmxRequestsGetAFragmentAlsoForErrorsNoControllerHandles() {
        UiSession session = signedIn();
        UiSession.Response unknown = session.htmx("/no/such/page");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).as("no layout nested in the page").doesNotContain("<html").doesNotContain("id=\"sign-out\"")
                .contains("class=\"error-box\"").contains("404 Not Found");
    }

    @Test
    void anAnswerThatIsNotTheDocumentedJsonIsNamedAsSuchOnPagesAndInFragments() {
        UiSession session = signedIn();
        API.answerWith(MediaType.TEXT_HTML, "<html><body>Proxy sign-in</body></html>");
        UiSession.Response page = session.get("/deployments");
        assertThat(page.status()).isEqualTo(502);
        assertThat(page.body()).contains("platform-api answered something the dashboard cannot read")
                .contains("platform-api answered text/html where JSON was expected").contains("id=\"sign-out\"");

        API.answerWith(MediaType.APPLICATION_JSON, "{\"items\": [tru");
        UiSession.Response poll = session.htmx("/nodes");
        assertThat(poll.status()).isEqualTo(502);
        assertThat(poll.body()).doesNotContain("<html").contains("is not the JSON it documents");
    }

    @Test
    void aRevokedTokenDuringAPollMovesTheWholePageToSignIn() {
        UiSession session = signedIn();
        API.failWith(401);
        UiSession.Response r = session.htmx("/nodes");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().getFirst("HX-Redirect")).isEqualTo("/sign-in?expired");
        API.reset();
        assertThat(session.htmx("/nodes").headers().getFirst("HX-Redirect")).isEqualTo("/sign-in");
    }

    /**
     * A page whose call platform-api refuses 401 after the browser signed in again (in another tab, its old token revoked
     * meanwhile) refuses the token the page was asked with: the newer sign-in stays, the page says to reload. It is an
     * error page, rendered rather than sent to its own address, with a line saying it is the previous sign-in's; its
     * sign-out form carries no CSRF token ({@code web.PageCsrf}): a page of the previous token never carries the newer
     * sign-in's, so none of its forms posts as that sign-in (it is refused as stale, the browser goes to the overview). Its
     * header names the token signed in now, with that token's navigation.
     */
    @Test
    void aRefusalOfTheTokenAPageWasAskedWithLeavesANewerSignInAlone() {
        UiSession session = signedIn();
        UiSession.Response refused = logPageAnsweredAfter(session,
                () -> assertThat(session.signIn(FakePlatformApi.CLUSTER_VIEWER_TOKEN).location()).isEqualTo("/"), 401);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("this browser has signed in again since: reload the page")
                .contains("id=\"signed-in-again\"").contains("id=\"sign-out\"").doesNotContain("name=\"_csrf\"")
                .contains("Signed in as cluster-viewer").doesNotContain("Signed in as admin").doesNotContain("id=\"nav-tokens\"");
        assertThat(session.submit("/sign-out", Map.of(), false).redirect()).as("its sign-out, refused as stale").isEqualTo("/");
        assertThat(session.htmx("/nodes").status()).as("the new sign-in holds").isEqualTo(200);
        assertThat(session.page("/deployments/default/hello/logs")).contains("hello line 1");
    }

    /**
     * A page whose call platform-api refuses 401 after the browser signed out (in another tab) sends it to sign in: the
     * session holds no sign-in at all, newer or not, and the page must not say that the browser signed in again.
     */
    @Test
    void aRefusalAfterASignOutSendsTheBrowserToSignIn() {
        UiSession session = signedIn();
        UiSession.Response refused = logPageAnsweredAfter(session, () -> signOut(session), 401);
        assertThat(refused.body()).doesNotContain("signed in again");
        assertThat(refused.redirect()).isEqualTo("/sign-in?expired");
    }

    /** An error page answered after a sign-out shows no one signed in: no name, no navigation, no sign-out. */
    @Test
    void aLateErrorPageAfterASignOutShowsNoSignIn() {
        UiSession session = signedIn();
        UiSession.Response failed = logPageAnsweredAfter(session, () -> signOut(session), 500);
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.body()).doesNotContain("Signed in as").doesNotContain("id=\"sign-out\"");
    }

    @Test
    void aDeadPlatformApiIsNamedAsSuch() {
        UiSession session = signedIn();
        API.failWith(500);
        UiSession.Response r = session.post("/sign-in", "/sign-in", Map.of("username", "admin", "password", FakePlatformApi.ADMIN_TOKEN));
        assertThat(r.redirect()).isEqualTo("/sign-in?error=unavailable");
        assertThat(session.page("/sign-in?error=unavailable")).contains("platform-api cannot be reached right now");
    }

    /** A deployment's log page whose tail platform-api answers {@code status} only after {@code meanwhile} ran. */
    private static UiSession.Response logPageAnsweredAfter(UiSession session, Runnable meanwhile, int status) {
        CompletableFuture<UiSession.Response> page = logPageWaitingForItsTail(session);
        meanwhile.run();
        API.answerHeldFollows(status);
        return page.join();
    }

    private static void signOut(UiSession session) {
        assertThat(session.post("/deployments", "/sign-out", Map.of()).redirect()).isEqualTo("/sign-in?signedOut");
    }

    /** Opens a deployment's log page, whose tail platform-api holds unanswered until {@code API.answerHeldFollows}. */
    private static CompletableFuture<UiSession.Response> logPageWaitingForItsTail(UiSession session) {
        Fixtures.deploy(session, "hello", 1);
        API.holdLogTails();
        long tails = tails();
        CompletableFuture<UiSession.Response> page = CompletableFuture.supplyAsync(() -> session.get("/deployments/default/hello/logs"));
        await().until(() -> tails() > tails);
        return page;
    }

    private static long tails() {
        return API.requests.stream().filter(r -> r.contains("/logs?")).count();
    }
}
