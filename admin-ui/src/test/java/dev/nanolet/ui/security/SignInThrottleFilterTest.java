package dev.nanolet.ui.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.testsupport.MutableClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A try that ends without a verdict — the request failed or the client went away — frees its slot; behind a
 * trusted proxy each client it forwards counts on its own, and a forged header from anyone else counts for nothing.
 */
class SignInThrottleFilterTest {
    private static final String ADDRESS = "192.0.2.7";
    private static final String PROXY = "10.0.0.5";
    /** One free failure: one try under way at a time. */
    private final SignInThrottle throttle = new SignInThrottle(new SignInLimits(1, null, Duration.ofSeconds(10), null, null, null),
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    private final SignInThrottleFilter filter = new SignInThrottleFilter(throttle, new TrustedProxies(List.of("10.0.0.0/24")));

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

    @Test
    void behindATrustedProxyEachForwardedClientCountsOnItsOwn() {
        assertThat(failOnce(PROXY, "203.0.113.9, 10.0.0.7")).isNull();

        assertThat(failOnce(PROXY, "203.0.113.9, 10.0.0.7")).as("the attacker waits").isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(failOnce("10.0.0.6", "198.51.100.1")).as("a tried address as the proxy's own claim").isNull();
        assertThat(failOnce(PROXY, "198.51.100.2, 10.0.0.7")).as("another client through the same proxies").isNull();
        assertThat(throttle.begin(PROXY)).as("the proxy itself never counted").isEmpty();
    }

    @Test
    void aForwardedIpv6ClientCountsByItsSlash64() {
        assertThat(failOnce(PROXY, "2001:db8:1:2::1")).isNull();

        assertThat(failOnce(PROXY, "2001:db8:1:2::99")).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(failOnce(PROXY, "2001:db8:1:3::1")).isNull();
    }

    @Test
    void aHeaderFromAPeerThatIsNoTrustedProxyIsIgnored() {
        assertThat(failOnce(ADDRESS, "203.0.113.1")).isNull();

        assertThat(failOnce(ADDRESS, "203.0.113.2")).as("a new forged client each try buys nothing").isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(throttle.begin("203.0.113.1")).isEmpty();
    }

    @Test
    void aMalformedOrHugeHeaderCountsAgainstTheProxy() {
        assertThat(failOnce(PROXY, "203.0.113.9:4711")).isNull();

        assertThat(failOnce(PROXY, "x".repeat(10_000) + ", unknown")).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    /** One sign-in whose token is refused: the status the filter set (null if it let the try through). */
    private HttpStatusCode failOnce(String peer, String forwardedFor) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post(SecurityConfig.SIGN_IN)
                .remoteAddress(new InetSocketAddress(peer, 40_000)).header("X-Forwarded-For", forwardedFor));
        ServerAuthenticationFailureHandler refused = filter.onFailure((e, ex) -> Mono.empty());
        filter.filter(exchange, e -> refused.onAuthenticationFailure(new WebFilterExchange(e, c -> Mono.empty()),
                new BadCredentialsException("refused"))).block();
        return exchange.getResponse().getStatusCode();
    }

    private static MockServerWebExchange signIn() {
        return MockServerWebExchange.from(MockServerHttpRequest.post(SecurityConfig.SIGN_IN)
                .remoteAddress(new InetSocketAddress(ADDRESS, 40_000)));
    }
}
