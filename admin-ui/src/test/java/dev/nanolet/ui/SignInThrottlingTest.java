package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Failed sign-ins slow their client address down, with the defaults (5 free failures, then 10 s,
 * doubling, forgotten an hour after the last): each test's browsers connect from loopback
 * addresses of their own (127.0.0.x), and time moves only when the test moves the clock.
 */
class SignInThrottlingTest extends UiTest {
    private static final String TOKENS_SELF = "GET /api/v1/tokens/self";

    @Autowired
    private MutableClock clock;

    @Test
    void theSixthTryAfterFiveFailuresIs429WithRetryAfterAndItsTokenNeverReachesPlatformApi() {
        UiSession attacker = from("127.0.0.11");
        failFiveTimes(attacker);

        UiSession.Response sixth = attacker.signIn(FakePlatformApi.ADMIN_TOKEN);

        assertThat(sixth.status()).isEqualTo(429);
        assertThat(sixth.headers().getFirst("Retry-After")).isEqualTo("10");
        assertThat(sixth.body()).contains("Too many failed sign-ins from your address: try again in 10 s.").contains("name=\"_csrf\"");
        assertThat(API.requests).filteredOn(TOKENS_SELF::equals).hasSize(5);
        assertThat(attacker.get("/").status()).as("not signed in").isEqualTo(302);
    }

    @Test
    void anotherAddressSignsInWhileOneWaits() {
        failFiveTimes(from("127.0.0.12"));

        assertThat(from("127.0.0.13").signIn(FakePlatformApi.ADMIN_TOKEN).redirect()).isEqualTo("/");
    }

    @Test
    void aSignInWithOnesOwnTokenDoesNotBuyMoreGuessesThanTheLongTermAllowance() {
        UiSession attacker = from("127.0.0.16");
        for (int round = 1; round <= 4; round++) {
            for (int i = 0; i < 4; i++) {
                assertThat(attacker.signIn("guess-" + round + "-" + i).redirect()).as("round %d", round).isEqualTo("/sign-in?error=token");
            }
            assertThat(attacker.signIn(FakePlatformApi.VIEWER_TOKEN).redirect()).as("round %d", round).isEqualTo("/");
        }
        for (int i = 0; i < 4; i++) {
            assertThat(attacker.signIn("guess-5-" + i).redirect()).isEqualTo("/sign-in?error=token");
        }

        UiSession.Response twentyFirst = attacker.signIn(FakePlatformApi.VIEWER_TOKEN);

        assertThat(twentyFirst.status()).as("20 failures within the hour, successes or not").isEqualTo(429);
        assertThat(twentyFirst.headers().getFirst("Retry-After")).isEqualTo("10");
    }

    @Test
    void aSuccessEndsTheRunOfFailures() {
        UiSession user = from("127.0.0.14");
        for (int i = 0; i < 4; i++) {
            assertThat(user.signIn("typo").redirect()).isEqualTo("/sign-in?error=token");
        }
        assertThat(user.signIn(FakePlatformApi.ADMIN_TOKEN).redirect()).isEqualTo("/");

        UiSession later = from("127.0.0.14");
        failFiveTimes(later);
        assertThat(later.signIn("typo").status()).isEqualTo(429);
    }

    @Test
    void theWaitEndsThenDoublesAndTheAddressIsForgottenAnHourLater() {
        UiSession attacker = from("127.0.0.15");
        failFiveTimes(attacker);
        clock.advance(Duration.ofSeconds(10));

        assertThat(attacker.signIn("guess").redirect()).isEqualTo("/sign-in?error=token");
        UiSession.Response waiting = attacker.signIn("guess");
        assertThat(waiting.status()).isEqualTo(429);
        assertThat(waiting.headers().getFirst("Retry-After")).isEqualTo("20");

        clock.advance(Duration.ofSeconds(20).plusHours(1));
        failFiveTimes(attacker);
        assertThat(attacker.signIn("guess").headers().getFirst("Retry-After")).isEqualTo("10");
    }

    private UiSession from(String address) {
        return new UiSession("http://127.0.0.1:" + port, address);
    }

    static void failFiveTimes(UiSession session) {
        for (int i = 0; i < 5; i++) {
            assertThat(session.signIn("guess-" + i).redirect()).isEqualTo("/sign-in?error=token");
        }
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        }
    }
}
