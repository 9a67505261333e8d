package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

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
    void aRevokedTokenDuringAPollMovesTheWholePageToSignIn() {
        UiSession session = signedIn();
        API.failWith(401);
        UiSession.Response r = session.htmx("/nodes");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().getFirst("HX-Redirect")).isEqualTo("/sign-in?expired");
        API.reset();
        assertThat(session.htmx("/nodes").headers().getFirst("HX-Redirect")).isEqualTo("/sign-in");
    }

    @Test
    void aDeadPlatformApiIsNamedAsSuch() {
        UiSession session = signedIn();
        API.failWith(500);
        UiSession.Response r = session.post("/sign-in", "/sign-in", Map.of("username", "admin", "password", FakePlatformApi.ADMIN_TOKEN));
        assertThat(r.redirect()).isEqualTo("/sign-in?error=unavailable");
        assertThat(session.page("/sign-in?error=unavailable")).contains("platform-api cannot be reached right now");
    }
}
