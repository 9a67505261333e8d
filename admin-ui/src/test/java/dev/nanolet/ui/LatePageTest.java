package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * Answers of the token signed in before, answered only after the browser signed in with another token. A GET, full page or
 * live part, is not rendered (its forms could only be refused, its sign-out too, and it shows what the previous token
 * sees): a full page is sent to its own address, a live part reloads its page, each then answered as the token signed in
 * now. A form's outcome is rendered, as it may show what is never shown again, saying it is the previous sign-in's; none of
 * its forms carries the CSRF token of the sign-in held now, and no late answer names the session id that sign-in gave.
 */
class LatePageTest extends UiTest {
    @Test
    void aFullPageAnsweredAfterAnotherTokenSignedInIsSentToTheSameAddress() {
        UiSession browser = signedIn();

        UiSession.Response page = answeredAfterTheDeployerSignedIn(browser, () -> browser.get("/deployments?q=hello"));

        assertThat(page.status()).as(page.body()).isEqualTo(303);
        assertThat(page.location()).isEqualTo("/deployments?q=hello");
        assertThat(browser.follow(page.location())).as("the deployer's list, with its forms' token")
                .contains("name=\"_csrf\"").contains("id=\"sign-out\"");
        assertThat(browser.post("/deployments", "/sign-out", Map.of()).redirect()).isEqualTo("/sign-in?signedOut");
    }

    /**
     * A live part polled by a page of the previous token answers 286, which stops the polling, and {@code HX-Refresh}, which
     * reloads the page as the deployer's, instead of a fragment whose forms would be refused. Seen failing before: the
     * fragment was swapped in (200).
     */
    @Test
    void aLivePartAnsweredAfterAnotherTokenSignedInReloadsItsPage() {
        UiSession browser = signedIn();

        UiSession.Response part = answeredAfterTheDeployerSignedIn(browser, () -> browser.htmx("/deployments?q=hello"));

        assertThat(part.status()).as(part.body()).isEqualTo(286);
        assertThat(part.headers().getFirst("HX-Refresh")).isEqualTo("true");
        assertThat(part.body()).isEmpty();
    }

    /**
     * A token made by the previous token's form and answered after the deployer signed in is shown, never to be shown again,
     * with a line saying the page is the previous sign-in's and to reload it; its forms, the sign-out too, carry no CSRF
     * token. Seen failing before: no line.
     */
    @Test
    void aTokenMadeBeforeAnotherTokenSignedInIsShownSayingThePageIsThePreviousSignIns() {
        UiSession browser = signedIn();

        UiSession.Response page = tokenCreateAnsweredAfter(browser, () -> assertThat(browser.signIn(FakePlatformApi.DEPLOYER_TOKEN)
                .location()).isEqualTo("/"));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"issued-token\"").contains("id=\"signed-in-again\"").contains("id=\"sign-out\"")
                .doesNotContain("name=\"_csrf\"");
        assertThat(browser.submit("/sign-out", Map.of(), false).redirect()).as("its sign-out, refused as stale").isEqualTo("/");
    }

    /**
     * A late answer goes to whoever held the session before the sign-in, who need not be the person who signed in: a
     * tenant (an admin in namespace ci) that planted its own session in the admin's browser (docs/security.md, "Data
     * plane") and has a form's outcome under way when the admin signs in with it. That answer carries no CSRF token, so
     * the tenant learns none of the admin's, which would let its page post any form as the admin. Seen failing when a late
     * page's sign-out carried the token of the sign-in held now: the tenant's answer held the admin's token, and a secret
     * posted with it reached platform-api.
     */
    @Test
    void aLateAnswerToWhoeverPlantedTheSessionCarriesNoTokenOfTheSignInThatTookItOver() {
        UiSession tenant = new UiSession(baseUrl());
        UiSession admin = new UiSession(baseUrl());

        UiSession.Response late = plantedSessionsFormAnsweredAfterTheAdminSignedIn(tenant, admin);

        assertThat(late.body()).contains("id=\"signed-in-again\"").doesNotContain("name=\"_csrf\"");
    }

    /**
     * Nor does a late answer carry the session's new id: the sign-in moved the id of the session object every request under
     * way shares, and any of them named it in its answer, so the tenant's page then ran as the admin. Only a request that
     * moved the id itself (or made the session) names it. Seen failing before: the tenant's late answer set the admin's id,
     * and the tenant's next page answered 200.
     */
    @Test
    void aLateAnswerToWhoeverPlantedTheSessionNamesNotTheIdOfTheSignInThatTookItOver() {
        UiSession tenant = new UiSession(baseUrl());
        UiSession admin = new UiSession(baseUrl());

        UiSession.Response late = plantedSessionsFormAnsweredAfterTheAdminSignedIn(tenant, admin);

        assertThat(late.headers().getOrEmpty(HttpHeaders.SET_COOKIE)).noneMatch(c -> c.contains(admin.sessionId()));
        assertThat(tenant.get("/").status()).as("the tenant's next page, as no one").isEqualTo(302);
        assertThat(admin.page("/")).contains("id=\"sign-out\"");
    }

    /**
     * What the token create form of {@code tenant} (an admin in namespace ci) answers when {@code admin} signed in with the
     * tenant's session, planted in its browser, while platform-api held that form.
     */
    private static UiSession.Response plantedSessionsFormAnsweredAfterTheAdminSignedIn(UiSession tenant, UiSession admin) {
        assertThat(tenant.signIn(FakePlatformApi.CI_ADMIN_TOKEN).location()).isEqualTo("/");
        admin.plant(tenant.sessionId());
        return tokenCreateAnsweredAfter(tenant, () -> assertThat(admin.signIn(FakePlatformApi.ADMIN_TOKEN).location()).isEqualTo("/"));
    }

    /** What {@code request}, asked by {@code browser} and held by platform-api, answers once the deployer signed in there. */
    private static UiSession.Response answeredAfterTheDeployerSignedIn(UiSession browser, Supplier<UiSession.Response> request) {
        return answeredAfter(request, () -> assertThat(browser.signIn(FakePlatformApi.DEPLOYER_TOKEN).location()).isEqualTo("/"));
    }

    /** What {@code request}, whose call for the deployments platform-api holds, answers once {@code meanwhile} has run. */
    static UiSession.Response answeredAfter(Supplier<UiSession.Response> request, Runnable meanwhile) {
        API.holdUntil("GET /api/v1/deployments", "GET /never");
        CompletableFuture<UiSession.Response> late = CompletableFuture.supplyAsync(request);
        await().until(() -> API.requests.contains("GET /api/v1/deployments"));
        meanwhile.run();
        API.release();
        return late.join();
    }

    /** What {@code browser}'s post of the token create form (token ci) answers, platform-api holding it while {@code meanwhile} runs. */
    static UiSession.Response tokenCreateAnsweredAfter(UiSession browser, Runnable meanwhile) {
        String formId = TokensAndPermissionsTest.formId(browser.page("/tokens"));
        String csrf = browser.csrfFrom("/tokens");
        API.holdTokenCreates();
        CompletableFuture<UiSession.Response> created = CompletableFuture.supplyAsync(() -> browser.submit("/tokens",
                Map.of("_csrf", csrf, "formId", formId, "name", "ci", "grants", "viewer@ci"), false));
        await().until(() -> API.requests.contains("POST /api/v1/tokens"));
        meanwhile.run();
        API.releaseTokenCreates();
        return created.join();
    }
}
