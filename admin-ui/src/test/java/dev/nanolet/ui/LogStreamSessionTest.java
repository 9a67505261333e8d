package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A deployment's log stream never ends by itself (it follows again after each end), so it ends with the session it was
 * opened in: a signed-out browser, or one whose token platform-api no longer takes, is sent no more lines, and the
 * dashboard stops asking platform-api for them with that token.
 */
class LogStreamSessionTest extends UiTest {
    private static final String PAGE = "/deployments/default/hello";
    /** Longer than the pause before the stream follows again (LogController.RESUME, 3 s). */
    private static final Duration QUIET = Duration.ofSeconds(4);

    @Test
    void signingOutEndsAnOpenLogStream() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        try (OpenLogStream stream = open(session)) {
            await().until(() -> stream.lines().size() >= 3);
            assertThat(session.post(PAGE, "/sign-out", Map.of()).redirect()).isEqualTo("/sign-in?signedOut");

            await().untilTrue(stream.ended());
            long follows = follows();
            int sent = stream.lines().size();
            await().failFast("followed again or sent a line after the sign-out", () -> follows() != follows || stream.lines().size() != sent)
                    .during(QUIET).until(() -> follows() == follows && stream.lines().size() == sent);
        }
    }

    @Test
    void aTokenPlatformApiRefusesEndsTheStreamAndTheSession() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        API.failWith(401);
        try (OpenLogStream stream = open(session)) {
            await().untilTrue(stream.ended());
            assertThat(stream.lines()).isEmpty();
            assertThat(follows()).as("followed once, never again with the refused token").isEqualTo(1);
            API.stopFailing();
            assertThat(session.htmx("/nodes").headers().getFirst("HX-Redirect")).as("the session is over").isEqualTo("/sign-in");
        }
    }

    /**
     * A follow answered 401 after the browser signed in again (its token was revoked meanwhile, say) refuses the token the
     * stream was opened with, not the new sign-in's: the stream ends, the session and its new sign-in stay.
     */
    @Test
    void aRefusalOfTheTokenItWasOpenedWithLeavesANewerSignInAlone() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        API.holdFollows();
        try (OpenLogStream stream = open(session)) {
            await().until(() -> follows() == 1);
            assertThat(session.signIn(FakePlatformApi.ADMIN_TOKEN).location()).isEqualTo("/");
            API.answerHeldFollows(401);

            await().untilTrue(stream.ended());
            assertThat(session.htmx("/nodes").status()).as("the new sign-in holds").isEqualTo(200);
        }
    }

    private OpenLogStream open(UiSession session) {
        return OpenLogStream.open(baseUrl(), session, PAGE);
    }

    private static long follows() {
        return API.requests.stream().filter(r -> r.contains("/logs?") && r.contains("follow=true")).count();
    }
}
