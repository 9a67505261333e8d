package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A full page of the token signed in before, answered only after the browser signed in with another token: it is not
 * rendered (its forms could only be refused, its sign-out too, and it shows what the previous token sees) but sent to its
 * own address, which the token signed in now is answered.
 */
class LatePageTest extends UiTest {
    @Test
    void aFullPageAnsweredAfterAnotherTokenSignedInIsSentToTheSameAddress() {
        UiSession browser = signedIn();
        API.holdUntil("GET /api/v1/deployments", "GET /never");
        CompletableFuture<UiSession.Response> late = CompletableFuture.supplyAsync(() -> browser.get("/deployments?q=hello"));
        await().until(() -> API.requests.contains("GET /api/v1/deployments"));
        assertThat(browser.signIn(FakePlatformApi.DEPLOYER_TOKEN).location()).isEqualTo("/");
        API.release();

        UiSession.Response page = late.join();
        assertThat(page.status()).as(page.body()).isEqualTo(303);
        assertThat(page.location()).isEqualTo("/deployments?q=hello");
        assertThat(browser.follow(page.location())).as("the deployer's list, with its forms' token")
                .contains("name=\"_csrf\"").contains("id=\"sign-out\"");
        assertThat(browser.post("/deployments", "/sign-out", Map.of()).redirect()).isEqualTo("/sign-in?signedOut");
    }
}
