package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * A page on the dashboard's host name (a route opened as {@code localhost:<node port>}) can set
 * {@code NANOLET_SESSION} for a narrower path with script; the browser then sends two session
 * cookies there, that one first. Such a request is served with neither session.
 */
class SessionCookieConflictTest extends UiTest {

    @Test
    void aRequestWithTwoSessionCookiesRunsAsNeitherAndExpiresTheCookieOnItsPathAndAncestors() {
        UiSession admin = signedIn();
        String tenant = viewerSession();
        admin.plantAlongside(tenant);
        API.requests.clear();

        UiSession.Response r = admin.get("/nodes/node-2");

        assertThat(r.redirect()).isEqualTo("/sign-in?conflict");
        assertThat(API.requests).as("nothing reached platform-api with either token").isEmpty();
        assertThat(r.headers().get(HttpHeaders.SET_COOKIE)).containsExactlyInAnyOrder(
                expired("/"), expired("/nodes"), expired("/nodes/"), expired("/nodes/node-2"));
    }

    @Test
    void htmxRequestsMoveTheWholePageAndNeitherSessionIsInvalidated() {
        UiSession admin = signedIn();
        String adminId = admin.sessionId();
        String tenant = viewerSession();
        admin.plantAlongside(tenant);

        UiSession.Response r = admin.htmx("/nodes");

        assertThat(r.headers().getFirst("HX-Redirect")).isEqualTo("/sign-in?conflict");
        assertThat(r.body()).isEmpty();
        UiSession alone = new UiSession(baseUrl());
        alone.plant(adminId);
        assertThat(alone.page("/")).as("the admin's session was not the filter's to end").contains("Signed in as admin");
        UiSession planter = new UiSession(baseUrl());
        planter.plant(tenant);
        assertThat(planter.page("/")).contains("Signed in as viewer");
    }

    @Test
    void theSignInPageSaysWhyAndIsServedEvenIfTheCookiesCouldNotBeExpired() {
        UiSession admin = signedIn();
        admin.plantAlongside(viewerSession());

        UiSession.Response r = admin.get("/sign-in?conflict");

        assertThat(r.status()).as("no redirect loop").isEqualTo(200);
        assertThat(r.body()).contains("two dashboard sessions at once").doesNotContain("id=\"sign-out\"");
        List<String> cookies = r.headers().get(HttpHeaders.SET_COOKIE);
        assertThat(cookies.getFirst()).isEqualTo(expired("/"));
        assertThat(cookies.getLast()).as("a fresh session for the form, after the expiry so that it wins")
                .startsWith(UiSession.COOKIE + "=").doesNotStartWith(UiSession.COOKIE + "=;");
    }

    /** Chromium stores {@code ,NANOLET_SESSION}; Netty reads it as {@code NANOLET_SESSION}, as Spring's session resolution does. */
    @Test
    void aCommaBeforeThePlantedNameIsNoWayAround() {
        UiSession admin = signedIn();
        String tenant = viewerSession();
        API.requests.clear();

        UiSession.Response r = raw("/nodes/node-2", "," + UiSession.COOKIE + "=" + tenant + "; " + UiSession.COOKIE + "=" + admin.sessionId());

        assertThat(r.status()).as(r.body()).isEqualTo(302);
        assertThat(r.location()).isEqualTo("/sign-in?conflict");
        assertThat(API.requests).as("nothing reached platform-api with either token").isEmpty();
        assertThat(r.headers().get(HttpHeaders.SET_COOKIE)).contains(expired("/"), expired("/nodes"),
                "," + expired("/"), "," + expired("/nodes"), "," + expired("/nodes/"), "," + expired("/nodes/node-2"));
    }

    @Test
    void aSemicolonInThePathIsCutNotAnError() {
        UiSession admin = signedIn();
        admin.plantAlongside(viewerSession());

        UiSession.Response r = admin.get("/nodes;x");

        assertThat(r.redirect()).isEqualTo("/sign-in?conflict");
        assertThat(r.headers().get(HttpHeaders.SET_COOKIE)).containsExactly(expired("/"), expired("/nodes"));
    }

    @Test
    void theExpiryHeadersDoNotGrowWithThePath() {
        String tenant = viewerSession();
        UiSession admin = signedIn();
        admin.plantAlongside(tenant);
        UiSession.Response deep = admin.get("/a".repeat(500));
        UiSession.Response slashes = raw("/nodes////x", UiSession.COOKIE + "=" + tenant + "; " + UiSession.COOKIE + "=" + signedIn().sessionId());

        assertThat(deep.redirect()).isEqualTo("/sign-in?conflict");
        assertThat(deep.headers().get(HttpHeaders.SET_COOKIE)).hasSizeLessThanOrEqualTo(2 * 8 + 2).contains(expired("/a/a/"));
        assertThat(slashes.headers().get(HttpHeaders.SET_COOKIE)).doesNotHaveDuplicates().contains(expired("/nodes//"), expired("/nodes////x"));
    }

    private UiSession.Response raw(String path, String cookieHeader) {
        return org.springframework.web.reactive.function.client.WebClient.create().get().uri(java.net.URI.create(baseUrl() + path))
                .header(HttpHeaders.COOKIE, cookieHeader).header(HttpHeaders.ACCEPT, "text/html")
                .exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("")
                        .map(body -> new UiSession.Response(r.statusCode().value(), r.headers().asHttpHeaders(), body)))
                .block(java.time.Duration.ofSeconds(20));
    }

    private String viewerSession() {
        UiSession tenant = new UiSession(baseUrl());
        assertThat(tenant.signIn(FakePlatformApi.VIEWER_TOKEN).redirect()).isEqualTo("/");
        return tenant.sessionId();
    }

    private static String expired(String path) {
        return UiSession.COOKIE + "=; Path=" + path + "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax";
    }
}
