package dev.nanolet.ui.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.testsupport.MutableClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** A try that ends without a verdict — the request failed or the client went away — frees its slot. */
class SignInThrottleFilterTest {
    private static final String ADDRESS = "192.0.2.7";
    /** One free failure: one try under way at a time. */
    private final SignInThrottle throttle = new SignInThrottle(new SignInLimits(1, null, Duration.ofSeconds(10), null, null, null),
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    private final SignInThrottleFilter filter = new SignInThrottleFilter(throttle);

    @Test
    void aTryThatFailsFreesItsSlot() {
        StepVerifier.create(filter.filter(signIn(), exchange -> Mono.error(new IllegalStateException("boom"))))
                .verifyError(IllegalStateException.class);

        assertThat(throttle.begin(ADDRESS)).isEmpty();
    }

    @Test
    void aTryThatIsCancelledFreesItsSlot() {
        StepVerifier.create(filter.filter(signIn(), exchange -> Mono.never()))
                .expectSubscription()
                .then(() -> assertThat(throttle.begin(ADDRESS)).as("the try is under way").contains(Duration.ofSeconds(1)))
                .thenCancel()
                .verify();

        assertThat(throttle.begin(ADDRESS)).isEmpty();
    }

    private static MockServerWebExchange signIn() {
        return MockServerWebExchange.from(MockServerHttpRequest.post(SecurityConfig.SIGN_IN)
                .remoteAddress(new InetSocketAddress(ADDRESS, 40_000)));
    }
}
