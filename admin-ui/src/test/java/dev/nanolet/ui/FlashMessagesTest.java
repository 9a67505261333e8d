package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.testsupport.GenerousAwaits;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.junit.jupiter.api.Test;

/**
 * A flash message is shown by the page its redirect leads to, an error page included, and by no later
 * page; a request for something other than a page (a favicon the browser asks for) leaves it alone.
 */
class FlashMessagesTest extends UiTest {
    private static final String REFUSED = "platform-api refused: deployment default/hello does not exist";

    @Test
    void anActionOnADeploymentSomeoneElseDeletedSaysWhyOnTheNotFoundPageAndNowhereLater() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        String token = session.csrfFrom("/deployments/default/hello");
        API.state().deployments.remove("default/hello");

        String back = session.submit("/deployments/default/hello/scale", Map.of("replicas", "3", "_csrf", token), false).redirect();
        UiSession.Response notFound = session.get(back);

        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.body()).contains(REFUSED).contains("does not exist");
        assertThat(session.page("/deployments")).doesNotContain("platform-api refused");
        assertThat(session.page("/")).doesNotContain("platform-api refused");
    }

    @Test
    void aMessageWhoseRedirectWasNotFollowedIsShownByTheNextPageEvenAnUnknownOne() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        session.post("/deployments/default/hello", "/deployments/default/hello/scale", Map.of("replicas", "2")).redirect();
        WebClient.create(baseUrl()).get().uri("/favicon.ico").cookies(session::cookie).accept(MediaType.ALL)
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())).block(GenerousAwaits.AT_MOST);

        UiSession.Response unknown = session.get("/no/such/page");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("Scaled to 2 replicas.");
        assertThat(session.page("/deployments")).doesNotContain("Scaled to 2 replicas.");
    }
}
